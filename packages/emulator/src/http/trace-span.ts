import { OCSAI, tracingActive, withSpan } from '@ocsai/telemetry';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from './app-env.js';

/** SpanStatusCode.ERROR, without a run-time import of @opentelemetry/api here. */
const SPAN_STATUS_ERROR = 2;

/**
 * A server span per request, continuing the caller's trace from its W3C `traceparent` header:
 * `<METHOD> <route template>` (`POST /ocs/prov/v1/subscribers/{subscriberId}/subscriptions`, the
 * MCP server's client span names it the same), with the X-Transaction-ID as an attribute. Mounted
 * after transactionId() and before the request log, so the log line carries the trace id. While
 * tracing is off it only calls next().
 */
export function traceSpan(): MiddlewareHandler<AppEnv> {
  return (c, next) => {
    if (!tracingActive()) return next();
    const method = c.req.method;
    return withSpan(
      method,
      {
        kind: 'server',
        parent: c.req.raw.headers,
        attributes: {
          'http.request.method': method,
          'url.path': new URL(c.req.url).pathname,
          [OCSAI.TRANSACTION_ID]: c.get('transactionId'),
        },
      },
      async (span) => {
        await next();
        // The matched route is known once the handler ran; a 404 has none.
        const matched = c.req.routePath;
        if (matched && matched !== '*' && !matched.endsWith('/*')) {
          const template = matched.replace(/:([^/]+)/g, '{$1}');
          span.updateName(`${method} ${template}`);
          span.setAttribute('http.route', template);
        }
        span.setAttribute('http.response.status_code', c.res.status);
        if (c.res.status >= 500) {
          span.setAttribute(OCSAI.ERROR_TYPE, String(c.res.status));
          span.setStatus({ code: SPAN_STATUS_ERROR });
        }
      },
    );
  };
}
