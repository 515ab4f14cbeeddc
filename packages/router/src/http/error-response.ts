import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { RouterError } from '../errors.js';

export function errorResponse(c: Context, error: RouterError): Response {
  if (error.extra.retryAfterSeconds !== undefined)
    c.header('retry-after', String(error.extra.retryAfterSeconds));
  return c.json(error.toBody(), error.status as ContentfulStatusCode);
}
