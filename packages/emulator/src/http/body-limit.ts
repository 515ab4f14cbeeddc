import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { AppEnv } from './app-env.js';

/**
 * 413 for a body over `maxSize` bytes. A request that declares its length is judged by its
 * Content-Length header alone, and one without a body (GET, HEAD) is not looked at: Hono's
 * bodyLimit reads `c.req.raw.body` on every request, which makes @hono/node-server build a full
 * undici Request (an AbortSignal, a listener, a FinalizationRegistry entry, a ReadableStream over
 * the socket) even for a GET. That entry survives every scavenge until a full GC, so under load
 * the old space filled with it (10,800 pending entries in a heap snapshot after 15,000 requests),
 * and the body was then read through Web streams instead of node-server's direct read. Only a
 * chunked body, whose length is known once it has been read, still goes through bodyLimit.
 */
export function bodySizeLimit(
  maxSize: number,
  onError: (c: Context<AppEnv>) => Response | Promise<Response>,
): MiddlewareHandler<AppEnv> {
  const streamed = bodyLimit({ maxSize, onError });
  return (c, next) => {
    const method = c.req.method;
    if (method === 'GET' || method === 'HEAD') return next();
    const declared = c.req.header('content-length');
    if (declared !== undefined && c.req.header('transfer-encoding') === undefined) {
      return Number.parseInt(declared, 10) > maxSize ? Promise.resolve(onError(c)) : next();
    }
    return streamed(c, next);
  };
}
