import { randomUUID } from 'node:crypto';
import { loadOfferCatalogue, OCS_BASE_PATH, type Offer } from '@ocsai/contract';
import { Hono } from 'hono';
import { type Logger, pino } from 'pino';
import { OcsHttpError } from './domain/ocs-http-error.js';
import { apiKeyGuard } from './http/api-key.js';
import { ApiRoutes } from './http/api-routes.js';
import type { AppDeps, AppEnv, Fidelity } from './http/app-env.js';
import { bodySizeLimit } from './http/body-limit.js';
import { errorResponse, UNEXPECTED_ERROR } from './http/error-response.js';
import { MAX_BODY_BYTES } from './http/json-body.js';
import { requestLog } from './http/request-log.js';
import { traceSpan } from './http/trace-span.js';
import { transactionId } from './http/transaction-id.js';
import { registerAccountHistoryRoutes } from './routes/account-history.js';
import { registerBalanceRoutes } from './routes/balances.js';
import { registerHealthRoutes } from './routes/health.js';
import { registerOfferRoutes } from './routes/offers.js';
import { registerOpenApiRoutes } from './routes/openapi.js';
import { registerSubscriberRoutes } from './routes/subscribers.js';
import { registerSubscriptionRoutes } from './routes/subscriptions.js';
import { OcsStore } from './store/ocs-store.js';

export interface CreateAppOptions {
  /** Defaults to a fresh in-memory database (handy for `app.request()` tests). */
  store?: OcsStore;
  fidelity?: Fidelity;
  apiKey?: string;
  /** Catalogue served by GET /offers; defaults to the contract's bundled offers. */
  offers?: Offer[];
  logger?: Logger | false;
  now?: () => number;
  newId?: () => string;
}

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string } | null)?.code === 'SQLITE_CONSTRAINT_UNIQUE';
}

/** Pattern of each registered route, to tell an unknown path (404) from a wrong method (405). */
function routeTable(app: Hono<AppEnv>): { method: string; pattern: RegExp }[] {
  return app.routes
    .filter((r) => r.method !== 'ALL')
    .map((r) => {
      const source = r.path
        .split('/')
        .map((segment) =>
          segment.startsWith(':') ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
        )
        .join('/');
      return { method: r.method, pattern: new RegExp(`^${source}/*$`) };
    });
}

/** The emulator's Hono app; testable without a socket through `app.request()`. */
export function createEmulatorApp(options: CreateAppOptions = {}): Hono<AppEnv> {
  const fidelity = options.fidelity ?? 'friendly';
  const deps: AppDeps = {
    store: options.store ?? OcsStore.open(':memory:'),
    fidelity,
    apiKey: options.apiKey,
    offers: options.offers ?? loadOfferCatalogue().offers,
    logger: options.logger || pino({ level: 'silent' }),
    now: options.now ?? Date.now,
    newId: options.newId ?? randomUUID,
  };

  // strict: false makes a trailing slash equivalent.
  const app = new Hono<AppEnv>({ strict: false });
  app.use('*', transactionId());
  app.use('*', traceSpan());
  if (options.logger) app.use('*', requestLog(options.logger));
  if (deps.apiKey) app.use('*', apiKeyGuard(deps.apiKey, fidelity));
  app.use(
    '*',
    bodySizeLimit(MAX_BODY_BYTES, (c) => {
      const response = errorResponse(c, fidelity, 413, `body: larger than ${MAX_BODY_BYTES} bytes`);
      // The rest of the oversized body is never read, so the connection cannot be reused.
      response.headers.set('Connection', 'close');
      return response;
    }),
  );

  const api = new ApiRoutes(new Hono<AppEnv>({ strict: false }));
  registerHealthRoutes(api);
  registerSubscriberRoutes(api, deps);
  registerSubscriptionRoutes(api, deps);
  registerBalanceRoutes(api, deps);
  registerAccountHistoryRoutes(api, deps);
  registerOfferRoutes(api, deps);
  registerOpenApiRoutes(api.app, api.declared);
  app.route(OCS_BASE_PATH, api.app);

  const routes = routeTable(app);
  app.notFound((c) => {
    const path = new URL(c.req.url).pathname;
    const allowed = [...new Set(routes.filter((r) => r.pattern.test(path)).map((r) => r.method))];
    if (allowed.length > 0) {
      const response = errorResponse(c, fidelity, 405, `Request method '${c.req.method}' is not supported`);
      response.headers.set('Allow', allowed.join(', '));
      return response;
    }
    return errorResponse(c, fidelity, 404, `No endpoint ${c.req.method} ${path}`);
  });

  app.onError((error, c) => {
    if (error instanceof OcsHttpError)
      return errorResponse(c, fidelity, error.status, error.message, error.bodiless);
    if (isUniqueViolation(error)) {
      return errorResponse(c, fidelity, 409, 'a subscriber with this msisdn already exists');
    }
    deps.logger.error({ err: error, path: new URL(c.req.url).pathname }, 'unexpected error');
    return errorResponse(c, fidelity, 500, UNEXPECTED_ERROR);
  });
  return app;
}
