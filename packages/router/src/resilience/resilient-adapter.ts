import type { Redactor } from '@ocsai/telemetry';
import type { GenAiClientMetrics } from '@ocsai/telemetry/metrics';
import type { IBackoffFactory, IRetryBackoffContext } from 'cockatiel';
import type { Logger } from '../logger.js';
import { unsupportedParameter } from '../providers/parameters.js';
import {
  type ChatRequest,
  type ChatResult,
  type ProviderAdapter,
  ProviderError,
  type ProviderName,
  type StreamEvent,
} from '../providers/types.js';
import { retryDelay } from './backoff.js';
import { CircuitBreaker } from './circuit-breaker.js';
import { cockatiel, loadCockatiel, loadedCockatiel } from './cockatiel.js';
import { type InferenceObservation, InferenceTelemetry } from './inference-telemetry.js';
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
  random?: () => number;
  /** gen_ai_client_* histograms, one observation per attempt. */
  genAi?: Pick<GenAiClientMetrics, 'record'>;
  /** Redacts message content captured on spans (OTEL_GENAI_CAPTURE_CONTENT=true, read from env). */
  redactor?: Redactor;
  env?: Record<string, string | undefined>;
}

interface Candidate {
  adapter: ProviderAdapter;
  model: string;
  /** Not the provider the request asked for: one of LLM_FALLBACKS. */
  fallback: boolean;
}

type Call<T> = (
  adapter: ProviderAdapter,
  request: ChatRequest,
  observation: InferenceObservation,
) => Promise<T>;

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
  readonly #telemetry: InferenceTelemetry;

  constructor(options: ResilientProvidersOptions) {
    this.#options = options;
    this.#telemetry = new InferenceTelemetry({
      ...(options.genAi ? { metrics: options.genAi } : {}),
      ...(options.redactor ? { redactor: options.redactor } : {}),
      ...(options.env ? { env: options.env } : {}),
    });
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
      ...(primary.parameters && { parameters: primary.parameters }),
      chat: (request) => this.#chat(primary, request),
      stream: (request) => this.#stream(primary, request),
    };
    if (primary.listModels) wrapped.listModels = primary.listModels.bind(primary);
    // Pass-through speaks the provider's own wire format: no retry or fallback can stand in for it.
    if (primary.messages) return { ...wrapped, messages: primary.messages };
    return wrapped;
  }

  #candidates(primary: ProviderAdapter, request: ChatRequest): Candidate[] {
    const { model } = request;
    const candidates: Candidate[] = [{ adapter: primary, model, fallback: false }];
    for (const target of this.#options.config.LLM_FALLBACKS) {
      if (target.provider === primary.name && target.model === model) continue;
      if (!this.#options.isConfigured(target.provider)) continue;
      let adapter: ProviderAdapter;
      try {
        adapter = this.#plainAdapter(target.provider);
      } catch {
        // A fallback that cannot be built is skipped like an unconfigured one.
        continue;
      }
      // A fallback that would refuse a parameter the caller set is skipped, not called: the answer
      // must never quietly lose what the request asked for (the primary's own refusal is a 400).
      const refusal = adapter.parameters && unsupportedParameter(adapter.name, adapter.parameters, request);
      if (refusal) {
        this.#options.logger?.debug(
          { provider: adapter.name, parameter: refusal.parameter },
          'fallback skipped: it would refuse a parameter of the request',
        );
        continue;
      }
      candidates.push({ adapter, model: target.model, fallback: true });
    }
    return candidates;
  }

  async #chat(primary: ProviderAdapter, request: ChatRequest): Promise<ChatResult> {
    const { value, who } = await this.#runWithFallback(
      primary,
      request,
      async (adapter, call, observation) => {
        const result = await adapter.chat(call);
        observation.succeeded(result);
        return result;
      },
    );
    answered.set(value, { ...who, model: value.model ?? who.model });
    return value;
  }

  async *#stream(
    primary: ProviderAdapter,
    request: ChatRequest,
  ): AsyncGenerator<StreamEvent, void, undefined> {
    const { value: opened, who } = await this.#runWithFallback(primary, request, openStream);
    // From here on bytes flow to the client: no more retries, errors surface as they are.
    const { held, iterator, observation } = opened;
    try {
      for (const event of held) yield tagDone(event, who, observation);
      while (true) {
        const next = await iterator.next();
        if (next.done) break;
        yield tagDone(next.value, who, observation);
      }
    } catch (error) {
      observation.failed(error);
      throw error;
    } finally {
      observation.end();
      await iterator.return?.();
    }
  }

  /**
   * The primary, then each configured fallback, each with its retries, within one time budget.
   * Returns the first success and who gave it, or throws the error to report: the first one no
   * retry can help (invalid request, client gone), else the last one, else "every breaker open".
   */
  async #runWithFallback<T>(
    primary: ProviderAdapter,
    request: ChatRequest,
    call: Call<T>,
  ): Promise<{ value: T; who: AnsweredBy }> {
    const run: RunState = {
      deadline: Date.now() + this.#options.config.LLM_RETRY_BUDGET_MS,
      attempts: 0,
      lastError: undefined,
      breakerWaitMs: undefined,
    };
    for (const candidate of this.#candidates(primary, request)) {
      const name = candidate.adapter.name as ProviderName;
      try {
        const value = await this.#withRetries(name, candidate, request, run, call);
        return { value, who: { provider: name, model: candidate.model, attempts: run.attempts } };
      } catch (error) {
        if (error instanceof BreakerRefused) {
          run.breakerWaitMs = Math.min(run.breakerWaitMs ?? error.waitMs, error.waitMs);
          this.#options.logger?.debug({ provider: name }, 'circuit open: skipping provider');
        } else if (error instanceof ProviderError && error.retryable) {
          run.lastError = error;
        } else {
          throw error;
        }
      }
      if (Date.now() >= run.deadline) break;
      this.#options.logger?.info({ provider: name }, 'provider gave up; trying the next fallback');
    }
    if (run.lastError !== undefined) throw run.lastError;
    throw new ProviderError(primary.name, 'overloaded', 'circuit breaker open for every candidate provider', {
      status: 503,
      retryable: true,
      retryAfterMs: Math.max(1000, run.breakerWaitMs ?? 0),
    });
  }

  /**
   * One provider: each try through the provider's breaker, retried by cockatiel's retry policy.
   * The first try runs outside the policy, which is built only when that try fails in a way a retry
   * may help: a request answered at once (nearly every one) then allocates no policy, backoff,
   * listeners or execute frames (about 6 KB per request, kept alive while it waits on the upstream).
   */
  async #withRetries<T>(
    name: ProviderName,
    candidate: Candidate,
    request: ChatRequest,
    run: RunState,
    call: Call<T>,
  ): Promise<T> {
    // The breaker is built on cockatiel too: loaded with the first provider call.
    if (!loadedCockatiel()) await loadCockatiel();
    const breaker = this.breaker(name);
    try {
      return await this.#attempt(name, candidate, request, run, call, breaker);
    } catch (error) {
      if (!isRetryable(error)) throw error;
      return this.#retried(name, candidate, request, run, call, breaker, error);
    }
  }

  /**
   * The policy takes over after a retryable first failure as if it had made that try itself: its
   * first invocation rethrows that failure without calling anyone, so cockatiel decides, backs off,
   * logs and makes every further try exactly as when it ran the whole call.
   */
  #retried<T>(
    name: ProviderName,
    candidate: Candidate,
    request: ChatRequest,
    run: RunState,
    call: Call<T>,
    breaker: CircuitBreaker,
    firstFailure: unknown,
  ): Promise<T> {
    const { config, logger } = this.#options;
    const { handleWhen, retry } = cockatiel();
    const policy = retry(handleWhen(isRetryable), {
      maxAttempts: config.LLM_MAX_RETRIES,
      backoff: budgetedBackoff({
        baseMs: config.LLM_RETRY_BASE_MS,
        deadline: run.deadline,
        ...(this.#options.random && { random: this.#options.random }),
        onWait: (error, delay) =>
          logger?.debug(
            { provider: name, kind: error.kind, status: error.status, delay_ms: delay },
            'retrying',
          ),
      }),
      // A wait the client aborted must not keep the process alive until it ends.
    }).dangerouslyUnref();
    let waiting = false;
    policy.onRetry(() => {
      waiting = true;
    });
    let replayed = false;
    const running = policy.execute(() => {
      waiting = false;
      if (!replayed) {
        replayed = true;
        return Promise.reject(firstFailure);
      }
      return this.#attempt(name, candidate, request, run, call, breaker);
    });
    const signal = request.signal;
    if (!signal) return running;
    // cockatiel's wait between tries does not listen to the signal: a client that leaves during
    // a wait ends the request at once (the wait's late wake-up finds the signal aborted, calls nothing).
    running.catch(() => {});
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => {
        if (waiting) reject(abortedError(name));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      running.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  }

  /** One try: refused by an open breaker, else one call of the provider, settled on its breaker. */
  async #attempt<T>(
    name: ProviderName,
    candidate: Candidate,
    request: ChatRequest,
    run: RunState,
    call: Call<T>,
    breaker: CircuitBreaker,
  ): Promise<T> {
    if (request.signal?.aborted) throw abortedError(name);
    const permit = breaker.tryAcquire();
    if (!permit) throw new BreakerRefused(breaker.retryAfterMs());
    run.attempts++;
    const observation = this.#telemetry.begin({
      provider: name,
      model: candidate.model,
      request,
      attempt: run.attempts,
      fallback: candidate.fallback,
    });
    try {
      const value = await call(candidate.adapter, { ...request, model: candidate.model }, observation);
      permit.success();
      return value;
    } catch (error) {
      observation.failed(error);
      if (request.signal?.aborted || (error instanceof ProviderError && error.kind === 'aborted')) {
        permit.release();
        throw error instanceof ProviderError ? error : abortedError(name);
      }
      // The request itself is wrong (or the credentials are): another try cannot help.
      if (error instanceof ProviderError && error.retryable) permit.failure();
      else permit.release();
      throw error;
    }
  }
}

/** What the retry policy repeats: a provider failure marked retryable (never an abort or a refusal). */
function isRetryable(error: unknown): boolean {
  return error instanceof ProviderError && error.retryable;
}

interface RunState {
  deadline: number;
  attempts: number;
  lastError: unknown;
  breakerWaitMs: number | undefined;
}

/** The breaker refused a call: the provider is skipped, not retried. */
class BreakerRefused extends Error {
  constructor(readonly waitMs: number) {
    super('circuit open');
  }
}

/**
 * cockatiel backoff: full jitter, never shorter than the upstream's Retry-After, and none at all
 * when the wait would overrun the request's budget: then the last error is the answer.
 */
function budgetedBackoff(options: {
  baseMs: number;
  deadline: number;
  random?: () => number;
  onWait(error: ProviderError, delayMs: number): void;
}): IBackoffFactory<IRetryBackoffContext<unknown>> {
  const factory: IBackoffFactory<IRetryBackoffContext<unknown>> = {
    next(context) {
      const error = (context.result as { error: ProviderError }).error;
      const duration = retryDelay(context.attempt - 1, {
        baseMs: options.baseMs,
        capMs: BACKOFF_CAP_MS,
        ...(error.retryAfterMs !== undefined && { retryAfterMs: error.retryAfterMs }),
        ...(options.random && { random: options.random }),
      });
      if (Date.now() + duration > options.deadline) throw error;
      options.onWait(error, duration);
      return { duration, next: factory.next };
    },
  };
  return factory;
}

interface OpenedStream {
  held: StreamEvent[];
  iterator: AsyncIterator<StreamEvent>;
  /** Settled at the stream's done event, its error, or when the client leaves. */
  observation: InferenceObservation;
}

function abortedError(provider: ProviderName): ProviderError {
  return new ProviderError(provider, 'aborted', 'The client closed the request');
}

/** A real event: one the client would see (empty text deltas are not). */
function isReal(event: StreamEvent): boolean {
  return event.type !== 'text' || event.text.length > 0;
}

/** Starts a stream and pulls until its first real event, so a failure before it can be retried. */
async function openStream(
  adapter: ProviderAdapter,
  request: ChatRequest,
  observation: InferenceObservation,
): Promise<OpenedStream> {
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
  return { held, iterator, observation };
}

function tagDone(event: StreamEvent, who: AnsweredBy, observation: InferenceObservation): StreamEvent {
  if (event.type === 'done') {
    answered.set(event.result, { ...who, model: event.result.model || who.model });
    observation.succeeded(event.result);
  }
  return event;
}
