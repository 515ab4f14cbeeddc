import { AccountHistory, AccountHistoryCreate, AccountHistoryPatch, HISTORY_PAGE } from '@ocsai/contract';
import type { Context } from 'hono';
import { z } from 'zod';
import { applyHistoryPatch, historyToWire, newHistoryEntry } from '../domain/account-history.js';
import { OcsHttpError, parseOrReject } from '../domain/ocs-http-error.js';
import { type ApiRoutes, answer, jsonBody, pathParams, refusal, route } from '../http/api-routes.js';
import type { AppDeps, AppEnv } from '../http/app-env.js';
import { UNEXPECTED_ERROR } from '../http/error-response.js';
import { readJson, requireObject } from '../http/json-body.js';
import { commitWrite } from '../http/write-transaction.js';

// Every account-history error of the real backend is status-only; strict fidelity copies that.
const BODILESS = true;

const notFound = (id: string) =>
  new OcsHttpError(404, `Account history entry not found with id: ${id}`, BODILESS);

/**
 * Spring converts the query to an int before the handler runs; a value that is not a whole number
 * falls into the catch-all handler (500). Friendly mode answers 400 naming the parameter instead.
 */
function pageParameter(deps: AppDeps, name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = /^\s*[+-]?\d{1,10}\s*$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isInteger(value) || value > 2 ** 31 - 1 || value < -(2 ** 31)) {
    if (deps.fidelity === 'strict') throw new OcsHttpError(500, UNEXPECTED_ERROR);
    throw new OcsHttpError(400, `${name}: must be a whole number, got '${raw}'`, BODILESS);
  }
  return value;
}

const page = z.object({
  limit: z
    .string()
    .optional()
    .describe('Page size, default 20; values below 1 become 1, above 100 become 100.'),
  offset: z.string().optional().describe('Entries to skip, default 0; negative becomes 0.'),
});
const params = pathParams('interactionId');
const tags = ['accountHistory'];

export const recordInteraction = route({
  method: 'post',
  path: '/accountHistory',
  summary: 'Record an interaction',
  tags,
  request: { body: jsonBody(AccountHistoryCreate) },
  responses: {
    201: answer('Created', AccountHistory),
    400: refusal('entityId/entityType missing'),
    409: refusal('Duplicate interactionId'),
  },
});

export const listEntityHistory = route({
  method: 'get',
  path: '/accountHistory/entityId/{entityId}',
  summary: 'List history of an entity, newest first',
  description:
    'Ordered by interactionDate.startDateTime descending, insertion order breaking ties; non-numeric limit/offset → 500 on the real backend.',
  tags,
  request: { params: pathParams('entityId'), query: page },
  responses: { 200: answer('Newest first', z.array(AccountHistory)) },
});

export const listHistory = route({
  method: 'get',
  path: '/accountHistory',
  summary: 'List history of an entity (v1.1 spelling)',
  tags,
  request: { query: page.extend({ entityId: z.string() }) },
  responses: { 200: answer('Newest first', z.array(AccountHistory)) },
});

export const getInteraction = route({
  method: 'get',
  path: '/accountHistory/{interactionId}',
  summary: 'Get a history entry',
  tags,
  request: { params },
  responses: {
    200: answer('Found', AccountHistory),
    404: refusal('Unknown (no body on the real backend)'),
  },
});

export const patchInteraction = route({
  method: 'patch',
  path: '/accountHistory/{interactionId}',
  summary: 'Update a history entry with a plain JSON object (not a PatchField array)',
  tags,
  request: { params, body: jsonBody(AccountHistoryPatch) },
  responses: {
    200: answer('Updated', AccountHistory),
    400: refusal('Array or invalid body'),
    404: refusal('Unknown'),
  },
});

export const deleteInteraction = route({
  method: 'delete',
  path: '/accountHistory/{interactionId}',
  summary: 'Delete a history entry',
  tags,
  request: { params },
  responses: { 204: answer('Deleted'), 404: refusal('Unknown') },
});

export function registerAccountHistoryRoutes(api: ApiRoutes, deps: AppDeps): void {
  const { store } = deps;

  const list = (c: Context<AppEnv>, entityId: string) => {
    const limit = pageParameter(deps, 'limit', c.req.query('limit'), HISTORY_PAGE.defaultLimit);
    const offset = pageParameter(deps, 'offset', c.req.query('offset'), 0);
    const clampedLimit = Math.min(HISTORY_PAGE.maxLimit, Math.max(HISTORY_PAGE.minLimit, limit));
    const entries = store.history.listByEntity(entityId, clampedLimit, Math.max(0, offset));
    return c.json(entries.map(historyToWire));
  };

  api.openapi(recordInteraction, async (c) => {
    const input = parseOrReject(
      AccountHistoryCreate,
      requireObject(await readJson(c, BODILESS), BODILESS),
      BODILESS,
    );
    return commitWrite(c, deps, () => {
      const id = input.interactionId ?? deps.newId();
      if (store.history.exists(id)) {
        throw new OcsHttpError(
          409,
          `Account history entry with interactionId ${id} already exists`,
          BODILESS,
        );
      }
      const entry = newHistoryEntry(input, id, deps.now());
      store.history.insert(entry);
      return { status: 201, body: historyToWire(entry) };
    });
  });

  api.openapi(listEntityHistory, (c) => list(c, c.req.param('entityId')));

  // The v1.1 OpenAPI spelling of the same list.
  api.openapi(listHistory, (c) => {
    const entityId = (c.req.query('entityId') ?? '').trim();
    if (!entityId) throw new OcsHttpError(400, 'entityId: query parameter is required', BODILESS);
    return list(c, entityId);
  });

  api.openapi(getInteraction, (c) => {
    const id = c.req.param('interactionId');
    const entry = store.history.get(id);
    if (!entry) throw notFound(id);
    return c.json(historyToWire(entry));
  });

  api.openapi(patchInteraction, async (c) => {
    const body = await readJson(c, BODILESS);
    if (Array.isArray(body)) {
      throw new OcsHttpError(
        400,
        'body: account history PATCH takes a plain JSON object of fields, not a fieldName/fieldValue array',
        BODILESS,
      );
    }
    const patch = parseOrReject(AccountHistoryPatch, requireObject(body, BODILESS), BODILESS);
    return commitWrite(c, deps, () => {
      const id = c.req.param('interactionId');
      const entry = store.history.get(id);
      if (!entry) throw notFound(id);
      const updated = applyHistoryPatch(entry, patch);
      store.history.update(updated);
      return { status: 200, body: historyToWire(updated) };
    });
  });

  api.openapi(deleteInteraction, (c) =>
    commitWrite(c, deps, () => {
      const id = c.req.param('interactionId');
      if (!store.history.delete(id)) throw notFound(id);
      return { status: 204, body: null };
    }),
  );
}
