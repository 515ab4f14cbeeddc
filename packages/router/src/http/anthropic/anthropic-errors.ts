import type { RouterError } from '../../errors.js';
import { sseFrame } from '../event-stream.js';

/** Anthropic's error types, as @anthropic-ai/sdk and Claude Code switch on them. */
export type AnthropicErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'permission_error'
  | 'not_found_error'
  | 'request_too_large'
  | 'rate_limit_error'
  | 'timeout_error'
  | 'api_error'
  | 'overloaded_error';

/**
 * The router's statuses in Anthropic's terms: validation failures are 400s there (never 422), and
 * an overloaded upstream is 529, which the SDKs and Claude Code retry as "overloaded".
 */
function statusOf(error: RouterError): number {
  if (error.status === 422 || error.status === 415) return 400;
  if (error.type === 'upstream_overloaded') return 529;
  return error.status;
}

function typeOf(status: number): AnthropicErrorType {
  switch (status) {
    case 400:
      return 'invalid_request_error';
    case 401:
      return 'authentication_error';
    case 403:
      return 'permission_error';
    case 404:
      return 'not_found_error';
    case 413:
      return 'request_too_large';
    case 429:
      return 'rate_limit_error';
    case 504:
      return 'timeout_error';
    case 529:
      return 'overloaded_error';
    default:
      return 'api_error';
  }
}

const bodyOf = (error: RouterError) => ({
  type: 'error' as const,
  error: { type: typeOf(statusOf(error)), message: error.message },
});

/**
 * `{type:"error", error:{type, message}}` on /v1/messages, and `event: error` once a stream started
 * (an ErrorDialect: error-dialects.ts checks the shape where it registers it, which keeps this file
 * out of an import cycle).
 */
export const ANTHROPIC_ERRORS = {
  status: statusOf,
  body: bodyOf,
  streamEvent: (error: RouterError) => sseFrame('error', bodyOf(error)),
  // The SDKs read the request id from `request-id` (error.requestID); x-request-id stays too.
  headers: (requestId: string) => ({ 'request-id': requestId }),
};
