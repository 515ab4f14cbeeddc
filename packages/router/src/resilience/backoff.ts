/** Exponential backoff: `baseMs * 2^n`, capped. One formula for provider retries and MCP reconnects. */
export function exponentialDelay(n: number, baseMs: number, capMs: number): number {
  return Math.min(capMs, baseMs * 2 ** n);
}

/** Exponential backoff with full jitter (AWS architecture blog): uniform in [0, min(cap, base * 2^n)). */
export function fullJitterDelay(retry: number, baseMs: number, capMs: number, random = Math.random): number {
  return Math.floor(random() * exponentialDelay(retry, baseMs, capMs));
}

/** The wait before retry `retry` (0-based): never shorter than what the upstream asked for. */
export function retryDelay(
  retry: number,
  options: { baseMs: number; capMs: number; retryAfterMs?: number; random?: () => number },
): number {
  const jitter = fullJitterDelay(retry, options.baseMs, options.capMs, options.random);
  return options.retryAfterMs === undefined ? jitter : Math.max(options.retryAfterMs, jitter);
}

/** Successive waits between reconnects: `minMs` doubling to `maxMs`, no jitter; reset on success. */
export class ReconnectBackoff {
  #failures = 0;

  constructor(
    private readonly minMs: number,
    private readonly maxMs: number,
  ) {}

  /** The wait after one more failure, in ms. */
  next(): number {
    return exponentialDelay(this.#failures++, this.minMs, this.maxMs);
  }

  reset(): void {
    this.#failures = 0;
  }
}
