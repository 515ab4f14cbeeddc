/**
 * One circuit breaker per provider. Closed: calls flow and outcomes land in a rolling window.
 * When the window holds at least `minRequests` outcomes and the failure share reaches
 * `failureRate`, it opens: calls are refused for `cooldownMs`. Then it half-opens and lets exactly
 * one probe through; the probe's outcome closes it again or re-opens it for another cool-down.
 */
export interface CircuitBreakerOptions {
  failureRate: number;
  minRequests: number;
  windowMs: number;
  cooldownMs: number;
  now?: () => number;
}

export type BreakerState = 'closed' | 'open' | 'half_open';

/**
 * The window is kept as this many fixed time buckets of running ok/fail counts, so recording an
 * outcome and deciding are O(1) amortised and memory is fixed whatever the traffic. The bucket
 * holding an outcome is dropped once it lies wholly outside the window, so an outcome counts for
 * between (1 - 1/BUCKETS) and 1 window: never longer than the window.
 */
const BUCKETS = 10;

function slotOf(bucket: number): number {
  return ((bucket % BUCKETS) + BUCKETS) % BUCKETS;
}

export interface BreakerPermit {
  /** Records the call's outcome; a permit counts once. */
  success(): void;
  failure(): void;
  /** The call ended without a verdict (client went away): a half-open probe slot is freed. */
  release(): void;
}

export class CircuitBreaker {
  readonly #options: Required<CircuitBreakerOptions>;
  readonly #bucketMs: number;
  /** Ring slots: the absolute bucket number each holds, and its counts. */
  readonly #slotBucket = new Array<number>(BUCKETS).fill(Number.NEGATIVE_INFINITY);
  readonly #slotOk = new Array<number>(BUCKETS).fill(0);
  readonly #slotFail = new Array<number>(BUCKETS).fill(0);
  #okTotal = 0;
  #failTotal = 0;
  /** Newest bucket number the ring has been advanced to. */
  #head = Number.NEGATIVE_INFINITY;
  #openedAt: number | undefined;
  #probeInFlight = false;

  constructor(options: CircuitBreakerOptions) {
    this.#options = { now: Date.now, ...options };
    this.#bucketMs = Math.max(1, options.windowMs / BUCKETS);
  }

  get state(): BreakerState {
    if (this.#openedAt === undefined) return 'closed';
    return this.#options.now() - this.#openedAt >= this.#options.cooldownMs ? 'half_open' : 'open';
  }

  /** How long until a probe may pass (0 when closed or half-open). */
  retryAfterMs(): number {
    if (this.#openedAt === undefined) return 0;
    return Math.max(0, this.#openedAt + this.#options.cooldownMs - this.#options.now());
  }

  /** A permit for one call, or undefined when the breaker refuses it. */
  tryAcquire(): BreakerPermit | undefined {
    const state = this.state;
    if (state === 'open') return undefined;
    if (state === 'half_open') {
      if (this.#probeInFlight) return undefined;
      this.#probeInFlight = true;
      return this.#permit(true);
    }
    return this.#permit(false);
  }

  #permit(probe: boolean): BreakerPermit {
    let settled = false;
    const settle = (ok: boolean | undefined) => {
      if (settled) return;
      settled = true;
      if (probe) {
        this.#probeInFlight = false;
        if (ok === true) this.#close();
        else if (ok === false) this.#open();
        return;
      }
      if (ok !== undefined) this.#record(ok);
    };
    return { success: () => settle(true), failure: () => settle(false), release: () => settle(undefined) };
  }

  #record(ok: boolean): void {
    // An outcome that lands while the breaker is open (a call admitted before it opened) changes nothing.
    if (this.#openedAt !== undefined) return;
    // A clock that steps back lands in the newest bucket rather than a recycled slot.
    const bucket = Math.max(this.#head, Math.floor(this.#options.now() / this.#bucketMs));
    this.#advance(bucket);
    const slot = slotOf(bucket);
    if (ok) {
      this.#slotOk[slot] = (this.#slotOk[slot] ?? 0) + 1;
      this.#okTotal++;
    } else {
      this.#slotFail[slot] = (this.#slotFail[slot] ?? 0) + 1;
      this.#failTotal++;
    }
    const total = this.#okTotal + this.#failTotal;
    if (total < this.#options.minRequests) return;
    if (this.#failTotal / total >= this.#options.failureRate) this.#open();
  }

  /** Empties the slots of buckets that fell out of the window on the way to `bucket`. */
  #advance(bucket: number): void {
    if (bucket <= this.#head) return;
    // Each slot is emptied at most once per step, and at most BUCKETS slots per call.
    const from = Math.max(this.#head + 1, bucket - BUCKETS + 1);
    for (let next = from; next <= bucket; next++) {
      const slot = slotOf(next);
      if (this.#slotBucket[slot] !== next) {
        this.#okTotal -= this.#slotOk[slot] ?? 0;
        this.#failTotal -= this.#slotFail[slot] ?? 0;
        this.#slotOk[slot] = 0;
        this.#slotFail[slot] = 0;
        this.#slotBucket[slot] = next;
      }
    }
    this.#head = bucket;
  }

  #reset(): void {
    this.#slotBucket.fill(Number.NEGATIVE_INFINITY);
    this.#slotOk.fill(0);
    this.#slotFail.fill(0);
    this.#okTotal = 0;
    this.#failTotal = 0;
    this.#head = Number.NEGATIVE_INFINITY;
  }

  #open(): void {
    this.#openedAt = this.#options.now();
    this.#reset();
  }

  #close(): void {
    this.#openedAt = undefined;
    this.#reset();
  }
}
