import type { Logger } from '../logger.js';
import {
  type ChatRequest,
  type ChatResult,
  type ProviderAdapter,
  ProviderError,
  type ProviderName,
  type StreamEvent,
} from '../providers/types.js';
import { abortableSleep, retryDelay } from './backoff.js';
import { CircuitBreaker } from './circuit-breaker.js';
import type { ResilienceConfig } from './resilience-config.js';

/** Who actually answered a request, and after how many upstream calls. */
export interface AnsweredBy {
  provider: ProviderName;
  model: string;
  attempts: number;
}

/** Ceiling of one backoff wait; Retry-After may ask for more and is honoured within the budget. */
const BACKOFF_CAP_MS = 8000;

// Results carry who answered without widening ChatResult: a WeakMap never outlives its result.
const answered = new WeakMap<ChatResult, AnsweredBy>();

/** The provider/model/attempts behind a result produced through a ResilientProviders adapter. */
export function answeredBy(result: ChatResult): AnsweredBy | undefined {
  return answered.get(result);
}

export interface ResilientProvidersOptions {
  config: ResilienceConfig;
  /** Builds the plain adapter for a provider; throws when it is not configured. */
  createAdapter(name: ProviderName): ProviderAdapter;
  isConfigured(name: ProviderName): boolean;
  logger?: Logger;
  now?: () => number;
  random?: () => number;
}

interface Candidate {
  adapter: ProviderAdapter;
  model: string;
}

/**
 * Retries, fallbacks and circuit breakers around the provider adapters. `wrap()` returns an
 * adapter with the same face, so the ask service and the tool loop need not know about any of it.
 * A retry or fallback is only possible until the first byte could have reached the client: for
 * chat() until the result, for stream() until the first real event (which is held back until then).
 */
export class ResilientProviders {
  readonly #options: ResilientProvidersOptions;
  readonly #breakers = new Map<ProviderName, CircuitBreaker>();
  /** One plain adapter per provider, shared by its wrapper and by fallbacks (one connection pool). */
  readonly #plain = new Map<ProviderName, ProviderAdapter>();

  constructor(options: ResilientProvidersOptions) {
    this.#options = options;
  }

  breaker(name: ProviderName): CircuitBreaker {
    let breaker = this.#breakers.get(name);
    if (!breaker) {
      const { config } = this.#options;
      breaker = new CircuitBreaker({
        failureRate: config.LLM_BREAKER_FAILURE_RATE,
        minRequests: config.LLM_BREAKER_MIN_REQUESTS,
        windowMs: config.LLM_BREAKER_WINDOW_MS,
        cooldownMs: config.LLM_BREAKER_COOLDOWN_MS,
        ...(this.#options.now && { now: this.#options.now }),
      });
      this.#breakers.set(name, breaker);
    }
    return breaker;
  }

  /** The resilient adapter for a provider; throws like createAdapter() when it is not configured. */
  create(name: ProviderName): ProviderAdapter {
    return this.wrap(this.#plainAdapter(name));
  }

  #plainAdapter(name: ProviderName): ProviderAdapter {
    let adapter = this.#plain.get(name);
    if (!adapter) {
      adapter = this.#options.createAdapter(name);
      this.#plain.set(name, adapter);
    }
    return adapter;
  }

  /** Closes the plain adapters (their connection pools). */
  async close(): Promise<void> {
    const adapters = [...this.#plain.values()];
    this.#plain.clear();
    await Promise.allSettled(adapters.map((adapter) => adapter.close?.()));
  }

  /** Wraps an adapter whose lifetime the caller owns. */
  wrap(primary: ProviderAdapter): ProviderAdapter {
    const wrapped: ProviderAdapter = {
      name: primary.name,
      defaultModel: primary.defaultModel,
      baseUrl: primary.baseUrl,
      chat: (request) => this.#chat(primary, request),
      stream: (request) => this.#stream(primary, request),
    };
    if (primary.listModels) wrapped.listModels = primary.listModels.bind(primary);
    return wrapped;
  }

  #candidates(primary: ProviderAdapter, model: string): Candidate[] {
    const candidates: Candidate[] = [{ adapter: primary, model }];
    for (const target of this.#options.config.LLM_FALLBACKS) {
      if (target.provider === primary.name && target.model === model) continue;
      if (!this.#options.isConfigured(target.provider)) continue;
      try {
        candidates.push({ adapter: this.#plainAdapter(target.provider), model: target.model });
      } catch {
        // A fallback that cannot be built is skipped like an unconfigured one.
      }
    }
    return candidates;
  }

  async #chat(primary: ProviderAdapter, request: ChatRequest): Promise<ChatResult> {
    const run = this.#attempts(primary, request);
    let step = await run.next();
    while (!step.done) {
      const call = step.value;
      let outcome: AttemptOutcome;
      try {
        outcome = { ok: true, result: await call.adapter.chat(call.request) };
      } catch (error) {
        outcome = { ok: false, error };
      }
      step = await run.next(outcome);
    }
    const { result } = step.value;
    if (!result) throw new Error('unreachable: a chat attempt succeeded without a result');
    return result;
  }

  async *#stream(
    primary: ProviderAdapter,
    request: ChatRequest,
  ): AsyncGenerator<StreamEvent, void, undefined> {
    const run = this.#attempts(primary, request);
    let step = await run.next();
    let opened: OpenedStream | undefined;
    while (!step.done) {
      const call = step.value;
      try {
        opened = await openStream(call.adapter, call.request);
        step = await run.next({ ok: true, result: undefined });
      } catch (error) {
        step = await run.next({ ok: false, error });
      }
    }
    if (!opened) throw new Error('unreachable: a stream attempt succeeded without a stream');
    const who: AnsweredBy = {
      provider: step.value.provider,
      model: step.value.model,
      attempts: step.value.attempts,
    };
    // From here on bytes flow to the client: no more retries, errors surface as they are.
    const { held, iterator } = opened;
    try {
      for (const event of held) yield tagDone(event, who);
      while (true) {
        const next = await iterator.next();
        if (next.done) break;
        yield tagDone(next.value, who);
      }
    } finally {
      await iterator.return?.();
    }
  }

  /**
   * The retry/fallback plan as a generator: it yields the next upstream call to make and receives
   * its outcome, so chat() and stream() share one policy. It returns who answered, or throws the
   * error to report.
   */
  async *#attempts(
    primary: ProviderAdapter,
    request: ChatRequest,
  ): AsyncGenerator<AttemptCall, AnsweredBy & { result?: ChatResult }, AttemptOutcome> {
    const { config, logger } = this.#options;
    const now = this.#options.now ?? Date.now;
    const deadline = now() + config.LLM_RETRY_BUDGET_MS;
    let attempts = 0;
    let lastError: unknown;
    let breakerWaitMs: number | undefined;

    for (const candidate of this.#candidates(primary, request.model)) {
      const name = candidate.adapter.name as ProviderName;
      const breaker = this.breaker(name);
      for (let retry = 0; retry <= config.LLM_MAX_RETRIES; retry++) {
        const permit = breaker.tryAcquire();
        if (!permit) {
          const wait = breaker.retryAfterMs();
          breakerWaitMs = breakerWaitMs === undefined ? wait : Math.min(breakerWaitMs, wait);
          logger?.debug({ provider: name }, 'circuit open: skipping provider');
          break;
        }
        attempts++;
        const outcome = yield { adapter: candidate.adapter, request: { ...request, model: candidate.model } };
        if (outcome.ok) {
          permit.success();
          const who: AnsweredBy = {
            provider: name,
            model: outcome.result?.model ?? candidate.model,
            attempts,
          };
          if (outcome.result) answered.set(outcome.result, who);
          return { ...who, ...(outcome.result && { result: outcome.result }) };
        }
        const error = outcome.error;
        if (request.signal?.aborted || (error instanceof ProviderError && error.kind === 'aborted')) {
          permit.release();
          throw error instanceof ProviderError ? error : abortedError(name);
        }
        if (!(error instanceof ProviderError) || !error.retryable) {
          // The request itself is wrong (or the credentials are): another try cannot help.
          permit.release();
          throw error;
        }
        permit.failure();
        lastError = error;
        if (retry === config.LLM_MAX_RETRIES) break;
        const delay = retryDelay(retry, {
          baseMs: config.LLM_RETRY_BASE_MS,
          capMs: BACKOFF_CAP_MS,
          ...(error.retryAfterMs !== undefined && { retryAfterMs: error.retryAfterMs }),
          ...(this.#options.random && { random: this.#options.random }),
        });
        if (now() + delay > deadline) break;
        logger?.debug(
          { provider: name, kind: error.kind, status: error.status, delay_ms: delay },
          'retrying',
        );
        await abortableSleep(delay, request.signal, () => abortedError(name));
      }
      if (now() >= deadline) break;
      if (lastError !== undefined || breakerWaitMs !== undefined)
        logger?.info({ provider: name }, 'provider gave up; trying the next fallback');
    }
    if (lastError !== undefined) throw lastError;
    throw new ProviderError(primary.name, 'overloaded', 'circuit breaker open for every candidate provider', {
      status: 503,
      retryable: true,
      retryAfterMs: Math.max(1000, breakerWaitMs ?? 0),
    });
  }
}

interface AttemptCall {
  adapter: ProviderAdapter;
  request: ChatRequest;
}

type AttemptOutcome = { ok: true; result: ChatResult | undefined } | { ok: false; error: unknown };

interface OpenedStream {
  held: StreamEvent[];
  iterator: AsyncIterator<StreamEvent>;
}

function abortedError(provider: ProviderName): ProviderError {
  return new ProviderError(provider, 'aborted', 'The client closed the request');
}

/** A real event: one the client would see (empty text deltas are not). */
function isReal(event: StreamEvent): boolean {
  return event.type !== 'text' || event.text.length > 0;
}

/** Starts a stream and pulls until its first real event, so a failure before it can be retried. */
async function openStream(adapter: ProviderAdapter, request: ChatRequest): Promise<OpenedStream> {
  const iterator = adapter.stream(request)[Symbol.asyncIterator]();
  const held: StreamEvent[] = [];
  try {
    while (true) {
      const next = await iterator.next();
      if (next.done)
        throw new ProviderError(adapter.name, 'upstream', 'The stream ended before any event', {
          retryable: true,
        });
      held.push(next.value);
      if (isReal(next.value)) break;
    }
  } catch (error) {
    await iterator.return?.().catch(() => {});
    throw error;
  }
  return { held, iterator };
}

function tagDone(event: StreamEvent, who: AnsweredBy): StreamEvent {
  if (event.type === 'done') answered.set(event.result, { ...who, model: event.result.model || who.model });
  return event;
}
