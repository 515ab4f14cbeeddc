import type { ErrorIssue } from './types.js';

/** Base class of every error the client throws, so callers can catch them all with one check. */
export class RouterClientError extends Error {
  override name = 'RouterClientError';
}

/** What kind of failure a `RouterError` is; derived from the HTTP status (or the stream event). */
export type RouterErrorKind =
  | 'bad_request' // 400
  | 'unauthorized' // 401: missing or wrong API key
  | 'forbidden' // 403
  | 'not_found' // 404
  | 'payload_too_large' // 413
  | 'validation' // 422 (see `issues`)
  | 'rate_limited' // 429 (see `retryAfterSeconds`)
  | 'server' // 5xx
  | 'stream' // an `error` event inside a 200 event stream
  | 'protocol' // the router answered something this client cannot read
  | 'http'; // any other non-2xx status

export interface RouterErrorInit {
  status: number;
  type: string;
  message: string;
  kind?: RouterErrorKind;
  provider?: string | undefined;
  issues?: ErrorIssue[] | undefined;
  retryAfterSeconds?: number | undefined;
  requestId?: string | undefined;
}

/** The router answered, and the answer is an error. */
export class RouterError extends RouterClientError {
  override name = 'RouterError';
  /** HTTP status (200 for an error reported inside an event stream). */
  readonly status: number;
  /** Router's error type, e.g. "validation_error". */
  readonly type: string;
  readonly kind: RouterErrorKind;
  /** Upstream provider involved, if any. */
  readonly provider: string | undefined;
  /** Field-level problems, for 400/422. */
  readonly issues: ErrorIssue[];
  /** From the Retry-After header (seconds or HTTP date), for 429/503. */
  readonly retryAfterSeconds: number | undefined;
  /** The router's x-request-id, to quote in bug reports. */
  readonly requestId: string | undefined;

  constructor(init: RouterErrorInit) {
    super(init.message);
    this.status = init.status;
    this.type = init.type;
    this.kind = init.kind ?? kindForStatus(init.status);
    this.provider = init.provider;
    this.issues = init.issues ?? [];
    this.retryAfterSeconds = init.retryAfterSeconds;
    this.requestId = init.requestId;
  }

  /** Whether repeating the same request later may succeed. */
  get retryable(): boolean {
    return this.kind === 'rate_limited' || this.status === 502 || this.status === 503 || this.status === 504;
  }
}

/** The router could not be reached (refused, reset, DNS, CORS), or the connection broke mid-body. */
export class NetworkError extends RouterClientError {
  override name = 'NetworkError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** The router did not answer within `timeoutMs`. */
export class TimeoutError extends RouterClientError {
  override name = 'TimeoutError';
  constructor(readonly timeoutMs: number) {
    super(`The router did not answer within ${timeoutMs} ms`);
  }
}

export function kindForStatus(status: number): RouterErrorKind {
  switch (status) {
    case 400:
      return 'bad_request';
    case 401:
      return 'unauthorized';
    case 403:
      return 'forbidden';
    case 404:
      return 'not_found';
    case 413:
      return 'payload_too_large';
    case 422:
      return 'validation';
    case 429:
      return 'rate_limited';
    default:
      return status >= 500 ? 'server' : 'http';
  }
}

/** Reads Retry-After, which may be delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.ceil(Number(trimmed));
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - now) / 1000));
}

/** Builds a RouterError from an error body the router sent (or tried to send). */
export function routerErrorFromBody(
  body: unknown,
  fallback: {
    status: number;
    statusText?: string;
    requestId?: string | undefined;
    retryAfter?: string | null;
  },
  kind?: RouterErrorKind,
): RouterError {
  const error = isRecord(body) && isRecord(body['error']) ? body['error'] : undefined;
  const type = typeof error?.['type'] === 'string' ? error['type'] : 'http_error';
  const message =
    typeof error?.['message'] === 'string'
      ? error['message']
      : `Router answered ${fallback.status}${fallback.statusText ? ` ${fallback.statusText}` : ''}`;
  const provider = typeof error?.['provider'] === 'string' ? error['provider'] : undefined;
  const issues = Array.isArray(error?.['issues'])
    ? error['issues'].filter(isRecord).map((issue) => ({
        path: Array.isArray(issue['path']) ? issue['path'].join('.') : String(issue['path'] ?? ''),
        message: String(issue['message'] ?? ''),
      }))
    : undefined;
  return new RouterError({
    status: fallback.status,
    type,
    message,
    ...(kind ? { kind } : {}),
    provider,
    issues,
    retryAfterSeconds: parseRetryAfter(fallback.retryAfter ?? null),
    requestId: fallback.requestId,
  });
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
