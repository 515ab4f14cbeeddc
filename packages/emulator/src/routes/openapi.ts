import type { RouteConfig } from '@hono/zod-openapi';
import type { Hono } from 'hono';
import type { AppEnv } from '../http/app-env.js';

/** Serves the document generated from `routes`, which must be complete when the first request comes. */
export function registerOpenApiRoutes(app: Hono<AppEnv>, routes: readonly RouteConfig[]): void {
  // Built on first use, and its modules (zod-to-openapi) loaded only then: generation takes a moment,
  // and importing them at start-up cost every emulator run start-up time and memory it rarely uses.
  let document: Promise<Record<string, unknown>> | undefined;
  let page: Promise<string> | undefined;
  const doc = () => {
    document ??= import('../openapi/generate.js').then(({ buildOpenApiDocument }) =>
      buildOpenApiDocument(routes),
    );
    return document;
  };
  app.get('/openapi.json', async (c) => c.json(await doc()));
  app.get('/docs', async (c) => {
    page ??= Promise.all([import('../openapi/reference-page.js'), doc()]).then(
      ([{ renderApiReference }, document]) => renderApiReference(document),
    );
    return c.html(await page);
  });
}
