import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { viennaLocalTimestamp } from '../domain/vienna-time.js';
import type { AppEnv, Fidelity } from './app-env.js';

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Payload Too Large',
  422: 'Unprocessable Entity',
  500: 'Internal Server Error',
};

export const UNEXPECTED_ERROR = 'An unexpected error occurred';

/**
 * A Spring-style error body `{timestamp,status,error,message,path,details}`. In strict fidelity,
 * errors the real backend sends without a body (`bodiless`) get only the status line.
 */
export function errorResponse(
  c: Context<AppEnv>,
  fidelity: Fidelity,
  status: number,
  message: string,
  bodiless = false,
): Response {
  if (bodiless && fidelity === 'strict') return c.body(null, status as ContentfulStatusCode);
  return c.json(
    {
      timestamp: viennaLocalTimestamp(Date.now()),
      status,
      error: REASONS[status] ?? 'Error',
      message,
      path: new URL(c.req.url).pathname,
      details: {},
    },
    status as ContentfulStatusCode,
  );
}
