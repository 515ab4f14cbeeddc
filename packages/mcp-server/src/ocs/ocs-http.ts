import { randomUUID } from 'node:crypto';
import { EMULATOR_DEDUPLICATES_HEADER } from '@ocsai/contract';
import { injectTraceContext, OCSAI, tracingActive, withSpan } from '@ocsai/telemetry';
import type { Span } from '@opentelemetry/api';
import type { IPolicy } from 'cockatiel';
import type { Logger } from 'pino';
import type { Pool } from 'undici';
import { Cancellation, type CancelSignal } from '../cancellation.js';
import type { ServerMetrics } from '../observability/server-metrics.js';
import { type OcsCallContext, OcsFailure, ocsFailureFromStatus } from './ocs-failure.js';

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export interface OcsHttpOptions {
  baseUrl: string;
  apiKey?: string | undefined;
  timeoutMs: number;
  logger: Logger;
  /** Attempts for retry-safe calls (1 = no retry). */
  maxAttempts?: number;
  /** First backoff step in ms; doubles per attempt, with full jitter. */
  backoffBaseMs?: number;
  /**
   * Whether the OCS replays a POST that repeats an X-Transaction-ID (OCS_BACKEND_DEDUPLICATES).
   * `auto`: only once a response carried the emulator's deduplication header.
   */
  backendDeduplicates?: 'auto' | 'true' | 'false';
  /** Where each attempt's latency is observed (mcp_server_ocs_request_duration_seconds). */
  metrics?: ServerMetrics;
}

export interface OcsRequest {
  method: HttpMethod;
  /** Path below the base URL, starting with "/", already URL-encoded. */
  path: string;
  /**
   * The path's template below the base URL (`/subscribers/{id}`): the span name and the metric's
   * `operation` label, which must not carry ids.
   */
  route: string;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  transactionId: string;
  signal?: CancelSignal | undefined;
  context: OcsCallContext;
}

export interface OcsResponse {
  status: number;
  body: unknown;
}

/** Statuses after which a retry-safe call is repeated: the OCS (or a proxy) was briefly unable. */
const RETRY_STATUSES = new Set([429, 502, 503, 504]);
/** Socket-level failures worth repeating a read for. */
const RETRY_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'EAI_AGAIN',
  'ENOTFOUND',
  'UND_ERR_CONNECT_TIMEOUT',
]);
/**
 * Failures before a single byte reached the OCS: no connection (refused, DNS, connect timeout).
 * Only after these may a write be repeated against a backend that does not deduplicate.
 */
const NEVER_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT']);
/**
 * Answers to a write after which nobody knows whether it was applied: the request reached something
 * (the OCS or a proxy in front of it), and a 5xx or 408 does not say the OCS rolled it back.
 */
const AMBIGUOUS_WRITE_STATUSES = (status: number) => status === 408 || status >= 500;

export function newTransactionId(): string {
  return randomUUID();
}

/** Failed attempts that may be repeated, with the call's logger (set by the attempt that failed). */
const RETRYABLE = new WeakMap<OcsFailure, () => Logger>();

/** Why a failed attempt may be repeated at all: nothing reached the OCS, or it was briefly unable. */
function retryClass(failure: OcsFailure): { neverSent: boolean; transient: boolean } {
  const code = (failure.detail as { code?: string } | undefined)?.code;
  return {
    neverSent: failure.status === undefined && code !== undefined && NEVER_SENT_CODES.has(code),
    transient:
      failure.kind === 'unavailable' &&
      (failure.status !== undefined
        ? RETRY_STATUSES.has(failure.status)
        : code !== undefined && RETRY_CODES.has(code)),
  };
}

/**
 * The HTTP leg to the OCS: one keep-alive pool, X-Transaction-ID on every call, a deadline per call
 * (retries included), cancellation from the MCP request, and retries only where repeating is safe:
 * - GET: after 429/502/503/504 and socket errors;
 * - POST: after the same, but only when the OCS is known to deduplicate on X-Transaction-ID (our
 *   emulator, which says so in a response header, or OCS_BACKEND_DEDUPLICATES=true). The real
 *   backend echoes the header and nothing more, so there a POST is repeated only when it certainly
 *   never left this process (connection refused, DNS failure, connect timeout);
 * - PATCH, PUT, DELETE: only when never sent.
 * A write whose outcome is unknown (timeout, 5xx/408, connection lost after sending) becomes an
 * `outcome_unknown` error naming the read that tells and the transaction id, instead of a repeat
 * that could apply it twice.
 */
export class OcsHttp {
  /** undici loads on the first OCS call, not at start-up: it is ~0.2 s of the server's cold start. */
  private pool: Promise<Pool> | undefined;
  /** The pool once loaded: every later call uses it without awaiting the load again. */
  private poolReady: Pool | undefined;
  /** The retry policy (cockatiel), loaded with the first call for the same reason. */
  private retries: Promise<IPolicy> | undefined;
  private readonly origin: string;
  private readonly url: URL;
  private readonly basePath: string;
  private readonly maxAttempts: number;
  private readonly backoffBaseMs: number;
  private deduplicationSeen = false;

  constructor(private readonly options: OcsHttpOptions) {
    const url = new URL(options.baseUrl);
    this.url = url;
    this.origin = url.origin;
    this.basePath = url.pathname.replace(/\/+$/, '');
    this.maxAttempts = options.maxAttempts ?? 3;
    this.backoffBaseMs = options.backoffBaseMs ?? 100;
  }

  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = undefined;
    this.poolReady = undefined;
    if (pool) await (await pool).close();
  }

  /** Whether a repeated POST with the same X-Transaction-ID is replayed by this OCS rather than applied again. */
  get backendDeduplicates(): boolean {
    const mode = this.options.backendDeduplicates ?? 'auto';
    return mode === 'true' || (mode === 'auto' && this.deduplicationSeen);
  }

  async request(req: OcsRequest): Promise<OcsResponse> {
    const isWrite = req.method !== 'GET';
    // One cancellation per call for the deadline (retries included) and the MCP request's cancellation:
    // cheaper on the hot path than AbortSignal.timeout() joined with AbortSignal.any(), and not an
    // AbortController, whose signal V8 promotes to old space on every call (cancellation.ts).
    const call = new Cancellation();
    const deadline = { expired: false };
    const timer = setTimeout(() => {
      deadline.expired = true;
      call.abort(new DOMException('OCS call timed out', 'TimeoutError'));
    }, this.options.timeoutMs);
    const cancel = () => call.abort(req.signal?.reason);
    if (req.signal?.aborted) cancel();
    else req.signal?.addEventListener('abort', cancel, { once: true });
    // The per-call child logger is only built when something is logged.
    let child: Logger | undefined;
    const log = () => {
      child ??= this.options.logger.child({ transactionId: req.transactionId });
      return child;
    };
    try {
      // Loaded with the first call but not awaited, so it is ready by the time a call fails. A failed
      // load is not lost: it rejects the `await this.retries` of the first call that needs a retry.
      if (!this.retries) {
        this.retries = this.retryPolicy();
        this.retries.catch(() => {});
      }
      // The first attempt runs outside the policy: a call answered at once (nearly every call) then
      // costs no policy.execute (two more async frames and cockatiel's invoke wrapper per call).
      const outcome = await this.once(req, call, deadline, log);
      if (!(outcome instanceof OcsFailure)) return outcome;
      if (!this.markRetryable(req, outcome, log)) throw outcome;
      // A repeatable first failure: the policy takes over as if it had made that attempt itself. Its
      // first invocation rethrows that failure without I/O, so cockatiel decides, logs (onRetry),
      // backs off and makes every further attempt exactly as when it ran the whole call.
      const policy = await this.retries;
      let replayed = false;
      return await policy.execute(async () => {
        if (!replayed) {
          replayed = true;
          throw outcome;
        }
        const next = await this.once(req, call, deadline, log);
        if (!(next instanceof OcsFailure)) return next;
        this.markRetryable(req, next, log);
        throw next;
      }, call.asAbortSignal());
    } catch (err) {
      if (!(err instanceof OcsFailure)) throw err;
      const { neverSent } = retryClass(err);
      // A deduplicating OCS makes the client's repeat (same transaction id) safe; any other gets told.
      const deduplicated = req.method === 'POST' && this.backendDeduplicates;
      throw isWrite && !neverSent && !deduplicated ? this.ambiguity(req, err) : err;
    } finally {
      clearTimeout(timer);
      req.signal?.removeEventListener('abort', cancel);
    }
  }

  /**
   * Marks a failed attempt for the retry policy when it may be repeated: nothing reached the OCS, or
   * it was briefly unable and repeating is safe for this method. Decided after each answer: the
   * failed answer itself may say that the OCS deduplicates.
   */
  private markRetryable(req: OcsRequest, failure: OcsFailure, log: () => Logger): boolean {
    const { neverSent, transient } = retryClass(failure);
    const repeatable = req.method === 'GET' || (req.method === 'POST' && this.backendDeduplicates);
    if (!neverSent && !(repeatable && transient)) return false;
    RETRYABLE.set(failure, log);
    return true;
  }

  /** The keep-alive pool, created on the first call (with undici itself). */
  private async loadPool(): Promise<Pool> {
    this.pool ??= import('undici').then(
      ({ Pool }) => new Pool(this.origin, { connections: 16, keepAliveTimeout: 30_000, pipelining: 1 }),
    );
    const loading = this.pool;
    const pool = await loading;
    // Not kept when close() ran meanwhile: that pool is closed, and the next call makes a new one.
    if (this.pool === loading) this.poolReady = pool;
    return pool;
  }

  /**
   * One cockatiel retry policy for every call: it repeats exactly the failures {@link request}
   * marked retryable (never once the call was cancelled or ran out of time), backing off from
   * backoffBaseMs, doubling, with half jitter (between half and all of each step).
   */
  private async retryPolicy(): Promise<IPolicy> {
    const { ExponentialBackoff, halfJitterGenerator, handleWhen, retry } = await import('cockatiel');
    const policy = retry(
      handleWhen((err) => err instanceof OcsFailure && RETRYABLE.has(err)),
      {
        maxAttempts: this.maxAttempts - 1,
        backoff: new ExponentialBackoff({
          initialDelay: this.backoffBaseMs,
          maxDelay: this.backoffBaseMs * 2 ** this.maxAttempts,
          generator: halfJitterGenerator,
        }),
      },
    );
    policy.onRetry((r) => {
      const failure = 'error' in r ? (r.error as OcsFailure) : undefined;
      const log = failure ? RETRYABLE.get(failure) : undefined;
      log?.().warn(
        { attempt: r.attempt, status: failure?.status, code: (failure?.detail as { code?: string })?.code },
        'OCS call failed; retrying',
      );
    });
    return policy;
  }

  /**
   * For a write: turns a failure that does not prove "nothing happened" into outcome_unknown. A
   * definite refusal (4xx other than 408, a 429, no connection at all) stays what it is.
   */
  private ambiguity(req: OcsRequest, failure: OcsFailure): OcsFailure {
    const status = failure.status;
    const ambiguous =
      failure.kind === 'timeout' ||
      failure.kind === 'cancelled' ||
      (status !== undefined && AMBIGUOUS_WRITE_STATUSES(status)) ||
      (status === undefined && failure.kind === 'unavailable');
    if (!ambiguous) return failure;
    const what =
      failure.kind === 'timeout'
        ? `no answer within ${this.options.timeoutMs / 1000} s`
        : failure.kind === 'cancelled'
          ? 'the call was cancelled while the OCS was handling it'
          : status !== undefined
            ? `HTTP ${status} from the OCS or a proxy in front of it`
            : 'the connection was lost after the request was sent';
    const check = req.context.verifyWith ?? 'the matching get/list tool';
    return new OcsFailure(
      'outcome_unknown',
      `Outcome unknown: ${req.method} ${req.context.entity}${req.context.id ? ` ${req.context.id}` : ''} may or may not have been applied (${what}). It was not repeated, because this OCS does not deduplicate repeated requests. Check with ${check} before trying again; X-Transaction-ID ${req.transactionId}.`,
      status,
      failure.detail,
    );
  }

  /**
   * One attempt. Not an async function: untraced, it hands back the exchange's own promise instead of
   * wrapping it in one more (each caller awaits it inside a try, where a synchronous throw lands alike).
   */
  private once(
    req: OcsRequest,
    signal: Cancellation,
    deadline: { readonly expired: boolean },
    log: () => Logger,
  ): Promise<OcsResponse | OcsFailure> {
    let qs = '';
    if (req.query) {
      const query = new URLSearchParams();
      for (const [k, v] of Object.entries(req.query)) if (v !== undefined) query.set(k, String(v));
      if (query.size > 0) qs = `?${query}`;
    }
    const headers: Record<string, string> = {
      accept: 'application/json',
      'x-transaction-id': req.transactionId,
    };
    if (this.options.apiKey) headers['x-api-key'] = this.options.apiKey;
    let payload: string | undefined;
    if (req.body !== undefined) {
      payload = JSON.stringify(req.body);
      headers['content-type'] = 'application/json';
    }
    const route = `${this.basePath}${req.route}`;
    if (!tracingActive()) return this.exchange(req, route, qs, headers, payload, signal, deadline, log);
    return withSpan(
      `${req.method} ${route}`,
      {
        kind: 'client',
        attributes: {
          'http.request.method': req.method,
          'url.template': route,
          'server.address': this.url.hostname,
          'server.port': Number(this.url.port || (this.url.protocol === 'https:' ? 443 : 80)),
          [OCSAI.TRANSACTION_ID]: req.transactionId,
        },
      },
      async (span) => {
        injectTraceContext(headers);
        const outcome = await this.exchange(req, route, qs, headers, payload, signal, deadline, log);
        markOutcome(span, outcome);
        return outcome;
      },
    );
  }

  /** One HTTP exchange with the OCS, its latency observed by route and status ("error" without one). */
  private async exchange(
    req: OcsRequest,
    route: string,
    qs: string,
    headers: Record<string, string>,
    payload: string | undefined,
    signal: Cancellation,
    deadline: { readonly expired: boolean },
    log: () => Logger,
  ): Promise<OcsResponse | OcsFailure> {
    const started = performance.now();
    const observe = (status: number | undefined) =>
      this.options.metrics?.ocsRequest(
        req.method,
        route,
        status === undefined ? 'error' : String(status),
        (performance.now() - started) / 1000,
      );
    try {
      const pool = this.poolReady ?? (await this.loadPool());
      const res = await new Promise<BufferedAnswer>((resolve, reject) => {
        pool.dispatch(
          { method: req.method, path: `${this.basePath}${req.path}${qs}`, headers, body: payload },
          new BufferingHandler(signal, resolve, reject),
        );
      });
      const text = res.text;
      observe(res.statusCode);
      if (res.deduplicates) this.deduplicationSeen = true;
      let body: unknown;
      if (text !== '') {
        try {
          body = JSON.parse(text);
        } catch {
          body = text;
        }
      }
      if (this.options.logger.isLevelEnabled('debug'))
        log().debug(
          {
            method: req.method,
            path: req.path,
            status: res.statusCode,
            ms: Math.round(performance.now() - started),
          },
          'OCS call',
        );
      if (res.statusCode >= 200 && res.statusCode < 300) return { status: res.statusCode, body };
      const error = ocsFailureFromStatus(res.statusCode, body, req.context);
      log().warn(
        { method: req.method, path: req.path, status: res.statusCode, body, kind: error.kind },
        'OCS error response',
      );
      return error;
    } catch (err) {
      observe(undefined);
      if (deadline.expired) {
        log().warn({ method: req.method, path: req.path }, 'OCS call timed out');
        return new OcsFailure(
          'timeout',
          `The OCS did not answer within ${this.options.timeoutMs / 1000} s (OCS_API_TIMEOUT). Check the result before repeating a write.`,
        );
      }
      if (signal.aborted) return new OcsFailure('cancelled', 'The request was cancelled by the client.');
      const code = (err as { code?: string }).code;
      log().warn({ method: req.method, path: req.path, code, err }, 'OCS unreachable');
      return new OcsFailure(
        'unavailable',
        'The OCS is unavailable (connection failed). Retry later; if it persists, check OCS_API_URL.',
        undefined,
        { code },
      );
    }
  }
}

/** The emulator's deduplication header as undici hands it over: a raw header name, in bytes. */
const DEDUPLICATES_HEADER = EMULATOR_DEDUPLICATES_HEADER.toLowerCase();

/** What undici is handed to abort with: the cancellation's reason, never undefined (as request() does). */
const abortReason = (signal: Cancellation): Error =>
  (signal.reason as Error | undefined) ?? new DOMException('This operation was aborted', 'AbortError');

/** An OCS answer read to its end: what {@link OcsHttp} reads of it. */
interface BufferedAnswer {
  statusCode: number;
  /** The body as UTF-8 text, a leading BOM skipped (what undici's `body.text()` returns). */
  text: string;
  /** Whether the answer carried the emulator's deduplication header once, as `true`. */
  deduplicates: boolean;
}

/**
 * One OCS exchange as an undici dispatch handler that keeps the body's chunks and decodes them at
 * the end. It does what `pool.request()` followed by `body.text()` does for this client (the same
 * request, the same errors, the answer read to its end, the call's cancellation aborting it) without
 * `request()`'s per-call machinery: an AsyncResource, a Readable stream for the body with its
 * consume step, parsed response headers, an abort listener that lives until the stream closes. That
 * machinery was over a third of undici's CPU per GET (10 in flight, one process: 85 µs with
 * request() and text(), 52 µs with a handler like this one).
 */
class BufferingHandler {
  private abort: ((reason?: Error) => void) | undefined;
  private statusCode = 0;
  private deduplicates = 0;
  private chunks: Buffer[] = [];
  private length = 0;
  private readonly onCancel: (() => void) | undefined;

  constructor(
    private readonly signal: Cancellation,
    private readonly resolve: (answer: BufferedAnswer) => void,
    private readonly reject: (err: unknown) => void,
  ) {
    // As request() does: an already-cancelled call is aborted as soon as undici hands over its
    // abort; a later cancellation aborts it wherever it is (connecting, sending, reading).
    if (!signal.aborted) {
      this.onCancel = () => this.abort?.(abortReason(signal));
      signal.addEventListener('abort', this.onCancel);
    }
  }

  onConnect(abort: (reason?: Error) => void): void {
    if (this.signal.aborted) abort(abortReason(this.signal));
    else this.abort = abort;
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[]): boolean {
    // An informational answer (1xx) is followed by the real one, as request() waits for it.
    if (statusCode < 200) return true;
    this.statusCode = statusCode;
    for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
      const name = rawHeaders[i] as Buffer;
      if (
        name.length === DEDUPLICATES_HEADER.length &&
        name.toString('latin1').toLowerCase() === DEDUPLICATES_HEADER
      )
        this.deduplicates += String(rawHeaders[i + 1]) === 'true' ? 1 : 2;
    }
    return true;
  }

  onData(chunk: Buffer): boolean {
    this.chunks.push(chunk);
    this.length += chunk.length;
    return true;
  }

  onComplete(): void {
    this.done();
    const chunks = this.chunks;
    const body = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, this.length);
    const bom = body.length > 2 && body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf;
    this.resolve({
      statusCode: this.statusCode,
      text: body.length === 0 ? '' : body.toString('utf8', bom ? 3 : 0),
      // Repeated, the header is a list in undici's parsed headers, and a list is not 'true'.
      deduplicates: this.deduplicates === 1,
    });
  }

  onError(err: unknown): void {
    this.done();
    this.reject(err);
  }

  private done(): void {
    if (this.onCancel) this.signal.removeEventListener('abort', this.onCancel);
    this.abort = undefined;
  }
}

/** SpanStatusCode.ERROR, without a run-time import of @opentelemetry/api here. */
const SPAN_STATUS_ERROR = 2;

/** The HTTP client conventions: the status code, and 4xx/5xx or no answer as an error. */
function markOutcome(span: Span, outcome: OcsResponse | OcsFailure): void {
  if (outcome.status !== undefined) span.setAttribute('http.response.status_code', outcome.status);
  if (!(outcome instanceof OcsFailure)) return;
  span.setAttribute(OCSAI.ERROR_TYPE, outcome.status !== undefined ? String(outcome.status) : outcome.kind);
  span.setStatus({ code: SPAN_STATUS_ERROR, message: outcome.kind });
}
