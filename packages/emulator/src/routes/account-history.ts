import { AccountHistoryCreate, AccountHistoryPatch, HISTORY_PAGE } from '@ocsai/contract';
import type { Context, Hono } from 'hono';
import { applyHistoryPatch, historyToWire, newHistoryEntry } from '../domain/account-history.js';
import { OcsHttpError, parseOrReject } from '../domain/ocs-http-error.js';
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

export function registerAccountHistoryRoutes(app: Hono<AppEnv>, deps: AppDeps): void {
  const { store } = deps;

  const list = (c: Context<AppEnv>, entityId: string) => {
    const limit = pageParameter(deps, 'limit', c.req.query('limit'), HISTORY_PAGE.defaultLimit);
    const offset = pageParameter(deps, 'offset', c.req.query('offset'), 0);
    const clampedLimit = Math.min(HISTORY_PAGE.maxLimit, Math.max(HISTORY_PAGE.minLimit, limit));
    const entries = store.history.listByEntity(entityId, clampedLimit, Math.max(0, offset));
    return c.json(entries.map(historyToWire));
  };

  app.post('/accountHistory', async (c) => {
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

  app.get('/accountHistory/entityId/:entityId', (c) => list(c, c.req.param('entityId')));

  // The v1.1 OpenAPI spelling of the same list.
  app.get('/accountHistory', (c) => {
    const entityId = (c.req.query('entityId') ?? '').trim();
    if (!entityId) throw new OcsHttpError(400, 'entityId: query parameter is required', BODILESS);
    return list(c, entityId);
  });

  app.get('/accountHistory/:interactionId', (c) => {
    const id = c.req.param('interactionId');
    const entry = store.history.get(id);
    if (!entry) throw notFound(id);
    return c.json(historyToWire(entry));
  });

  app.patch('/accountHistory/:interactionId', async (c) => {
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

  app.delete('/accountHistory/:interactionId', (c) =>
    commitWrite(c, deps, () => {
      const id = c.req.param('interactionId');
      if (!store.history.delete(id)) throw notFound(id);
      return { status: 204, body: null };
    }),
  );
}
