/**
 * One circuit breaker per provider, on cockatiel's `CircuitBreakerPolicy` (closed -> open ->
 * half-open with one test call -> closed or open again, `halfOpenAfter` = the cool-down).
 *
 * Two things are ours, because cockatiel's own breakers decide differently from what the router
 * promises (and tests):
 * - {@link RollingWindowBreaker} decides when to open: at least `minRequests` outcomes in the last
 *   `windowMs` and a failure share of at least `failureRate` (1 allowed). cockatiel's
 *   SamplingBreaker takes a minimum rate instead of a count, opens only above the threshold, needs a
 *   threshold below 1, and advances its window by one bucket per call, so an old failure can
 *   outlive the window.
 * - {@link CircuitBreaker.tryAcquire} refuses a call while the half-open probe is in flight, so the
 *   request moves on to a fallback at once; cockatiel would make it wait for the probe.
 */
import type { CircuitBreakerPolicy, CircuitState, IBreaker } from 'cockatiel';
import { cockatiel } from './cockatiel.js';

// cockatiel's CircuitState values, without importing cockatiel at start-up (see cockatiel.ts).
const CLOSED = 0 as CircuitState.Closed;
const HALF_OPEN = 2 as CircuitState.HalfOpen;

export interface CircuitBreakerOptions {
  failureRate: number;
  minRequests: number;
  windowMs: number;
  cooldownMs: number;
}

export type BreakerState = 'closed' | 'open' | 'half_open';

export interface BreakerPermit {
  /** Records the call's outcome; a permit counts once. */
  success(): void;
  failure(): void;
  /** The call ended without a verdict on the upstream (client went away, request refused as invalid). */
  release(): void;
}

/**
 * The window is kept as this many fixed time buckets of running ok/fail counts, so recording an
 * outcome and deciding are O(1) amortised and memory is fixed whatever the traffic. A bucket is
 * dropped once it lies wholly outside the window: an outcome counts for at most one window.
 */
const BUCKETS = 10;
const slotOf = (bucket: number) => ((bucket % BUCKETS) + BUCKETS) % BUCKETS;

interface WindowCounts {
  /** The absolute bucket number each ring slot holds, and its counts. */
  buckets: number[];
  ok: number[];
  fail: number[];
  /** Newest bucket number the ring has been advanced to. */
  head: number;
}

const emptyWindow = (): WindowCounts => ({
  buckets: new Array<number>(BUCKETS).fill(Number.NEGATIVE_INFINITY),
  ok: new Array<number>(BUCKETS).fill(0),
  fail: new Array<number>(BUCKETS).fill(0),
  head: Number.NEGATIVE_INFINITY,
});

const sum = (counts: number[]) => counts.reduce((total, n) => total + n, 0);

export class RollingWindowBreaker implements IBreaker {
  /** The window's counts; cockatiel serialises it with the policy (`toJSON`). */
  state: WindowCounts = emptyWindow();
  readonly #bucketMs: number;

  constructor(
    private readonly options: Pick<CircuitBreakerOptions, 'failureRate' | 'minRequests' | 'windowMs'>,
  ) {
    this.#bucketMs = Math.max(1, options.windowMs / BUCKETS);
  }

  success(state: CircuitState): void {
    if (state === HALF_OPEN) this.state = emptyWindow();
    else this.#record(true);
  }

  failure(state: CircuitState): boolean {
    if (state === CLOSED) {
      this.#record(false);
      const failed = sum(this.state.fail);
      const total = sum(this.state.ok) + failed;
      if (total < this.options.minRequests || failed / total < this.options.failureRate) return false;
    }
    this.state = emptyWindow();
    return true;
  }

  #record(ok: boolean): void {
    const window = this.state;
    // A clock that steps back lands in the newest bucket rather than a recycled slot.
    const bucket = Math.max(window.head, Math.floor(Date.now() / this.#bucketMs));
    // Empty the slots of buckets that fell out of the window on the way (at most BUCKETS).
    for (let next = Math.max(window.head + 1, bucket - BUCKETS + 1); next <= bucket; next++) {
      const slot = slotOf(next);
      window.buckets[slot] = next;
      window.ok[slot] = 0;
      window.fail[slot] = 0;
    }
    window.head = bucket;
    const counts = ok ? window.ok : window.fail;
    const slot = slotOf(bucket);
    counts[slot] = (counts[slot] ?? 0) + 1;
  }
}

/** What a permit's call came to: a failure counts against the upstream, a release does not. */
class UpstreamFailed extends Error {}
class Released extends Error {}

/**
 * The cockatiel policy seen through permits, so the fallback loop can ask "may I call?" without
 * waiting, and settle the call later (a stream is settled at its first event, not its end).
 * Outcomes reach the policy a microtask after they are settled. cockatiel must be loaded first.
 */
export class CircuitBreaker {
  readonly #policy: CircuitBreakerPolicy;
  readonly #cooldownMs: number;
  #openedAt: number | undefined;

  constructor(options: CircuitBreakerOptions) {
    this.#cooldownMs = options.cooldownMs;
    const { circuitBreaker, handleType } = cockatiel();
    this.#policy = circuitBreaker(handleType(UpstreamFailed), {
      halfOpenAfter: options.cooldownMs,
      breaker: new RollingWindowBreaker(options),
    });
    this.#policy.onBreak(() => {
      this.#openedAt = Date.now();
    });
    this.#policy.onReset(() => {
      this.#openedAt = undefined;
    });
  }

  get state(): BreakerState {
    switch (this.#policy.state) {
      case CLOSED:
        return 'closed';
      case HALF_OPEN:
        return 'half_open';
      default:
        return this.retryAfterMs() > 0 ? 'open' : 'half_open';
    }
  }

  /** How long until a probe may pass (0 when closed or half-open). */
  retryAfterMs(): number {
    if (this.#openedAt === undefined) return 0;
    return Math.max(0, this.#openedAt + this.#cooldownMs - Date.now());
  }

  /** A permit for one call, or undefined when the breaker refuses it. */
  tryAcquire(): BreakerPermit | undefined {
    const state = this.state;
    if (state === 'open' || this.#policy.state === HALF_OPEN) return undefined;
    const probe = state === 'half_open';
    let settle: (error?: Error) => void = () => {};
    const outcome = new Promise<void>((resolve, reject) => {
      settle = (error) => (error ? reject(error) : resolve());
    });
    // cockatiel moves to half-open synchronously inside execute(), so the next tryAcquire sees it.
    this.#policy.execute(() => outcome).catch(() => {});
    let settled = false;
    const once = (error?: Error) => {
      if (settled) return;
      settled = true;
      // An outcome of a call admitted before the breaker opened changes nothing.
      settle(!probe && this.#policy.state !== CLOSED ? new Released() : error);
    };
    return {
      success: () => once(),
      failure: () => once(new UpstreamFailed()),
      release: () => once(new Released()),
    };
  }
}
