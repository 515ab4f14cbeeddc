import { PatchField, SubscriberCreate, SubscriberStateQuery, subscriberStateName } from '@ocsai/contract';
import type { Hono } from 'hono';
import { automaticEntry } from '../domain/account-history.js';
import { OcsHttpError, parseOrReject } from '../domain/ocs-http-error.js';
import {
  applySubscriberPatch,
  newSubscriber,
  type SubscriberPatchResult,
  type SubscriberRecord,
  subscriberStateFromText,
  subscriberToWire,
  withState,
} from '../domain/subscriber.js';
import type { AppDeps, AppEnv } from '../http/app-env.js';
import { readJson, requireObject } from '../http/json-body.js';
import { commitWrite } from '../http/write-transaction.js';

const notFound = (id: string) => new OcsHttpError(404, `Subscriber not found with id: ${id}`);

export function registerSubscriberRoutes(app: Hono<AppEnv>, deps: AppDeps): void {
  const { store } = deps;
  const wire = (s: SubscriberRecord) => subscriberToWire(s, store.subscriptions.idsByOwner(s.subscriberId));
  const load = (id: string) => {
    const s = store.subscribers.get(id);
    if (!s) throw notFound(id);
    return s;
  };
  const assertMsisdnFree = (msisdn: string, exceptId?: string) => {
    if (store.subscribers.liveHolderOf(msisdn, exceptId)) {
      throw new OcsHttpError(409, `Subscriber with msisdn ${msisdn} already exists`);
    }
  };

  /** Persists a patch result and its single history entry (state changes name the new state in uppercase). */
  const savePatch = (result: SubscriberPatchResult, now: number) => {
    const { updated, changedFields, stateChange } = result;
    if (changedFields.length === 0) return;
    if (changedFields.includes('msisdn') || stateChange)
      assertMsisdnFree(updated.msisdn, updated.subscriberId);
    store.subscribers.update(updated);
    const description = stateChange
      ? `Subscriber state changed from ${subscriberStateName(stateChange.from)} to ${subscriberStateName(stateChange.to)}`
      : `Subscriber fields updated: ${changedFields.join(', ')}`;
    store.history.insert(
      automaticEntry(
        deps.newId(),
        updated.subscriberId,
        'SUBSCRIBER',
        'Subscriber Modification',
        description,
        now,
      ),
    );
  };

  // Registered before /subscribers/:id so that "lookup" is not taken for an id.
  app.get('/subscribers/lookup', (c) => {
    const q = (name: string) => (c.req.query(name) ?? '').trim();
    const [msisdn, imsi, firstName, lastName] = [q('msisdn'), q('imsi'), q('firstName'), q('lastName')];
    let id: string | undefined;
    if (msisdn) id = store.subscribers.idByMsisdn(msisdn);
    else if (imsi) id = store.subscribers.idByImsi(imsi);
    else if (firstName && lastName) id = store.subscribers.idByName(firstName, lastName);
    else if (firstName || lastName) {
      throw new OcsHttpError(400, 'firstName, lastName: both names are needed for a lookup by name', true);
    } else throw new OcsHttpError(400, 'one of msisdn, imsi or firstName+lastName is required', true);
    if (!id) throw new OcsHttpError(404, 'No subscriber matches the lookup', true);
    return c.json({ subscriberId: id });
  });

  app.post('/subscribers', async (c) => {
    const input = parseOrReject(SubscriberCreate, requireObject(await readJson(c)));
    return commitWrite(c, deps, () => {
      const now = deps.now();
      assertMsisdnFree(input.msisdn);
      const subscriber = newSubscriber(input, deps.newId(), now);
      store.subscribers.insert(subscriber);
      store.history.insert(
        automaticEntry(
          deps.newId(),
          subscriber.subscriberId,
          'SUBSCRIBER',
          'Subscriber Creation',
          `Subscriber created with initial state ${subscriberStateName(subscriber.currentState)}`,
          now,
        ),
      );
      return { status: 201, body: wire(subscriber) };
    });
  });

  app.get('/subscribers/:subscriberId', (c) => c.json(wire(load(c.req.param('subscriberId')))));

  app.patch('/subscribers/:subscriberId', async (c) => {
    const operations = parseOrReject(PatchField, await readJson(c));
    return commitWrite(c, deps, () => {
      const now = deps.now();
      const result = applySubscriberPatch(load(c.req.param('subscriberId')), operations, now);
      savePatch(result, now);
      return { status: 200, body: wire(result.updated) };
    });
  });

  app.put('/subscribers/:subscriberId/state', (c) => {
    const raw = c.req.query('state');
    const state = subscriberStateFromText(raw);
    if (state === null) parseOrReject(SubscriberStateQuery, { state: raw }, false, '');
    return commitWrite(c, deps, () => {
      const now = deps.now();
      const original = load(c.req.param('subscriberId'));
      const updated = withState(original, state!, now);
      const changed = updated !== original;
      savePatch(
        {
          updated: changed ? { ...updated, lastModifiedMs: now } : original,
          changedFields: changed ? ['state'] : [],
          stateChange: changed ? { from: original.currentState, to: updated.currentState } : null,
        },
        now,
      );
      return { status: 200, body: wire(store.subscribers.get(original.subscriberId)!) };
    });
  });

  app.delete('/subscribers/:subscriberId', (c) =>
    commitWrite(c, deps, () => {
      const id = c.req.param('subscriberId');
      if (!store.subscribers.delete(id)) throw notFound(id);
      return { status: 204, body: null };
    }),
  );
}
