import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const router = process.env['OCSAI_ROUTER_URL'] ?? 'http://127.0.0.1:8000';

/**
 * The console is a static build served by the router at /console. The client package is bundled
 * from its TypeScript source, so the console never depends on the client having been built first.
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/console/',
  resolve: {
    alias: {
      '@ocsai/client': fileURLToPath(new URL('../client/src/index.ts', import.meta.url)),
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // No source maps in the served build: the bundle stays small and nothing extra is exposed.
    sourcemap: false,
  },
  // `npx vite` in this folder: the console with hot reload, talking to a router on :8000.
  server: {
    host: '127.0.0.1',
    proxy: Object.fromEntries(['/ask', '/v1', '/context', '/health', '/ready'].map((path) => [path, router])),
  },
});
