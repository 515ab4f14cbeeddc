import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { RouteConfig } from '@hono/zod-openapi';
import { z } from 'zod';
import { ROUTER_VERSION } from '../version.js';
import { ANTHROPIC_ROUTES } from './anthropic/routes.js';
import { askRoute } from './ask-routes.js';
import { confirmationRoute } from './confirmation-routes.js';
import { CONSOLE_ROUTES } from './console-routes.js';
import { CONTEXT_ROUTES } from './context-routes.js';
import { SHARED_ANSWERS, VALIDATION_ERROR_EXAMPLE } from './error-response.js';
import { RESPONSES_ROUTES } from './openai/responses/routes.js';
import { OPENAI_ROUTES } from './openai/routes.js';
import { COMPONENT_SCHEMAS, NAMED_SCHEMAS, schemaRef } from './openapi-components.js';
import { SYSTEM_ROUTES } from './system-routes.js';

/**
 * The router's OpenAPI 3.1 document, generated from the same route declarations (createRoute) the
 * app serves. Only what no route carries is written here: the title, servers, tags, security
 * schemes and the error answers many routes share. The generator (`@hono/zod-openapi`) is loaded
 * on first use only: start-up does not need it.
 */

type JsonObject = Record<string, unknown>;

const DESCRIPTION =
  'One POST /ask over six LLM providers with MCP tools, per-user context, and an OpenAI-compatible surface. Every response carries x-request-id (a valid incoming one is kept) and x-router-overhead-ms (time spent in the router, not counting the upstream). Who calls is decided by the credential alone: an API key of ROUTER_KEYS_FILE (or ROUTER_API_KEYS / ROUTER_API_KEY_HASHES) or an OIDC bearer token (ROUTER_OIDC_ISSUER); without any, only loopback callers are served, as principal `local`. A user_id the principal may not act for answers 404, a provider or model outside its list 403.';

/** zod's .int() adds the safe-integer range as bounds; they say nothing a reader needs. */
function withoutSafeIntegerBounds(node: unknown): void {
  if (Array.isArray(node)) {
    for (const item of node) withoutSafeIntegerBounds(item);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const schema = node as JsonObject;
  if (schema.minimum === Number.MIN_SAFE_INTEGER) delete schema.minimum;
  if (schema.maximum === Number.MAX_SAFE_INTEGER) delete schema.maximum;
  for (const child of Object.values(schema)) withoutSafeIntegerBounds(child);
}

/**
 * The component schemas, rendered by zod's own JSON Schema generator in one registry, so a schema
 * used by several components (ContextEnvelope in AskRequest) becomes a $ref. The input side of
 * every schema: request bodies are read before zod's defaults apply, and for the response shapes
 * (no transforms) it only leaves out `additionalProperties: false`, so clients do not reject a
 * field the router adds later.
 */
function componentSchemas(): JsonObject {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(COMPONENT_SCHEMAS)) registry.add(schema, { id });
  const { schemas } = z.toJSONSchema(registry, { io: 'input', uri: (id) => `#/components/schemas/${id}` });
  const components: JsonObject = {};
  for (const [id, generated] of Object.entries(schemas)) {
    const { $id: _id, $schema: _dialect, ...schema } = generated as JsonObject;
    withoutSafeIntegerBounds(schema);
    components[id] = schema;
  }
  return components;
}

type Generator = typeof import('@hono/zod-openapi');

/**
 * `@hono/zod-openapi`, loaded synchronously on first use (so routerOpenApiDocument stays a plain
 * function): its ES module build, the one `import` would load, through require (Node >= 20.19).
 */
function loadGenerator(): Generator {
  const require = createRequire(import.meta.url);
  return require(fileURLToPath(import.meta.resolve('@hono/zod-openapi'))) as Generator;
}

const [health, ready, metrics, ...selfAndCaller] = SYSTEM_ROUTES;
/** Every route the app declares, in reading order: probes, the console, self-description, then the API itself. */
export const ROUTER_ROUTES: readonly RouteConfig[] = [
  health,
  ready,
  metrics,
  ...CONSOLE_ROUTES,
  ...selfAndCaller,
  askRoute,
  ...CONTEXT_ROUTES,
  ...OPENAI_ROUTES,
  confirmationRoute,
  ...ANTHROPIC_ROUTES,
  ...RESPONSES_ROUTES,
].filter((route) => route !== undefined);

/** Where a route comes in the document: its place in ROUTER_ROUTES, or after them all. */
function readingRank(route: RouteConfig): number {
  const index = ROUTER_ROUTES.findIndex(
    (known) => known.method === route.method && known.path === route.path,
  );
  return index < 0 ? ROUTER_ROUTES.length : index;
}

/** The route with every content schema that named() gave tagged with its component name. */
function withComponentNames(route: RouteConfig, zod: Generator['z']): RouteConfig {
  type Content = Record<string, { schema?: unknown }> | undefined;
  const tag = (content: Content) =>
    content &&
    Object.fromEntries(
      Object.entries(content).map(([mediaType, media]) => {
        const name = NAMED_SCHEMAS.get(media.schema as z.ZodType);
        return [
          mediaType,
          name ? { ...media, schema: zod.ZodType.prototype.openapi.call(media.schema, name) } : media,
        ];
      }),
    );
  const body = route.request?.body;
  return {
    ...route,
    ...(route.request
      ? {
          request: {
            ...route.request,
            ...(body ? { body: { ...body, content: tag(body.content as Content) } } : {}),
          },
        }
      : {}),
    responses: Object.fromEntries(
      Object.entries(route.responses).map(([status, answer]) => [
        status,
        'content' in answer && answer.content
          ? { ...answer, content: tag(answer.content as Content) }
          : answer,
      ]),
    ),
  } as RouteConfig;
}

function buildDocument(routes: readonly RouteConfig[]): JsonObject {
  const { OpenAPIHono, z: zod } = loadGenerator();
  const app = new OpenAPIHono();
  const registry = app.openAPIRegistry;
  const ordered = routes
    .map((route, index) => ({ route, rank: readingRank(route), index }))
    .sort((a, b) => a.rank - b.rank || a.index - b.index);
  for (const { route } of ordered) registry.registerPath(withComponentNames(route, zod));
  for (const [name, description] of Object.entries(SHARED_ANSWERS)) {
    const content = { schema: schemaRef('ErrorBody') };
    registry.registerComponent('responses', name, {
      description,
      content: {
        'application/json':
          name === 'ValidationError' ? { ...content, example: VALIDATION_ERROR_EXAMPLE } : content,
      },
    } as never);
  }
  registry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    description: 'Authorization: Bearer <key>',
  });
  registry.registerComponent('securitySchemes', 'apiKeyHeader', {
    type: 'apiKey',
    in: 'header',
    name: 'x-api-key',
  });
  const document = app.getOpenAPI31Document({
    openapi: '3.1.0',
    info: {
      title: 'OCS AI router',
      version: ROUTER_VERSION,
      description: DESCRIPTION,
      // OpenAPI 3.1 adds the SPDX identifier; the generator's 3.0 types do not know it yet.
      license: { name: 'MIT', identifier: 'MIT' } as { name: string },
    },
    servers: [{ url: 'http://127.0.0.1:8000', description: 'Default ROUTER_HOST and ROUTER_PORT' }],
    tags: [
      { name: 'ask', description: 'Ask the model.' },
      { name: 'context', description: 'Stored per-user context envelopes.' },
      { name: 'openai', description: 'OpenAI-compatible surface.' },
      { name: 'confirmations', description: "A human's answer to a tool call held for confirmation." },
      { name: 'anthropic', description: 'Anthropic Messages API surface.' },
      { name: 'system', description: 'Probes, metrics and this document.' },
    ],
    security: [{ bearerAuth: [] }, { apiKeyHeader: [] }],
  }) as unknown as JsonObject & { components: JsonObject };
  // The route generator names the components the routes use; zod renders their schemas.
  const { webhooks: _none, paths, components, ...head } = document;
  return { ...head, paths, components: { ...components, schemas: componentSchemas() } };
}

const cache = new WeakMap<readonly RouteConfig[], { document: JsonObject; json: string }>();

function cached(routes: readonly RouteConfig[]): { document: JsonObject; json: string } {
  let entry = cache.get(routes);
  if (!entry) {
    const document = buildDocument(routes);
    entry = { document, json: JSON.stringify(document) };
    cache.set(routes, entry);
  }
  return entry;
}

/**
 * The document of the given routes (by default every route the app declares), built on first use
 * (loading the generator and rendering the schemas take a moment) and then reused.
 */
export function routerOpenApiDocument(routes: readonly RouteConfig[] = ROUTER_ROUTES): JsonObject {
  return cached(routes).document;
}

/** The document serialised once, as GET /openapi.json sends it. */
export function routerOpenApiJson(routes: readonly RouteConfig[] = ROUTER_ROUTES): string {
  return cached(routes).json;
}
