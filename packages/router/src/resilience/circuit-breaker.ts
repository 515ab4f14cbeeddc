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

/** Outcomes kept per breaker, whatever the traffic: bounds memory under a flood. */
const MAX_OUTCOMES = 1000;

export interface BreakerPermit {
  /** Records the call's outcome; a permit counts once. */
  success(): void;
  failure(): void;
  /** The call ended without a verdict (client went away): a half-open probe slot is freed. */
  release(): void;
}

export class CircuitBreaker {
  readonly #options: Required<CircuitBreakerOptions>;
  #outcomes: { at: number; ok: boolean }[] = [];
  #openedAt: number | undefined;
  #probeInFlight = false;

  constructor(options: CircuitBreakerOptions) {
    this.#options = { now: Date.now, ...options };
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
    const now = this.#options.now();
    const since = now - this.#options.windowMs;
    this.#outcomes.push({ at: now, ok });
    let drop = 0;
    while (drop < this.#outcomes.length && (this.#outcomes[drop]?.at ?? now) < since) drop++;
    if (this.#outcomes.length - drop > MAX_OUTCOMES) drop = this.#outcomes.length - MAX_OUTCOMES;
    if (drop) this.#outcomes = this.#outcomes.slice(drop);
    if (this.#outcomes.length < this.#options.minRequests) return;
    const failures = this.#outcomes.reduce((count, outcome) => count + (outcome.ok ? 0 : 1), 0);
    if (failures / this.#outcomes.length >= this.#options.failureRate) this.#open();
  }

  #open(): void {
    this.#openedAt = this.#options.now();
    this.#outcomes = [];
  }

  #close(): void {
    this.#openedAt = undefined;
    this.#outcomes = [];
  }
}
