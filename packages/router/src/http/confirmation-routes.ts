import { z } from 'zod';
import { confirmationIdSchema } from '../ask/ask-request.js';
import { toRouterError } from '../errors.js';
import { type ApiRoutes, createRoute } from './api-routes.js';
import {
  BAD_REQUEST,
  errorAnswer,
  requestIdHeaders,
  sharedAnswer,
  UPSTREAM_ERRORS,
} from './error-response.js';
import { jsonBody } from './json-body.js';
import { named } from './openapi-components.js';
import type { RouterEnv, RouterServices } from './router-env.js';

export const confirmationRoute = createRoute({
  method: 'post',
  path: '/v1/confirmations/{id}',
  operationId: 'answerConfirmation',
  summary: "A human's yes or no to a held tool call",
  description:
    "Answers a confirmation held by /ask or by a compatible API with the router's MCP tools on (the `confirmation` field of its answer). approve: true runs the held call, false tells the model the human declined; the model then goes on, and its answer comes back in the /ask answer shape. Each confirmation can be answered once, on any router instance sharing the store (SQLite or Redis), and only by the principal that asked (under ROUTER_APPROVAL=other-approver, a different principal with the approver role approves).",
  tags: ['confirmations'],
  request: {
    params: z.object({ id: confirmationIdSchema }),
    headers: requestIdHeaders,
    body: {
      required: true,
      content: { 'application/json': { schema: named('ConfirmationAnswer'), example: { approve: true } } },
    },
  },
  responses: {
    200: {
      description: 'The answer the model gave after the decision.',
      content: { 'application/json': { schema: named('AskResponse') } },
    },
    400: BAD_REQUEST,
    401: sharedAnswer('Unauthorized'),
    403: errorAnswer(
      'approval_forbidden: ROUTER_APPROVAL=other-approver and this principal may not approve.',
    ),
    404: errorAnswer(
      'confirmation_not_found: the id is unknown, was already answered, or belongs to another principal (the same answer).',
    ),
    409: errorAnswer('confirmation_expired: the pending confirmation expired; nothing was done.'),
    413: sharedAnswer('PayloadTooLarge'),
    422: sharedAnswer('ValidationError'),
    429: sharedAnswer('RateLimited'),
    500: sharedAnswer('InternalError'),
    ...UPSTREAM_ERRORS,
  },
});

/** POST /v1/confirmations/{id}: HTTP edge only; the conversation continues in AskService. */
export function registerConfirmationRoutes(app: ApiRoutes<RouterEnv>, services: RouterServices): void {
  const { ask, config, metrics } = services;
  app.openapi({ ...confirmationRoute, middleware: [jsonBody(config.ROUTER_MAX_BODY_BYTES)] }, async (c) => {
    const { id } = c.req.valid('param');
    const { approve } = c.req.valid('json');
    const clock = c.get('clock');
    const prepared = await ask.prepareConfirmation({ id, approve }, c.get('principal'), c.req.raw.signal);
    c.set('provider', prepared.adapter.name);
    c.set('model', prepared.chat.model);
    try {
      return c.json(await ask.answer(prepared, clock), 200);
    } catch (error) {
      throw toRouterError(error, prepared.adapter.baseUrl);
    } finally {
      metrics.upstream(prepared.adapter.name, clock.upstreamMs / 1000);
    }
  });
}
