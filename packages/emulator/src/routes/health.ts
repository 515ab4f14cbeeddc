import type { Hono } from 'hono';
import type { AppEnv } from '../http/app-env.js';

/** 200 with an empty body, like the backend. */
export function registerHealthRoutes(app: Hono<AppEnv>): void {
  app.get('/health-check', (c) => c.body(null, 200));
}
