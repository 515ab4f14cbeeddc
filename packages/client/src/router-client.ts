import {
  isRecord,
  NetworkError,
  RouterClientError,
  RouterError,
  routerErrorFromBody,
  TimeoutError,
} from './errors.js';
import { readSseStream } from './sse.js';
import type {
  AskRequest,
  AskResponse,
  AskStreamEvent,
  ContextEnvelope,
  HealthResponse,
  ReadyResponse,
} from './types.js';

/** The subset of `fetch` the client needs, so any spec-following implementation can be injected. */
export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export interface RouterClientOptions {
  /** Router base URL, may include a path prefix. Default http://127.0.0.1:8000. */
  baseUrl?: string;
  /** Router API key, sent as `Authorization: Bearer <key>`. */
  apiKey?: string;
  /** fetch implementation; the global one by default. */
  fetch?: FetchLike;
  /**
   * Give up after this long. For `ask` and the other calls it bounds the whole exchange; for
   * `askStream` it bounds the wait for the response and then each silence between stream chunks,
   * so a long answer that keeps flowing is never cut off. No timeout when absent.
   */
  timeoutMs?: number;
  /** Extra headers sent with every request. */
  headers?: Record<string, string>;
}

export interface RequestOptions {
  /** Aborts the request; the signal's reason is thrown. */
  signal?: AbortSignal;
  /** Overrides the client's `timeoutMs` for this call. */
  timeoutMs?: number;
}

export const DEFAULT_BASE_URL = 'http://127.0.0.1:8000';

/** Typed HTTP client of the OCS AI router. Works with any spec-following fetch (Node 20+, browsers). */
export class RouterClient {
  readonly baseUrl: string;
  private readonly apiKey: string | undefined;
  private readonly fetchImpl: FetchLike | undefined;
  private readonly timeoutMs: number | undefined;
  private readonly headers: Record<string, string>;
  private readonly origin: string;

  constructor(options: RouterClientOptions = {}) {
    this.baseUrl = (options.baseUrl ?? DEFAULT_BASE_URL).replace(/\/+$/, '');
    this.origin = originOf(this.baseUrl);
    this.apiKey = options.apiKey;
    this.fetchImpl = options.fetch;
    this.timeoutMs = options.timeoutMs;
    this.headers = { ...options.headers };
  }

  /** `POST /ask` and wait for the whole answer. */
  async ask(request: AskRequest, options: RequestOptions = {}): Promise<AskResponse> {
    const { stream: _ignored, ...body } = request;
    return this.exchange(options, async (scope) => {
      const response = await this.send('POST', '/ask', body, scope, 'application/json');
      return (await readJson(response)) as AskResponse;
    });
  }

  /**
   * `POST /ask` with `stream: true`, yielding events as they arrive. The request starts on the first
   * iteration; leaving the loop early (break, return, throw) aborts it. An `error` event is thrown
   * as a `RouterError` of kind "stream".
   */
  async *askStream(request: AskRequest, options: RequestOptions = {}): AsyncGenerator<AskStreamEvent> {
    const scope = new RequestScope(options.signal, options.timeoutMs ?? this.timeoutMs, this.origin);
    let completed = false;
    try {
      const response = await this.send(
        'POST',
        '/ask',
        { ...request, stream: true },
        scope,
        'text/event-stream',
      );
      const contentType = response.headers.get('content-type') ?? '';
      if (!contentType.includes('text/event-stream')) {
        // A router (or proxy) that ignored `stream` still answered; hand the answer over as one event.
        const data = (await readJson(response)) as AskResponse;
        completed = true;
        scope.pause();
        yield { type: 'done', data };
        return;
      }
      if (!response.body) throw protocolError(response, 'The event stream has no body');
      const requestId = response.headers.get('x-request-id') ?? undefined;
      // Any bytes, keep-alive comments included, prove the router is alive and restart the clock.
      for await (const message of readSseStream(response.body, { onChunk: () => scope.arm() })) {
        const event = toStreamEvent(message.event, message.data, response.status, requestId);
        if (!event) continue;
        if (event.type === 'done') completed = true;
        scope.pause();
        yield event;
        if (completed) return;
        scope.arm();
      }
      throw new NetworkError('The event stream ended before the done event');
    } catch (error) {
      throw scope.translate(error);
    } finally {
      if (!completed) scope.abort();
      scope.dispose();
    }
  }

  /** `GET /context/{userId}`; null when the router stores none for this user. */
  async getContext(userId: string, options: RequestOptions = {}): Promise<ContextEnvelope | null> {
    const path = contextPath(userId);
    return this.exchange(options, async (scope) => {
      const response = await this.send('GET', path, undefined, scope, 'application/json', [404]);
      if (response.status === 404) {
        await response.body?.cancel();
        return null;
      }
      return (await readJson(response)) as ContextEnvelope;
    });
  }

  /** `POST /context/{userId}`: replaces the stored context; resolves to what the router stored. */
  async putContext(
    userId: string,
    context: ContextEnvelope,
    options: RequestOptions = {},
  ): Promise<ContextEnvelope> {
    return this.writeContext('POST', userId, context, options);
  }

  /** `PATCH /context/{userId}`: merges into the stored context; resolves to the merged result. */
  async patchContext(
    userId: string,
    context: ContextEnvelope,
    options: RequestOptions = {},
  ): Promise<ContextEnvelope> {
    return this.writeContext('PATCH', userId, context, options);
  }

  /** `DELETE /context/{userId}`; false when there was nothing to delete. */
  async deleteContext(userId: string, options: RequestOptions = {}): Promise<boolean> {
    const path = contextPath(userId);
    return this.exchange(options, async (scope) => {
      const response = await this.send('DELETE', path, undefined, scope, 'application/json', [404]);
      await response.body?.cancel();
      return response.status !== 404;
    });
  }

  /** `GET /health`: liveness. */
  async health(options: RequestOptions = {}): Promise<HealthResponse> {
    return this.exchange(options, async (scope) => {
      const response = await this.send('GET', '/health', undefined, scope, 'application/json');
      return (await readJson(response)) as HealthResponse;
    });
  }

  /** `GET /ready`: readiness. A 503 resolves with `ready: false` and the router's reasons. */
  async ready(options: RequestOptions = {}): Promise<ReadyResponse> {
    return this.exchange(options, async (scope) => {
      const response = await this.send('GET', '/ready', undefined, scope, 'application/json', [503]);
      const text = await response.text();
      const body = parseJsonOrNull(text);
      const reasons =
        isRecord(body) && Array.isArray(body['reasons'])
          ? body['reasons'].map((reason) => (typeof reason === 'string' ? reason : JSON.stringify(reason)))
          : [];
      return { ready: response.ok, status: response.status, reasons, body };
    });
  }

  private async writeContext(
    method: 'POST' | 'PATCH',
    userId: string,
    context: ContextEnvelope,
    options: RequestOptions,
  ): Promise<ContextEnvelope> {
    const path = contextPath(userId);
    return this.exchange(options, async (scope) => {
      const response = await this.send(method, path, context, scope, 'application/json');
      const text = await response.text();
      // Some routers answer 204 No Content; the caller then gets back what it sent.
      if (text.trim() === '') return context;
      return parseJson(text, response) as ContextEnvelope;
    });
  }

  /** Runs one non-streaming exchange under a timeout/abort scope and maps failures to typed errors. */
  private async exchange<T>(options: RequestOptions, run: (scope: RequestScope) => Promise<T>): Promise<T> {
    const scope = new RequestScope(options.signal, options.timeoutMs ?? this.timeoutMs, this.origin);
    try {
      return await run(scope);
    } catch (error) {
      throw scope.translate(error);
    } finally {
      scope.dispose();
    }
  }

  /** Sends a request; a non-2xx status (other than `allowStatuses`) is thrown as a RouterError. */
  private async send(
    method: string,
    path: string,
    body: unknown,
    scope: RequestScope,
    accept: string,
    allowStatuses: number[] = [],
  ): Promise<Response> {
    const headers: Record<string, string> = { accept, ...this.headers };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.apiKey) headers['authorization'] = `Bearer ${this.apiKey}`;
    const init: RequestInit = { method, headers, signal: scope.signal };
    if (body !== undefined) init.body = JSON.stringify(body);
    scope.throwIfAborted();
    scope.arm();
    const fetchImpl =
      this.fetchImpl ?? ((input: string, requestInit: RequestInit) => fetch(input, requestInit));
    const response = await fetchImpl(`${this.baseUrl}${path}`, init);
    if (response.ok || allowStatuses.includes(response.status)) return response;
    const text = await response.text().catch(() => '');
    throw routerErrorFromBody(parseJsonOrNull(text), {
      status: response.status,
      statusText: response.statusText,
      requestId: response.headers.get('x-request-id') ?? undefined,
      retryAfter: response.headers.get('retry-after'),
    });
  }
}

/**
 * Couples the caller's signal and the timeout into one AbortController, and remembers which of the
 * two fired so the failure can be reported as what it is.
 */
class RequestScope {
  private readonly controller = new AbortController();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private timedOut = false;
  private readonly onCallerAbort = () => this.controller.abort(this.callerSignal?.reason);

  constructor(
    private readonly callerSignal: AbortSignal | undefined,
    private readonly timeoutMs: number | undefined,
    /** Scheme, host and port only: never credentials or paths, which may be secret. */
    private readonly origin: string,
  ) {
    callerSignal?.addEventListener('abort', this.onCallerAbort, { once: true });
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  throwIfAborted(): void {
    if (this.callerSignal?.aborted) throw this.callerSignal.reason;
  }

  /** (Re)starts the timeout clock. */
  arm(): void {
    this.pause();
    if (this.timeoutMs === undefined || this.timeoutMs <= 0) return;
    const ms = this.timeoutMs;
    this.timer = setTimeout(() => {
      this.timedOut = true;
      this.controller.abort(new TimeoutError(ms));
    }, ms);
  }

  /** Stops the clock while the caller, not the router, is the one being slow. */
  pause(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  abort(): void {
    this.controller.abort();
  }

  dispose(): void {
    this.pause();
    this.callerSignal?.removeEventListener('abort', this.onCallerAbort);
  }

  translate(error: unknown): unknown {
    if (this.timedOut) return new TimeoutError(this.timeoutMs ?? 0);
    if (this.callerSignal?.aborted) return this.callerSignal.reason;
    if (error instanceof RouterClientError) return error;
    return new NetworkError(`Could not reach the router at ${this.origin}: ${describeFailure(error)}`, {
      cause: error,
    });
  }
}

function originOf(baseUrl: string): string {
  try {
    return new URL(baseUrl).origin;
  } catch {
    return 'the configured URL';
  }
}

/** fetch hides the useful part ("ECONNREFUSED") in `cause`. */
function describeFailure(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const cause =
    error instanceof Error ? (error.cause as { code?: unknown; message?: unknown } | undefined) : undefined;
  const detail =
    typeof cause?.code === 'string' ? cause.code : typeof cause?.message === 'string' ? cause.message : '';
  return detail && detail !== message ? `${message} (${detail})` : message;
}

function contextPath(userId: string): string {
  if (userId === '') throw new TypeError('userId must not be empty');
  return `/context/${encodeURIComponent(userId)}`;
}

async function readJson(response: Response): Promise<unknown> {
  return parseJson(await response.text(), response);
}

function parseJson(text: string, response: Response): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw protocolError(response, 'The router answered with a body that is not JSON');
  }
}

function parseJsonOrNull(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function protocolError(response: Response, message: string): RouterError {
  return new RouterError({
    status: response.status,
    type: 'invalid_response',
    kind: 'protocol',
    message,
    requestId: response.headers.get('x-request-id') ?? undefined,
  });
}

const STREAM_EVENT_TYPES = new Set(['delta', 'tool_call', 'tool_result', 'confirmation', 'done']);

/** Maps one SSE message to a typed event; null for events this client does not know (forward compatible). */
function toStreamEvent(
  name: string,
  data: string,
  status: number,
  requestId: string | undefined,
): AskStreamEvent | null {
  if (name !== 'error' && !STREAM_EVENT_TYPES.has(name)) return null;
  let payload: unknown;
  try {
    payload = JSON.parse(data);
  } catch {
    throw new RouterError({
      status,
      type: 'invalid_response',
      kind: 'protocol',
      message: `The router sent a "${name}" event whose data is not JSON`,
      requestId,
    });
  }
  if (name === 'error') throw routerErrorFromBody(payload, { status, requestId }, 'stream');
  return { type: name, data: payload } as AskStreamEvent;
}
