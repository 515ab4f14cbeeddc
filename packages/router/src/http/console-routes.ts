import { readFile } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { PACKAGE_ROOT } from '../version.js';
import { type ApiRoutes, createRoute } from './api-routes.js';
import { OPEN } from './error-response.js';
import type { RouterEnv } from './router-env.js';

/**
 * Where the operator console's built files live: copied into the router's own dist/console by the
 * root build, so the published router serves the console without depending on the console package.
 */
export const DEFAULT_CONSOLE_DIR = fileURLToPath(new URL('dist/console/', PACKAGE_ROOT));

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.map': 'application/json',
  '.webmanifest': 'application/manifest+json',
};

// Vite names built assets by content hash, so they never change under the same name.
const HASHED_ASSET = /-[A-Za-z0-9_-]{8,}\.(js|css)$/;

export const consoleRoute = createRoute({
  method: 'get',
  path: '/console',
  operationId: 'getConsole',
  summary: 'Operator console (redirects to /console/)',
  tags: ['console'],
  ...OPEN,
  responses: { 308: { description: 'Redirect to /console/.' } },
});

export const consoleFileRoute = createRoute({
  method: 'get',
  path: '/console/{file}',
  operationId: 'getConsoleFile',
  summary: 'Operator console page and its static assets',
  description:
    'The built web console (index.html for /console/). Public: the page asks for an API key before it calls the API. Hashed assets are cached as immutable.',
  tags: ['console'],
  ...OPEN,
  request: { params: z.object({ file: z.string().describe('File under the console folder.') }) },
  responses: {
    200: { description: 'The file.', content: { 'text/html': { schema: { type: 'string' } } } },
    404: { description: 'No such file (or the console is not built).' },
  },
});

export const CONSOLE_ROUTES = [consoleRoute, consoleFileRoute];

/**
 * Serves the console at /console (static files, read once and kept in memory: the bundle is small).
 * Paths are resolved inside the console folder only; anything else is a 404.
 */
export function registerConsoleRoutes(routes: ApiRoutes<RouterEnv>, dir: string = DEFAULT_CONSOLE_DIR): void {
  const root = resolve(dir);
  const cache = new Map<string, Promise<Uint8Array | null>>();
  const load = (file: string) => {
    let entry = cache.get(file);
    if (!entry) {
      entry = readFile(file).then(
        (bytes) => new Uint8Array(bytes),
        () => null,
      );
      cache.set(file, entry);
    }
    return entry;
  };

  routes.openapi(consoleRoute, (c) => c.redirect('/console/', 308));
  // Any depth under /console/ (the documented {file} is one segment; assets may sit in folders), so
  // {file} is declared for the document and served by this wildcard.
  routes.declared.push(consoleFileRoute);
  routes.app.get('/console/*', async (c) => {
    let relative: string;
    try {
      relative = decodeURIComponent(c.req.path.slice('/console/'.length)) || 'index.html';
    } catch {
      return c.json(
        { error: { type: 'invalid_path', message: 'Malformed percent-encoding in the URL path' } },
        400,
      );
    }
    const file = resolve(root, relative);
    if (file !== root && !file.startsWith(root + sep)) return c.notFound();
    const bytes = await load(file);
    if (!bytes) {
      if (relative === 'index.html')
        return c.text('The console is not built: run `npm run build` at the repository root.', 404);
      return c.notFound();
    }
    const headers: Record<string, string> = {
      'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
      'x-content-type-options': 'nosniff',
      'cache-control': HASHED_ASSET.test(file) ? 'public, max-age=31536000, immutable' : 'no-cache',
    };
    if (extname(file) === '.html') {
      headers['content-security-policy'] =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'";
    }
    return c.body(bytes as Uint8Array<ArrayBuffer>, 200, headers);
  });
}
