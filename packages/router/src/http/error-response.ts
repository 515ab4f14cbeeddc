import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { z } from 'zod';
import type { RouterError } from '../errors.js';
import { errorDialectFor } from './error-dialects.js';

export const validationIssueSchema = z.object({
  path: z.string().describe('Dotted path of the offending field, e.g. messages.0.role.'),
  message: z.string().describe('What is wrong with it.'),
});

/** What RouterError.toBody() sends: the body of every error response and of the error stream event. */
export const errorBodySchema = z
  .object({
    error: z.object({
      type: z.string().describe('Stable machine-readable type, e.g. validation_error or rate_limited.'),
      message: z.string().describe('Human-readable message, safe to show: never a secret or a stack.'),
      provider: z.string().optional().describe('Provider involved, when the error came from upstream.'),
      issues: z.array(validationIssueSchema).optional().describe('Field-level problems (validation_error).'),
    }),
  })
  .describe('Body of every error response and of the error stream event.');

/** The error in the terms of the API family the request's path belongs to (see error-dialects.ts). */
export function errorResponse(c: Context, error: RouterError): Response {
  if (error.extra.retryAfterSeconds !== undefined)
    c.header('retry-after', String(error.extra.retryAfterSeconds));
  const dialect = errorDialectFor(c.req.path);
  for (const [name, value] of Object.entries(dialect.headers?.(c.get('requestId')) ?? {}))
    c.header(name, value);
  return c.json(dialect.body(error) as object, dialect.status(error) as ContentfulStatusCode);
}

/**
 * A body serialised ahead of time (the health answer, the documents, the metrics text): sent as
 * bytes with its own content type, so the route's typed-response check cannot see its shape.
 */
export const preserialised = (response: Response): never => response as never;

/** A documented error answer: the error body, with what the status means on this route. */
export const errorAnswer = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorBody' } } },
});

/** A documented answer shared by many routes, under components/responses. */
export const sharedAnswer = (name: keyof typeof SHARED_ANSWERS) => ({
  $ref: `#/components/responses/${name}`,
});

/** The error answers most routes share, written once under components/responses. */
export const SHARED_ANSWERS = {
  InvalidJson: 'invalid_json: the body is not JSON, or is empty.',
  Unauthorized: 'unauthorized: API key missing or not recognised (only when API keys are configured).',
  PayloadTooLarge: 'payload_too_large: the body is larger than ROUTER_MAX_BODY_BYTES.',
  ValidationError: 'validation_error: a field is invalid; issues lists each one with its path.',
  RateLimited:
    "rate_limited: the provider's rate limit, or this API key's ROUTER_RATE_LIMIT_RPM / ROUTER_RATE_LIMIT_TPM (Retry-After in seconds when known).",
  InternalError: 'internal_error: unexpected router failure (details only in the log).',
} as const;

export const VALIDATION_ERROR_EXAMPLE = {
  error: {
    type: 'validation_error',
    message: 'Invalid request: temperature: Too big: expected number to be <=2',
    issues: [{ path: 'temperature', message: 'Too big: expected number to be <=2' }],
  },
};

/** The failures of a route that calls a provider. */
export const UPSTREAM_ERRORS = {
  502: errorAnswer(
    'Upstream failure: upstream_auth_error (the provider refused the credentials), upstream_unreachable (names the provider and base URL) or upstream_error.',
  ),
  503: errorAnswer('upstream_overloaded: the provider is overloaded (Retry-After when known).'),
  504: errorAnswer('upstream_timeout: the provider did not answer in time.'),
};

export const BAD_REQUEST = errorAnswer(
  'invalid_json (body is not JSON or empty), unknown_provider (the message lists the valid ones), provider_not_configured (names the missing variable, never a value), model_required, or upstream_bad_request (the provider refused the request).',
);

/** Probes and self-description: answered without an API key even when keys are configured. */
export const OPEN = { security: [] };

/** The x-request-id header every route accepts. */
export const requestIdHeaders = z.object({
  'x-request-id': z
    .string()
    .optional()
    .describe(
      'Echoed on the response when it is 1-128 characters from A-Z a-z 0-9 . _ : -; otherwise the router generates a UUID.',
    ),
});
