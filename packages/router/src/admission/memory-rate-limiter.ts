import { type Admit, type RateLimiter, type RateLimits, windowOf } from './rate-limiter.js';

/** Counters of one process; several router instances need the Redis limiter to share limits. */
export class MemoryRateLimiter implements RateLimiter {
  readonly kind = 'memory';
  readonly #now: () => number;
  #window = -1;
  #counts = new Map<string, { requests: number; tokens: number }>();

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  #entry(keyId: string): { entry: { requests: number; tokens: number }; remainingMs: number } {
    const { index, remainingMs } = windowOf(this.#now());
    // A new window drops every counter at once: memory stays bounded by the keys of one minute.
    if (index !== this.#window) {
      this.#window = index;
      this.#counts = new Map();
    }
    let entry = this.#counts.get(keyId);
    if (!entry) {
      entry = { requests: 0, tokens: 0 };
      this.#counts.set(keyId, entry);
    }
    return { entry, remainingMs };
  }

  async admit(keyId: string, limits: RateLimits): Promise<Admit> {
    const { entry, remainingMs } = this.#entry(keyId);
    if (limits.tpm > 0 && entry.tokens >= limits.tpm)
      return { ok: false, limit: 'tokens', retryAfterMs: remainingMs };
    if (limits.rpm > 0) {
      entry.requests++;
      if (entry.requests > limits.rpm) return { ok: false, limit: 'requests', retryAfterMs: remainingMs };
    }
    return { ok: true };
  }

  async charge(keyId: string, tokens: number): Promise<void> {
    if (tokens > 0) this.#entry(keyId).entry.tokens += tokens;
  }

  async close(): Promise<void> {
    this.#counts.clear();
  }
}
