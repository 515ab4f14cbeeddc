import { OpenAPIHono, type RouteConfig } from '@hono/zod-openapi';
import { OCS_BASE_PATH } from '@ocsai/contract';

/**
 * The emulator's OpenAPI 3.0 document, generated from the routes the app serves (their
 * declarations carry the contract's zod schemas). Loaded on first GET /openapi.json only.
 */
export function buildOpenApiDocument(routes: readonly RouteConfig[]): Record<string, unknown> {
  const generator = new OpenAPIHono();
  generator.openAPIRegistry.registerComponent('securitySchemes', 'apiKey', {
    type: 'apiKey',
    in: 'header',
    name: 'X-API-Key',
  });
  for (const route of routes) generator.openAPIRegistry.registerPath(route);
  return generator.getOpenAPIDocument({
    openapi: '3.0.3',
    info: {
      title: 'OCS provisioning API (emulator)',
      version: '1.1',
      description:
        'Behaviour of the real backend: Spring-style error bodies {timestamp,status,error,message,path,details}; many 4xx without a body in strict fidelity; X-Transaction-ID echoed or generated on every response; a POST repeating a client X-Transaction-ID within 24 h replays the first response.',
    },
    servers: [{ url: OCS_BASE_PATH }],
  }) as unknown as Record<string, unknown>;
}
