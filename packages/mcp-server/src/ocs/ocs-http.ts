import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Pool } from 'undici';
import { type OcsCallContext, OcsError, ocsErrorFromStatus } from './ocs-error.js';

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
}

export interface OcsRequest {
  method: HttpMethod;
  /** Path below the base URL, starting with "/", already URL-encoded. */
  path: string;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  transactionId: string;
  signal?: AbortSignal | undefined;
  context: OcsCallContext;
}

export interface OcsResponse {
  status: number;
  body: unknown;
}

/** Statuses after which a retry-safe call is repeated: the OCS (or a proxy) was briefly unable. */
const RETRY_STATUSES = new Set([429, 502, 503, 504]);
/** Socket-level failures worth a retry: the request most likely never reached the application. */
const RETRY_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'EAI_AGAIN',
]);

export function newTransactionId(): string {
  return randomUUID();
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(t);
        resolve();
      },
      { once: true },
    );
  });

/**
 * The HTTP leg to the OCS: one keep-alive pool, X-Transaction-ID on every call, a deadline per call
 * (retries included), cancellation from the MCP request, and retries only where repeating is safe:
 * GET, and POST, which the OCS treats as idempotent when the transaction id is reused (it always is
 * across our retries). PATCH, PUT and DELETE are never repeated.
 */
export class OcsHttp {
  /** undici loads on the first OCS call, not at start-up: it is ~0.2 s of the server's cold start. */
  private pool: Promise<Pool> | undefined;
  private readonly origin: string;
  private readonly basePath: string;
  private readonly maxAttempts: number;
  private readonly backoffBaseMs: number;

  constructor(private readonly options: OcsHttpOptions) {
    const url = new URL(options.baseUrl);
    this.origin = url.origin;
    this.basePath = url.pathname.replace(/\/+$/, '');
    this.maxAttempts = options.maxAttempts ?? 3;
    this.backoffBaseMs = options.backoffBaseMs ?? 100;
  }

  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = undefined;
    if (pool) await (await pool).close();
  }

  async request(req: OcsRequest): Promise<OcsResponse> {
    const retrySafe = req.method === 'GET' || req.method === 'POST';
    const attempts = retrySafe ? this.maxAttempts : 1;
    // One controller per call for the deadline (retries included) and the MCP request's cancellation:
    // cheaper on the hot path than AbortSignal.timeout() joined with AbortSignal.any().
    const call = new AbortController();
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
      let lastError: OcsError | undefined;
      for (let attempt = 1; attempt <= attempts; attempt++) {
        if (attempt > 1) {
          const cap = this.backoffBaseMs * 2 ** (attempt - 2);
          await sleep(Math.round(cap / 2 + Math.random() * (cap / 2)), call.signal);
        }
        const outcome = await this.once(req, call.signal, deadline, log);
        if (!(outcome instanceof OcsError)) return outcome;
        lastError = outcome;
        const retryable =
          outcome.kind === 'unavailable' &&
          (outcome.status !== undefined
            ? RETRY_STATUSES.has(outcome.status)
            : (outcome.detail as { retry?: boolean } | undefined)?.retry === true);
        if (!retryable || call.signal.aborted) break;
        log().warn({ attempt, status: outcome.status }, 'OCS call failed; retrying');
      }
      throw lastError ?? new OcsError('unavailable', 'The OCS could not be reached.');
    } finally {
      clearTimeout(timer);
      req.signal?.removeEventListener('abort', cancel);
    }
  }

  private async once(
    req: OcsRequest,
    signal: AbortSignal,
    deadline: { readonly expired: boolean },
    log: () => Logger,
  ): Promise<OcsResponse | OcsError> {
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
    const started = Date.now();
    try {
      this.pool ??= import('undici').then(
        ({ Pool }) => new Pool(this.origin, { connections: 16, keepAliveTimeout: 30_000, pipelining: 1 }),
      );
      const res = await (await this.pool).request({
        method: req.method,
        path: `${this.basePath}${req.path}${qs}`,
        headers,
        body: payload,
        signal,
      });
      const text = await res.body.text();
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
          { method: req.method, path: req.path, status: res.statusCode, ms: Date.now() - started },
          'OCS call',
        );
      if (res.statusCode >= 200 && res.statusCode < 300) return { status: res.statusCode, body };
      const error = ocsErrorFromStatus(res.statusCode, body, req.context);
      log().warn(
        { method: req.method, path: req.path, status: res.statusCode, body, kind: error.kind },
        'OCS error response',
      );
      return error;
    } catch (err) {
      if (deadline.expired) {
        log().warn({ method: req.method, path: req.path }, 'OCS call timed out');
        return new OcsError(
          'timeout',
          `The OCS did not answer within ${this.options.timeoutMs / 1000} s (OCS_API_TIMEOUT). Check the result before repeating a write.`,
        );
      }
      if (signal.aborted) return new OcsError('cancelled', 'The request was cancelled by the client.');
      const code = (err as { code?: string }).code;
      log().warn({ method: req.method, path: req.path, code, err }, 'OCS unreachable');
      return new OcsError(
        'unavailable',
        'The OCS is unavailable (connection failed). Retry later; if it persists, check OCS_API_URL.',
        undefined,
        { code, retry: code !== undefined && RETRY_CODES.has(code) },
      );
    }
  }
}
