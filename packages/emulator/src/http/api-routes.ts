import type { RouteConfig } from '@hono/zod-openapi';
import { ErrorBody } from '@ocsai/contract';
import type { Handler, Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from './app-env.js';

const json = (schema: z.ZodType) => ({ 'application/json': { schema } });

/** A success answer, with the contract schema of its body when it has one. */
export const answer = (description: string, schema?: z.ZodType) => ({
  description,
  ...(schema ? { content: json(schema) } : {}),
});

/** A refusal: the Spring-style error body (which strict fidelity drops where the backend does). */
export const refusal = (description: string) => ({
  description: `${description} — Spring-style error body`,
  content: json(ErrorBody),
});

/** Path parameters, all plain strings (the backend takes any text as an id). */
export const pathParams = (...names: string[]) =>
  z.object(Object.fromEntries(names.map((name) => [name, z.string()])));

export const jsonBody = (schema: z.ZodType) => ({ content: json(schema), required: true });

const transactionHeader = z.object({ 'X-Transaction-ID': z.string().optional() });

/**
 * A route as `@hono/zod-openapi`'s `createRoute` takes it, every one with the optional
 * X-Transaction-ID header. Only the type comes from that package: its value side loads the
 * document generator, which start-up does not need.
 */
export function route<P extends string, R extends Omit<RouteConfig, 'path'> & { path: P }>(config: R): R {
  return { ...config, request: { headers: transactionHeader, ...config.request } };
}

/** `/a/{id}` → `/a/:id`, the Hono pattern of an OpenAPI path (typed, so handlers know their params). */
type HonoPath<T extends string> = T extends `${infer Start}/{${infer Param}}${infer Rest}`
  ? `${Start}/:${Param}${HonoPath<Rest>}`
  : T;

/**
 * `app.openapi(route, handler)` as in `OpenAPIHono`, on a plain Hono app: the handler is served at
 * once, and the route is kept so that GET /openapi.json can generate the document from exactly
 * the routes served, loading the generator only then. Request validation stays in the handlers,
 * which answer with the backend's own status codes and error bodies.
 */
export class ApiRoutes {
  readonly declared: RouteConfig[] = [];

  constructor(readonly app: Hono<AppEnv>) {}

  openapi<R extends RouteConfig>(config: R, handler: Handler<AppEnv, HonoPath<R['path']>>): void {
    this.declared.push(config);
    this.app.on(config.method.toUpperCase(), config.path.replace(/\{([^}]+)\}/g, ':$1'), handler);
  }
}
