import { ExponentialBackoff, type IBackoff, noJitterGenerator } from 'cockatiel';

const exponential = (baseMs: number, capMs: number) => ({
  generator: noJitterGenerator,
  initialDelay: baseMs,
  maxDelay: capMs,
  exponent: 2,
});

/** Exponential backoff with full jitter (AWS architecture blog): uniform in [0, min(cap, base * 2^n)). */
export function fullJitterDelay(retry: number, baseMs: number, capMs: number, random = Math.random): number {
  const [ceiling] = noJitterGenerator(retry, exponential(baseMs, capMs));
  return Math.floor(random() * ceiling);
}

/** The wait before retry `retry` (0-based): never shorter than what the upstream asked for. */
export function retryDelay(
  retry: number,
  options: { baseMs: number; capMs: number; retryAfterMs?: number; random?: () => number },
): number {
  const jitter = fullJitterDelay(retry, options.baseMs, options.capMs, options.random);
  return options.retryAfterMs === undefined ? jitter : Math.max(options.retryAfterMs, jitter);
}

/**
 * Successive waits between reconnects, `minMs` doubling to `maxMs`, no jitter: `next()` on nothing
 * starts the series, on the last wait gives the following one.
 */
export class ReconnectBackoff {
  readonly #factory: ExponentialBackoff<number>;
  #current: IBackoff<unknown> | undefined;

  constructor(minMs: number, maxMs: number) {
    this.#factory = new ExponentialBackoff(exponential(minMs, maxMs));
  }

  /** The wait after one more failure, in ms. */
  next(): number {
    this.#current = this.#current ? this.#current.next(undefined) : this.#factory.next();
    return this.#current.duration;
  }

  reset(): void {
    this.#current = undefined;
  }
}
