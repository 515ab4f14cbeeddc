import type { Hono } from 'hono';
import type { AppEnv } from '../http/app-env.js';
import { buildOpenApiDocument } from '../openapi/document.js';
import { renderApiReference } from '../openapi/reference-page.js';

export function registerOpenApiRoutes(app: Hono<AppEnv>): void {
  // Built on first use: generation takes a moment and most emulator runs never ask for it.
  let document: Record<string, unknown> | undefined;
  let page: string | undefined;
  const doc = () => {
    document ??= buildOpenApiDocument();
    return document;
  };
  app.get('/openapi.json', (c) => c.json(doc()));
  app.get('/docs', (c) => {
    page ??= renderApiReference(doc());
    return c.html(page);
  });
}
