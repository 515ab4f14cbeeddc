import { createHash, timingSafeEqual } from 'node:crypto';
import { OCS_BASE_PATH } from '@ocsai/contract';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv, Fidelity } from './app-env.js';
import { errorResponse } from './error-response.js';

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/**
 * Optional shared-secret check on X-API-Key. Hashing both sides first gives equal-length buffers,
 * so the comparison is constant-time and leaks neither content nor length. The health check stays
 * open for liveness probes. The key is never logged or echoed.
 */
export function apiKeyGuard(apiKey: string, fidelity: Fidelity): MiddlewareHandler<AppEnv> {
  const expected = digest(apiKey);
  return async (c, next) => {
    const path = new URL(c.req.url).pathname.replace(/\/+$/, '');
    if (path === `${OCS_BASE_PATH}/health-check`) return next();
    const given = c.req.header('X-API-Key');
    if (given === undefined || !timingSafeEqual(digest(given), expected)) {
      return errorResponse(c, fidelity, 401, 'missing or invalid X-API-Key header');
    }
    return next();
  };
}
