import type { Hono } from 'hono';
import { contextEnvelopeJsonSchema } from '../context-envelope/envelope.js';
import { routerOpenApiJson } from './openapi.js';
import type { RouterEnv, RouterServices } from './router-env.js';

/** Liveness, readiness, the context JSON Schema, the OpenAPI document and Prometheus metrics. */
export function registerSystemRoutes(app: Hono<RouterEnv>, services: RouterServices): void {
  const { store, providers, metrics, version } = services;
  const health = JSON.stringify({ status: 'ok', service: 'ocs-router', version });
  const schema = JSON.stringify(contextEnvelopeJsonSchema(), null, 2);

  app.get('/health', (c) => c.body(health, 200, { 'content-type': 'application/json' }));

  app.get('/ready', async (c) => {
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
    if (reasons.length) return c.json({ status: 'not_ready', reasons }, 503);
    return c.json({ status: 'ready', provider, store: store.kind });
  });

  app.get('/schema/context.json', (c) => c.body(schema, 200, { 'content-type': 'application/schema+json' }));

  app.get('/openapi.json', (c) => c.body(routerOpenApiJson(), 200, { 'content-type': 'application/json' }));

  app.get('/metrics', async (c) =>
    c.body(await metrics.text(), 200, { 'content-type': metrics.registry.contentType }),
  );
}
