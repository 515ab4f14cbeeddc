import { SecretRedactor } from '@ocsai/contract';
import { type AdapterName, ProviderError, type ProviderErrorKind } from './model.js';

type HeaderBag = Record<string, string | string[] | undefined>;

function header(headers: HeaderBag, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Wait hint from the upstream, in ms: `retry-after-ms` (OpenAI), `x-ms-retry-after-ms` (Azure),
 * then `retry-after` as seconds or an HTTP date (Anthropic, OpenRouter, proxies).
 */
export function retryAfterMsFrom(headers: HeaderBag, now = Date.now()): number | undefined {
  for (const name of ['retry-after-ms', 'x-ms-retry-after-ms']) {
    const raw = header(headers, name);
    if (raw === undefined) continue;
    const ms = Number.parseFloat(raw);
    if (Number.isFinite(ms) && ms >= 0) return Math.ceil(ms);
  }
  const raw = header(headers, 'retry-after');
  if (raw === undefined) return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(raw)) return Math.ceil(Number.parseFloat(raw) * 1000);
  const date = Date.parse(raw);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

export function kindFromStatus(status: number): ProviderErrorKind {
  if (status === 401 || status === 402 || status === 403) return 'auth';
  if (status === 408) return 'timeout';
  if (status === 429) return 'rate_limit';
  if (status === 503 || status === 529) return 'overloaded';
  if (status >= 500) return 'upstream';
  if (status === 409) return 'upstream';
  return 'bad_request';
}

/** Retry (or fall back) on 408, 409, 429 and 5xx, as the official SDKs do; never on other 4xx. */
export function retryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

/** The parts of an error body every provider shares in some form. */
export interface UpstreamErrorBody {
  message?: string;
  /** Provider's error type or code, as a string (`rate_limit_error`, `DeploymentNotFound`, `429`). */
  type?: string;
  /** A numeric code carried in the body (OpenRouter uses HTTP-like codes inside a 200). */
  numericCode?: number;
  /** Anthropic `error.details.error_code`. */
  detailCode?: string;
}

/**
 * Reads `{error:{message,type,code}}` (OpenAI, Azure, LM Studio), `{type:"error",error:{type,message}}`
 * (Anthropic), `{error:{code,message,metadata}}` (OpenRouter) and `{error:"..."}` (Ollama).
 */
export function readErrorBody(body: unknown): UpstreamErrorBody {
  if (typeof body === 'string') return body.trim() ? { message: body.trim() } : {};
  if (!body || typeof body !== 'object') return {};
  const error = (body as { error?: unknown }).error;
  if (typeof error === 'string') return { message: error };
  if (!error || typeof error !== 'object') {
    const message = (body as { message?: unknown }).message;
    return typeof message === 'string' ? { message } : {};
  }
  const e = error as {
    message?: unknown;
    type?: unknown;
    code?: unknown;
    details?: { error_code?: unknown };
  };
  const result: UpstreamErrorBody = {};
  if (typeof e.message === 'string') result.message = e.message;
  if (typeof e.type === 'string') result.type = e.type;
  else if (typeof e.code === 'string') result.type = e.code;
  if (typeof e.code === 'number') {
    result.numericCode = e.code;
    result.type ??= String(e.code);
  }
  if (typeof e.details?.error_code === 'string') result.detailCode = e.details.error_code;
  return result;
}

export function parseErrorText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Longest upstream error text passed on (after redaction: a secret cut in half would survive as its prefix). */
export const MAX_UPSTREAM_MESSAGE_CHARS = 500;

/**
 * Removes the configured secrets and anything that looks like a key from text that may end up in
 * logs or responses, and only then cuts it to MAX_UPSTREAM_MESSAGE_CHARS.
 */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  const redacted = new SecretRedactor(secrets).text(text);
  // Providers echo partial keys back ("Incorrect API key provided: sk-abc***xyz").
  const patterned = redacted.replace(/\b(sk|sk-ant|sk-or|sk-proj)-[A-Za-z0-9_*-]{6,}/g, '$1-***');
  return patterned.length > MAX_UPSTREAM_MESSAGE_CHARS
    ? `${patterned.slice(0, MAX_UPSTREAM_MESSAGE_CHARS)}…`
    : patterned;
}

/**
 * Anthropic's spend-limit 429 never clears by waiting; otherwise the upstream's explicit
 * `x-should-retry` wins (as in the official SDKs), else the status decides.
 */
function retryableFrom(status: number, headers: HeaderBag, parsed: UpstreamErrorBody): boolean {
  if (parsed.detailCode === 'enforced_spend_limit_reached') return false;
  const shouldRetry = header(headers, 'x-should-retry');
  if (shouldRetry === 'true') return true;
  if (shouldRetry === 'false') return false;
  return retryableStatus(status);
}

export interface HttpErrorInput {
  provider: AdapterName;
  status: number;
  headers: HeaderBag;
  body: unknown;
  secrets: readonly (string | undefined)[];
}

/** Maps a non-2xx upstream response to a ProviderError carrying the provider's own message. */
export function providerErrorFromHttp({
  provider,
  status,
  headers,
  body,
  secrets,
}: HttpErrorInput): ProviderError {
  const parsed = readErrorBody(body);
  const upstreamMessage = parsed.message ?? `HTTP ${status}`;
  const retryAfterMs = retryAfterMsFrom(headers);
  const requestId =
    header(headers, 'x-request-id') ?? header(headers, 'request-id') ?? header(headers, 'apim-request-id');
  return new ProviderError(
    provider,
    kindFromStatus(status),
    redactSecrets(`${provider} ${status}: ${upstreamMessage}`, secrets),
    {
      status,
      ...(parsed.type !== undefined && { type: parsed.type }),
      ...(retryAfterMs !== undefined && { retryAfterMs }),
      ...(requestId !== undefined && { requestId }),
      retryable: retryableFrom(status, headers, parsed),
    },
  );
}

/**
 * An error reported inside a 200 response (OpenRouter after generation started, Anthropic `error`
 * SSE events, Ollama error lines). Numeric codes are read like HTTP statuses; typed errors by name.
 */
export function providerErrorFromInBand(
  provider: AdapterName,
  body: unknown,
  secrets: readonly (string | undefined)[],
): ProviderError {
  const parsed = readErrorBody(body);
  let kind: ProviderErrorKind = 'upstream';
  let retryable = true;
  if (parsed.numericCode !== undefined) {
    kind = kindFromStatus(parsed.numericCode);
    retryable = retryableStatus(parsed.numericCode);
  } else if (parsed.type) {
    const byType: Record<string, [ProviderErrorKind, boolean]> = {
      overloaded_error: ['overloaded', true],
      rate_limit_error: ['rate_limit', true],
      api_error: ['upstream', true],
      authentication_error: ['auth', false],
      permission_error: ['auth', false],
      invalid_request_error: ['bad_request', false],
      not_found_error: ['bad_request', false],
      request_too_large: ['bad_request', false],
    };
    const mapped = byType[parsed.type];
    if (mapped) [kind, retryable] = mapped;
  }
  const message = parsed.message ?? 'error inside the response stream';
  return new ProviderError(provider, kind, redactSecrets(`${provider} stream error: ${message}`, secrets), {
    ...(parsed.type !== undefined && { type: parsed.type }),
    retryable,
  });
}
