import { randomUUID } from 'node:crypto';
import { OCSAI, tracingActive, withSpan } from '@ocsai/telemetry';
import { type Context, Hono, type Next } from 'hono';
import { createAdmission } from '../admission/admission.js';
import { AskService } from '../ask/ask-service.js';
import { RouterError, toRouterError, validationError } from '../errors.js';
import { RequestClock, roundMs } from '../request-clock.js';
import { ROUTER_VERSION } from '../version.js';
import { admissionMiddlewares } from './admission.js';
import { registerAnthropicRoutes } from './anthropic/routes.js';
import { ApiRoutes } from './api-routes.js';
import { registerAskRoutes } from './ask-routes.js';
import { registerConfirmationRoutes } from './confirmation-routes.js';
import { registerConsoleRoutes } from './console-routes.js';
import { registerContextRoutes } from './context-routes.js';
import { errorResponse, preserialised } from './error-response.js';
import { registerResponsesRoutes } from './openai/responses/routes.js';
import { registerOpenAiRoutes } from './openai/routes.js';
import { routerOpenApiJson } from './openapi-document.js';
import type { RouterDeps, RouterEnv, RouterServices } from './router-env.js';
import { openApiRoute, registerSystemRoutes } from './system-routes.js';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const UNMATCHED = 'unmatched';

/**
 * The router's HTTP app. Testable without a socket through `app.request()`; startRouter() puts it
 * on a port. The edge middleware owns request ids, timing headers, metrics and the access log.
 */
export function createRouterApp(deps: RouterDeps): Hono<RouterEnv> {
  const services: RouterServices = {
    ...deps,
    version: ROUTER_VERSION,
    ask: new AskService({
      providers: deps.providers,
      store: deps.store,
      memoryMaxMessages: deps.config.ROUTER_MEMORY_MAX_MESSAGES,
      ...(deps.tools ? { tools: deps.tools } : {}),
    }),
  };
  const { logger, metrics } = deps;
  const app = new Hono<RouterEnv>();
  // A body or parameter that fails its route's schema is a 422 with every issue, on every route.
  const routes = new ApiRoutes(app, (result) => {
    throw validationError(result.error);
  });

  // The edge: the request id (a caller's x-request-id is kept when it is 1-128 characters of
  // A-Z a-z 0-9 . _ : -), then timing headers, metrics and the access log around everything else.
  // One middleware, not Hono's request-id middleware before it: every middleware is another
  // dispatch frame, closure and promise per request, alive while the request waits on the upstream.
  app.use(async (c, next) => {
    const clock = new RequestClock();
    const incoming = c.req.header('x-request-id');
    const requestId = incoming && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    c.set('requestId', requestId);
    c.set('clock', clock);
    await (tracingActive() ? traced(c, next) : next());

    const route = c.req.routePath === '/*' ? UNMATCHED : c.req.routePath;
    const status = c.res.status;
    const overheadMs = clock.overheadMs();
    c.res.headers.set('x-request-id', requestId);
    if (!c.res.headers.has('x-router-overhead-ms'))
      c.res.headers.set('x-router-overhead-ms', String(roundMs(overheadMs)));
    metrics.request(route, c.req.method, String(status), clock.elapsedMs() / 1000);
    if (!c.get('streaming')) metrics.overhead(route, overheadMs / 1000);
    if (logger.isLevelEnabled('info')) {
      logger.info(
        {
          reqId: requestId,
          method: c.req.method,
          path: c.req.path,
          status,
          provider: c.get('provider'),
          model: c.get('model'),
          latency_ms: roundMs(clock.elapsedMs()),
          overhead_ms: roundMs(overheadMs),
          streaming: c.get('streaming') || undefined,
        },
        'request',
      );
    }
  });

  // A path that cannot be decoded names nothing: 400 here, before any route tries to decode it.
  // Only a '%' can make it undecodable (the URL parser itself writes only well-formed escapes), so a
  // URL without one is not parsed again.
  app.use(async (c, next) => {
    if (!c.req.url.includes('%')) return next();
    try {
      decodeURIComponent(new URL(c.req.url).pathname);
    } catch {
      return errorResponse(
        c,
        new RouterError(400, 'invalid_path', 'Malformed percent-encoding in the URL path'),
      );
    }
    return next();
  });

  for (const middleware of admissionMiddlewares(deps.admission ?? createAdmission(deps.config)))
    app.use(middleware);

  registerSystemRoutes(routes, services);
  // Generated from exactly the routes declared here, on first request.
  routes.openapi(openApiRoute, (c) =>
    preserialised(c.body(routerOpenApiJson(routes.declared), 200, { 'content-type': 'application/json' })),
  );
  registerAskRoutes(routes, services);
  registerContextRoutes(routes, services);
  registerOpenAiRoutes(routes, services);
  registerConfirmationRoutes(routes, services);
  registerAnthropicRoutes(routes, services);
  registerResponsesRoutes(routes, services);
  registerConsoleRoutes(routes, deps.consoleDir);

  app.notFound((c) =>
    errorResponse(c, new RouterError(404, 'not_found', `No route for ${c.req.method} ${c.req.path}`)),
  );
  app.onError((error, c) => {
    const routerError = toRouterError(error);
    if (routerError.status >= 500) {
      logger.error(
        {
          reqId: c.get('requestId'),
          provider: c.get('provider'),
          type: routerError.type,
          err: describe(error),
        },
        routerError.message,
      );
    }
    return errorResponse(c, routerError);
  });
  return app;
}

/**
 * The request as a server span, continuing the caller's traceparent: one trace per /ask or
 * /v1/chat/completions, the provider, tool and confirmation spans below it.
 */
function traced(c: Context<RouterEnv>, next: Next): Promise<void> {
  const method = c.req.method;
  return withSpan(
    method,
    {
      kind: 'server',
      parent: c.req.raw.headers,
      attributes: { 'http.request.method': method, 'url.path': c.req.path },
    },
    async (span) => {
      c.set('span', span);
      await next();
      const route = c.req.routePath === '/*' ? UNMATCHED : c.req.routePath;
      span.updateName(`${method} ${route}`);
      span.setAttribute('http.route', route);
      span.setAttribute('http.response.status_code', c.res.status);
      const principal = c.get('principal');
      if (principal) span.setAttribute(OCSAI.PRINCIPAL, principal.id);
    },
  );
}

/** What may be logged about an unexpected error: its name and message, never request data. */
function describe(error: unknown): { name: string; message: string } {
  return error instanceof Error
    ? { name: error.name, message: error.message }
    : { name: 'unknown', message: String(error) };
}
