import type { MiddlewareHandler } from 'hono';
import { z } from 'zod';
import { mayActFor } from '../admission/principal.js';
import { userIdSchema } from '../context-envelope/envelope.js';
import { RouterError } from '../errors.js';
import { type ApiRoutes, createRoute } from './api-routes.js';
import { errorAnswer, requestIdHeaders, sharedAnswer } from './error-response.js';
import { jsonBody } from './json-body.js';
import { named } from './openapi-components.js';
import type { RouterEnv, RouterServices } from './router-env.js';

const PATH = '/context/{user_id}';
const params = z.object({ user_id: userIdSchema });
const request = { params, headers: requestIdHeaders };

const noContext = (userId: string) =>
  new RouterError(404, 'not_found', `No context stored for user ${userId}`);

const NOT_STORED = errorAnswer(
  'not_found: nothing is stored for this user, or the principal may not act for it (the same answer).',
);
const CONTEXT_ERRORS = {
  401: sharedAnswer('Unauthorized'),
  422: sharedAnswer('ValidationError'),
  429: sharedAnswer('RateLimited'),
  500: sharedAnswer('InternalError'),
};
const WRITE_ERRORS = {
  400: sharedAnswer('InvalidJson'),
  404: errorAnswer('not_found: the principal may not act for this user_id.'),
  413: sharedAnswer('PayloadTooLarge'),
  ...CONTEXT_ERRORS,
};
const envelope = (description: string) => ({
  description,
  content: { 'application/json': { schema: named('ContextEnvelope') } },
});
const envelopeBody = (description: string) => ({
  description,
  required: true,
  content: {
    'application/json': {
      schema: named('ContextEnvelope'),
      example: {
        identity: { name: 'Alice', role: 'care agent', locale: 'en-GB' },
        memory: { facts: ['prepaid customer'] },
        tools: { servers: ['ocs'], deny: ['delete_subscriber'] },
      },
    },
  },
});

export const getContextRoute = createRoute({
  method: 'get',
  path: PATH,
  operationId: 'getContext',
  summary: 'Read the stored context envelope',
  tags: ['context'],
  request,
  responses: { 200: envelope('The stored envelope.'), 404: NOT_STORED, ...CONTEXT_ERRORS },
});

const replaceRoute = (method: 'put' | 'post', operationId: string, summary: string) =>
  createRoute({
    method,
    path: PATH,
    operationId,
    summary,
    tags: ['context'],
    request: { ...request, body: envelopeBody('The new envelope; replaces whatever was stored.') },
    responses: { 200: envelope('The stored envelope.'), ...WRITE_ERRORS },
  });

export const putContextRoute = replaceRoute('put', 'putContext', 'Replace the stored context envelope');
export const replaceContextRoute = replaceRoute(
  'post',
  'replaceContext',
  'Replace the stored context envelope (same as PUT)',
);

export const mergeContextRoute = createRoute({
  method: 'patch',
  path: PATH,
  operationId: 'mergeContext',
  summary: 'Merge into the stored context envelope',
  description:
    'Same rules as /ask: the request wins field by field within identity, tools and memory; memory.facts are unioned by value; docs are unioned by id. Creates the envelope when absent; cannot remove facts or docs (use PUT).',
  tags: ['context'],
  request: { ...request, body: envelopeBody('Fields to merge.') },
  responses: { 200: envelope('The merged envelope.'), ...WRITE_ERRORS },
});

export const deleteContextRoute = createRoute({
  method: 'delete',
  path: PATH,
  operationId: 'deleteContext',
  summary: 'Delete the stored context envelope',
  tags: ['context'],
  request,
  responses: { 204: { description: 'Deleted.' }, 404: NOT_STORED, ...CONTEXT_ERRORS },
});

export const CONTEXT_ROUTES = [
  getContextRoute,
  putContextRoute,
  replaceContextRoute,
  mergeContextRoute,
  deleteContextRoute,
];

/**
 * Runs before the route's own validation: an invalid user_id is a 422 naming it, and another
 * principal's user reads exactly like a user without context (404), whatever the method and body.
 */
const actingFor: MiddlewareHandler<RouterEnv> = async (c, next) => {
  const parsed = userIdSchema.safeParse(c.req.param('user_id'));
  if (!parsed.success) {
    throw new RouterError(422, 'validation_error', `Invalid user_id: ${parsed.error.issues[0]?.message}`, {
      issues: [{ path: 'user_id', message: parsed.error.issues[0]?.message ?? 'invalid' }],
    });
  }
  if (!mayActFor(c.get('principal'), parsed.data)) throw noContext(parsed.data);
  await next();
};

/** /context/{user_id}: GET reads, PUT and POST replace, PATCH merges, DELETE removes. */
export function registerContextRoutes(app: ApiRoutes<RouterEnv>, services: RouterServices): void {
  const { store, config } = services;
  const withBody = [actingFor, jsonBody(config.ROUTER_MAX_BODY_BYTES)];

  app.openapi({ ...getContextRoute, middleware: [actingFor] }, async (c) => {
    const { user_id: userId } = c.req.valid('param');
    const stored = await store.get(userId);
    if (!stored) throw noContext(userId);
    return c.json(stored, 200);
  });

  for (const route of [putContextRoute, replaceContextRoute]) {
    app.openapi({ ...route, middleware: withBody }, async (c) =>
      c.json(await store.put(c.req.valid('param').user_id, c.req.valid('json')), 200),
    );
  }

  app.openapi({ ...mergeContextRoute, middleware: withBody }, async (c) =>
    c.json(await store.patch(c.req.valid('param').user_id, c.req.valid('json')), 200),
  );

  app.openapi({ ...deleteContextRoute, middleware: [actingFor] }, async (c) => {
    const { user_id: userId } = c.req.valid('param');
    if (!(await store.delete(userId))) throw noContext(userId);
    return c.body(null, 204);
  });
}
