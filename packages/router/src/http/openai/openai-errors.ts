import { z } from 'zod';
import type { RouterError } from '../../errors.js';

/**
 * OpenAI's error shape, for every /v1 route (Anthropic's /v1/messages has its own dialect): the
 * body the official SDKs parse into `err.type`, `err.code` and `err.param`. The router's own
 * `provider` and `issues` ride along as extension fields, which the SDKs ignore.
 */
export const openAiErrorBodySchema = z
  .object({
    error: z.object({
      message: z.string().describe('Human-readable message, safe to show: never a secret or a stack.'),
      type: z
        .enum([
          'invalid_request_error',
          'authentication_error',
          'permission_error',
          'rate_limit_error',
          'api_error',
        ])
        .describe(
          "OpenAI's error type: invalid_request_error (400, 404, 409, 413, 415), authentication_error (401), permission_error (403), rate_limit_error (429), api_error (5xx).",
        ),
      param: z
        .string()
        .nullable()
        .describe('The offending request field (its dotted path), when one is known.'),
      code: z
        .string()
        .nullable()
        .describe(
          "The upstream provider's own error code when it sent one (e.g. insufficient_quota), else the router's stable code (model_not_allowed, validation_error, rate_limited...).",
        ),
      provider: z.string().optional().describe('Router extension: provider involved, for upstream errors.'),
      issues: z
        .array(z.object({ path: z.string(), message: z.string() }))
        .optional()
        .describe('Router extension: every field-level problem of a validation error.'),
    }),
  })
  .describe('Body of every error response under /v1 (except /v1/messages), in OpenAI terms.');

export type OpenAiErrorBody = z.infer<typeof openAiErrorBodySchema>;
export type OpenAiErrorType = OpenAiErrorBody['error']['type'];

/**
 * A validation failure is 400 here, as OpenAI answers it (the SDKs raise BadRequestError), where the
 * router's own routes say 422. Every other status is kept.
 */
function openAiStatus(error: RouterError): number {
  return error.status === 422 ? 400 : error.status;
}

function openAiType(status: number): OpenAiErrorType {
  if (status === 401) return 'authentication_error';
  if (status === 403) return 'permission_error';
  if (status === 429) return 'rate_limit_error';
  if (status >= 500) return 'api_error';
  return 'invalid_request_error';
}

/** The `error` object of an OpenAI error body (also what a Responses stream's `error` event carries). */
export function openAiError(error: RouterError): OpenAiErrorBody['error'] {
  const body: OpenAiErrorBody['error'] = {
    message: error.message,
    type: openAiType(openAiStatus(error)),
    param: error.extra.issues?.[0]?.path || null,
    code: error.extra.upstreamCode ?? error.type,
  };
  if (error.extra.provider) body.provider = error.extra.provider;
  if (error.extra.issues) body.issues = error.extra.issues;
  return body;
}

/** The ErrorDialect of /v1 (typed where it is registered, error-dialects.ts, which imports this file). */
export const OPENAI_ERRORS = {
  status: openAiStatus,
  body: (error: RouterError) => ({ error: openAiError(error) }),
  // Chat Completions streams carry a failure as one more data: line holding the error body, which
  // the SDKs raise as an APIError (the Responses stream writes its own `error` event).
  streamEvent: (error: RouterError) => `data: ${JSON.stringify({ error: openAiError(error) })}\n\n`,
};

/** A documented error answer of a /v1 route: OpenAI's error body, with what the status means there. */
export const openAiErrorAnswer = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/OpenAIErrorBody' } } },
});

/** The error answers every /v1 route that calls a provider shares (code values in each description). */
export const OPENAI_ERROR_ANSWERS = {
  400: openAiErrorAnswer(
    "invalid_request_error. code: validation_error (param names the field; issues lists every problem; 400 where the router's own routes say 422), invalid_json, unknown_provider, provider_not_configured, model_required, or the provider's own code when it refused the request (upstream_bad_request otherwise).",
  ),
  401: openAiErrorAnswer('authentication_error, code unauthorized: API key missing or not recognised.'),
  403: openAiErrorAnswer(
    "permission_error, code provider_not_allowed / model_not_allowed: outside the principal's providers or models (the message names the allowed ones).",
  ),
  413: openAiErrorAnswer(
    'invalid_request_error, code payload_too_large: the body is larger than ROUTER_MAX_BODY_BYTES.',
  ),
  429: openAiErrorAnswer(
    "rate_limit_error, code rate_limited (this API key's ROUTER_RATE_LIMIT_RPM / TPM) or the provider's own code (Retry-After in seconds when known).",
  ),
  500: openAiErrorAnswer(
    'api_error, code internal_error: unexpected router failure (details only in the log).',
  ),
  502: openAiErrorAnswer(
    "api_error: the provider failed. code: the provider's own error code when it sent one, else upstream_auth_error, upstream_unreachable or upstream_error.",
  ),
  503: openAiErrorAnswer(
    "api_error, code upstream_overloaded or the provider's own code (Retry-After when known).",
  ),
  504: openAiErrorAnswer('api_error, code upstream_timeout: the provider did not answer in time.'),
};
