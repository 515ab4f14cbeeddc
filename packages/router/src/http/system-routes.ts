import { principalView, principalViewSchema } from '../admission/principal.js';
import { contextEnvelopeJsonSchema } from '../context-envelope/envelope.js';
import { type ApiRoutes, createRoute } from './api-routes.js';
import { OPEN, preserialised, sharedAnswer } from './error-response.js';
import { named } from './openapi-components.js';
import type { RouterEnv, RouterServices } from './router-env.js';

export const healthRoute = createRoute({
  method: 'get',
  path: '/health',
  operationId: 'getHealth',
  summary: 'Liveness',
  tags: ['system'],
  ...OPEN,
  responses: {
    200: { description: 'The process is up.', content: { 'application/json': { schema: named('Health') } } },
  },
});

export const readyRoute = createRoute({
  method: 'get',
  path: '/ready',
  operationId: 'getReady',
  summary: 'Readiness: the context store answers and the default provider is configured',
  tags: ['system'],
  ...OPEN,
  responses: {
    200: {
      description: 'Ready.',
      content: {
        'application/json': {
          schema: named('Ready'),
          example: { status: 'ready', provider: 'ollama', store: 'sqlite' },
        },
      },
    },
    503: {
      description: 'Not ready; every reason is listed.',
      content: {
        'application/json': {
          schema: named('NotReady'),
          example: { status: 'not_ready', reasons: ['Provider openai needs OPENAI_API_KEY'] },
        },
      },
    },
  },
});

export const metricsRoute = createRoute({
  method: 'get',
  path: '/metrics',
  operationId: 'getMetrics',
  summary: 'Prometheus metrics',
  description:
    'router_http_requests_total and router_http_request_duration_seconds (by route, method, status), router_upstream_latency_seconds (by provider), router_overhead_seconds (by route) and the Node default metrics.',
  tags: ['system'],
  ...OPEN,
  responses: {
    200: {
      description: 'Prometheus text exposition format.',
      content: { 'text/plain': { schema: { type: 'string' } } },
    },
  },
});

export const openApiRoute = createRoute({
  method: 'get',
  path: '/openapi.json',
  operationId: 'getOpenApiDocument',
  summary: 'This OpenAPI document',
  tags: ['system'],
  ...OPEN,
  responses: {
    200: {
      description: 'OpenAPI 3.1 document.',
      content: { 'application/json': { schema: { type: 'object' } } },
    },
  },
});

export const whoamiRoute = createRoute({
  method: 'get',
  path: '/whoami',
  operationId: 'whoami',
  summary: 'The principal the presented credential maps to',
  description:
    'Roles, user id patterns, providers and models come from the credential (ROUTER_KEYS_FILE, ROUTER_API_KEYS as principal `default`, an OIDC token, or the keyless loopback principal `local`); never keys or hashes.',
  tags: ['system'],
  responses: {
    200: { description: 'The principal.', content: { 'application/json': { schema: principalViewSchema } } },
    401: sharedAnswer('Unauthorized'),
  },
});

export const contextSchemaRoute = createRoute({
  method: 'get',
  path: '/schema/context.json',
  operationId: 'getContextSchema',
  summary: 'JSON Schema of the context envelope',
  description: 'Also committed as schema/context.schema.json.',
  tags: ['context'],
  responses: {
    200: {
      description: 'JSON Schema (draft 2020-12).',
      content: { 'application/schema+json': { schema: { type: 'object' } } },
    },
    401: sharedAnswer('Unauthorized'),
  },
});

export const SYSTEM_ROUTES = [
  healthRoute,
  readyRoute,
  metricsRoute,
  openApiRoute,
  whoamiRoute,
  contextSchemaRoute,
];

/** Liveness, readiness, whoami, the context JSON Schema and Prometheus metrics (app.ts serves the document). */
export function registerSystemRoutes(app: ApiRoutes<RouterEnv>, services: RouterServices): void {
  const { store, providers, metrics, version } = services;
  const health = JSON.stringify({ status: 'ok', service: 'ocs-router', version });
  const schema = JSON.stringify(contextEnvelopeJsonSchema(), null, 2);

  app.openapi(healthRoute, (c) => preserialised(c.body(health, 200, { 'content-type': 'application/json' })));

  app.openapi(readyRoute, async (c) => {
    const reasons: string[] = [];
    try {
      await store.ping();
    } catch (error) {
      reasons.push(
        `context store (${store.kind}) unreachable: ${error instanceof Error ? error.message : 'unknown error'}`,
      );
    }
    const provider = providers.defaultProvider;
    if (!providers.isConfigured(provider)) {
      const before = reasons.length;
      try {
        providers.get(provider);
      } catch (error) {
        reasons.push(
          error instanceof Error ? error.message : `default provider ${provider} is not configured`,
        );
      }
      if (reasons.length === before) reasons.push(`default provider ${provider} is not configured`);
    }
    if (reasons.length) return c.json({ status: 'not_ready' as const, reasons }, 503);
    return c.json({ status: 'ready' as const, provider, store: store.kind }, 200);
  });

  // Which principal the presented credential is (the console shows it); never keys or hashes.
  app.openapi(whoamiRoute, (c) => c.json(principalView(c.get('principal')), 200));

  app.openapi(contextSchemaRoute, (c) =>
    preserialised(c.body(schema, 200, { 'content-type': 'application/schema+json' })),
  );

  app.openapi(metricsRoute, async (c) => {
    const { contentType, body } = await metrics.exposition();
    return preserialised(c.body(body, 200, { 'content-type': contentType }));
  });
}
