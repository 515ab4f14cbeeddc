import type { z } from 'zod';
import { UnsupportedParameterError } from './providers/parameters.js';
import { ProviderError } from './providers/types.js';

export interface ValidationIssue {
  path: string;
  message: string;
}

/**
 * An error the router reports to its caller as-is: HTTP status, a stable `type`, and a message
 * that is safe to show (never a secret, never a stack).
 */
export class RouterError extends Error {
  override readonly name = 'RouterError';
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    readonly extra: {
      provider?: string;
      retryAfterSeconds?: number;
      issues?: ValidationIssue[];
      /** The provider's own error code or type, when it sent one (see upstreamCode). */
      upstreamCode?: string;
    } = {},
  ) {
    super(message);
  }

  toBody(): { error: { type: string; message: string; provider?: string; issues?: ValidationIssue[] } } {
    const error: { type: string; message: string; provider?: string; issues?: ValidationIssue[] } = {
      type: this.type,
      message: this.message,
    };
    if (this.extra.provider) error.provider = this.extra.provider;
    if (this.extra.issues) error.issues = this.extra.issues;
    return { error };
  }
}

export function validationError(error: z.ZodError): RouterError {
  const issues = error.issues.flatMap(matchedUnionIssues).map((issue) => ({
    path: issue.path.map(String).join('.'),
    message: issue.message,
  }));
  const summary = issues
    .slice(0, 5)
    .map((issue) => `${issue.path || '(body)'}: ${issue.message}`)
    .join('; ');
  return new RouterError(422, 'validation_error', `Invalid request: ${summary}`, { issues });
}

type Issue = z.ZodError['issues'][number];

/**
 * A union that failed where only one option had the input's type (the items array of a
 * `string | items[]` field) reports that option's own issues, so the path names the offending
 * field (`input.3.type`) rather than the whole union (`input`).
 */
function matchedUnionIssues(issue: Issue): Issue[] {
  if (issue.code !== 'invalid_union' || !issue.errors.length) return [issue];
  const typed = issue.errors.filter(
    (option) => !option.every((inner) => inner.code === 'invalid_type' && inner.path.length === 0),
  );
  if (typed.length !== 1 || !typed[0]?.length) return [issue];
  return typed[0].flatMap((inner) =>
    matchedUnionIssues({ ...inner, path: [...issue.path, ...inner.path] } as Issue),
  );
}

const retryAfter = (ms: number | undefined) =>
  ms === undefined ? undefined : Math.max(0, Math.ceil(ms / 1000));

/** Maps an upstream failure to what the router's caller sees (status chosen per failure kind). */
export function fromProviderError(error: ProviderError, baseUrl?: string): RouterError {
  const mapped = mapProviderError(error, baseUrl);
  const code = upstreamCode(error.options.type);
  if (code !== undefined) mapped.extra.upstreamCode = code;
  return mapped;
}

/**
 * The provider's error code as a caller may see it: a short identifier (`insufficient_quota`,
 * `overloaded_error`), never free text, so nothing of the upstream's body is echoed through it.
 */
function upstreamCode(type: string | undefined): string | undefined {
  return type !== undefined && /^[A-Za-z0-9_.-]{1,64}$/.test(type) ? type : undefined;
}

function mapProviderError(error: ProviderError, baseUrl?: string): RouterError {
  const provider = error.provider;
  // Refused by the router before any upstream call: the caller's request, not the upstream, is at fault.
  if (error instanceof UnsupportedParameterError) {
    return new RouterError(400, 'unsupported_parameter', error.message, {
      provider,
      issues: [{ path: error.parameter, message: error.message }],
    });
  }
  const extra = { provider, retryAfterSeconds: retryAfter(error.retryAfterMs) };
  switch (error.kind) {
    case 'auth':
      return new RouterError(
        502,
        'upstream_auth_error',
        `${provider} rejected the credentials: ${error.message}`,
        {
          provider,
        },
      );
    case 'rate_limit':
      return new RouterError(429, 'rate_limited', `${provider} rate limit: ${error.message}`, extra);
    case 'overloaded':
      return new RouterError(
        503,
        'upstream_overloaded',
        `${provider} is overloaded: ${error.message}`,
        extra,
      );
    case 'timeout':
      return new RouterError(504, 'upstream_timeout', `${provider} timed out: ${error.message}`, {
        provider,
      });
    case 'connection': {
      const where = baseUrl && !error.message.includes(baseUrl) ? ` at ${baseUrl}` : '';
      return new RouterError(
        502,
        'upstream_unreachable',
        `${provider} unreachable${where}: ${error.message}`,
        {
          provider,
        },
      );
    }
    case 'bad_request':
      return new RouterError(
        400,
        'upstream_bad_request',
        `${provider} refused the request: ${error.message}`,
        {
          provider,
        },
      );
    case 'aborted':
      return new RouterError(499, 'client_closed_request', 'The client closed the request', { provider });
    default:
      return new RouterError(502, 'upstream_error', `${provider} failed: ${error.message}`, { provider });
  }
}

/** Any thrown value -> RouterError; unknown failures become a 500 with a generic message. */
export function toRouterError(error: unknown, baseUrl?: string): RouterError {
  if (error instanceof RouterError) return error;
  if (error instanceof ProviderError) return fromProviderError(error, baseUrl);
  return new RouterError(500, 'internal_error', 'Internal router error');
}
