import { type ApiRoutes, answer, route } from '../http/api-routes.js';

export const healthCheck = route({
  method: 'get',
  path: '/health-check',
  summary: 'Liveness check (200, empty body)',
  tags: ['health'],
  responses: { 200: answer('Up') },
});

/** 200 with an empty body, like the backend. */
export function registerHealthRoutes(api: ApiRoutes): void {
  api.openapi(healthCheck, (c) => c.body(null, 200));
}
