/** Per-key limits checked before a request and charged after it; 0 switches a limit off. */
export interface RateLimits {
  rpm: number;
  tpm: number;
}

export type Admit = { ok: true } | { ok: false; limit: 'requests' | 'tokens'; retryAfterMs: number };

/**
 * Fixed one-minute windows (aligned to the clock minute) per key: a request counts when admitted;
 * tokens are charged after the answer, so the request that crosses the token limit completes and
 * the next ones wait for the next window. One implementation per backend.
 */
export interface RateLimiter {
  readonly kind: string;
  admit(keyId: string, limits: RateLimits): Promise<Admit>;
  charge(keyId: string, tokens: number): Promise<void>;
  close(): Promise<void>;
}

export const WINDOW_MS = 60_000;

export function windowOf(now: number): { index: number; remainingMs: number } {
  const index = Math.floor(now / WINDOW_MS);
  return { index, remainingMs: (index + 1) * WINDOW_MS - now };
}
