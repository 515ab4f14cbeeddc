import type { RouterError } from '../errors.js';
import { ANTHROPIC_ERRORS } from './anthropic/anthropic-errors.js';
import { OPENAI_ERRORS } from './openai/openai-errors.js';

/**
 * How one API family writes an error: the router's own body on its own routes, and the body each
 * compatible API's SDKs parse on theirs (OpenAI's under /v1, Anthropic's under /v1/messages). The
 * family is chosen by path, so an error raised before any route runs (a 401 from admission, a 404)
 * is already in the caller's terms.
 */
export interface ErrorDialect {
  /** The response status; a family may fold the router's statuses into its own. */
  status(error: RouterError): number;
  /** The JSON body of the error response. */
  body(error: RouterError): unknown;
  /** The same error as one event of a stream that has already started. */
  streamEvent(error: RouterError): string;
  /** Headers the family's SDKs read from any error response (Anthropic's `request-id`). */
  headers?(requestId: string): Record<string, string>;
}

export const ROUTER_ERRORS: ErrorDialect = {
  status: (error) => error.status,
  body: (error) => error.toBody(),
  streamEvent: (error) => `data: ${JSON.stringify(error.toBody())}\n\n`,
};

/** Longest prefix first: a family nested under another's prefix must come before it. */
const DIALECTS_BY_PATH_PREFIX: ReadonlyArray<readonly [prefix: string, dialect: ErrorDialect]> = [
  ['/v1/messages', ANTHROPIC_ERRORS],
  // The router's own endpoint under /v1: it answers in the /ask shape, so its errors do too.
  ['/v1/confirmations', ROUTER_ERRORS],
  ['/v1/', OPENAI_ERRORS],
];

export function errorDialectFor(path: string): ErrorDialect {
  for (const [prefix, dialect] of DIALECTS_BY_PATH_PREFIX) if (path.startsWith(prefix)) return dialect;
  return ROUTER_ERRORS;
}
