import type { MiddlewareHandler } from 'hono';
import type { Logger } from 'pino';
import type { AppEnv } from './app-env.js';

/** One line per request. Headers are never logged, so X-API-Key cannot leak. */
export function requestLog(logger: Logger): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now();
    await next();
    logger.info(
      {
        method: c.req.method,
        path: new URL(c.req.url).pathname,
        status: c.res.status,
        latencyMs: Math.round((performance.now() - started) * 10) / 10,
        transactionId: c.get('transactionId'),
      },
      'request',
    );
  };
}
