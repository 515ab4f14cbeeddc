import {
  PatchField,
  Subscriber,
  SubscriberCreate,
  SubscriberIdResponse,
  SubscriberStateName,
  SubscriberStateQuery,
  subscriberStateName,
} from '@ocsai/contract';
import { z } from 'zod';
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
import { type ApiRoutes, answer, jsonBody, pathParams, refusal, route } from '../http/api-routes.js';
import type { AppDeps } from '../http/app-env.js';
import { readJson, requireObject } from '../http/json-body.js';
import { commitWrite } from '../http/write-transaction.js';

const notFound = (id: string) => new OcsHttpError(404, `Subscriber not found with id: ${id}`);

const params = pathParams('subscriberId');

export const lookupSubscriber = route({
  method: 'get',
  path: '/subscribers/lookup',
  summary: 'Find a subscriber id by msisdn, else imsi, else firstName+lastName',
  description:
    'Precedence: msisdn, then imsi, then both names. One name alone or nothing → 400 (no body on the real backend); no match → 404 (no body).',
  tags: ['subscribers'],
  request: {
    query: z.object({
      msisdn: z.string().optional(),
      imsi: z.string().optional(),
      firstName: z.string().optional(),
      lastName: z.string().optional(),
    }),
  },
  responses: {
    200: answer('Only the id', SubscriberIdResponse),
    400: refusal('No usable parameter'),
    404: refusal('No match'),
  },
});

export const createSubscriber = route({
  method: 'post',
  path: '/subscribers',
  summary: 'Create a subscriber (writes one account-history entry)',
  tags: ['subscribers'],
  request: { body: jsonBody(SubscriberCreate) },
  responses: {
    201: answer('Created', Subscriber),
    400: refusal('Invalid body'),
    409: refusal('MSISDN held by a subscriber that is not deactivated'),
  },
});

export const getSubscriber = route({
  method: 'get',
  path: '/subscribers/{subscriberId}',
  summary: 'Get a subscriber',
  tags: ['subscribers'],
  request: { params },
  responses: { 200: answer('Found', Subscriber), 404: refusal('Unknown') },
});

export const patchSubscriber = route({
  method: 'patch',
  path: '/subscribers/{subscriberId}',
  summary: 'Patch a subscriber with flat field names',
  description:
    'Array of {fieldName, fieldValue}; flat names (email, billingCity, state …), state names in upper case (ACTIVE). Atomic; null values skipped; wrong JSON types ignored; unknown fields → 422.',
  tags: ['subscribers'],
  request: { params, body: jsonBody(PatchField) },
  responses: {
    200: answer('Updated', Subscriber),
    400: refusal('Empty array or invalid value'),
    404: refusal('Unknown'),
    409: refusal('MSISDN taken'),
    422: refusal('Unknown field or state name'),
  },
});

export const setSubscriberState = route({
  method: 'put',
  path: '/subscribers/{subscriberId}/state',
  summary: 'Set the subscriber state',
  tags: ['subscribers'],
  request: { params, query: z.object({ state: SubscriberStateName }) },
  responses: { 200: answer('Updated', Subscriber), 400: refusal('Invalid state'), 404: refusal('Unknown') },
});

export const deleteSubscriber = route({
  method: 'delete',
  path: '/subscribers/{subscriberId}',
  summary: 'Delete a subscriber with its subscriptions and balances (history is kept)',
  tags: ['subscribers'],
  request: { params },
  responses: { 204: answer('Deleted'), 404: refusal('Unknown') },
});

export function registerSubscriberRoutes(api: ApiRoutes, deps: AppDeps): void {
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
  api.openapi(lookupSubscriber, (c) => {
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

  api.openapi(createSubscriber, async (c) => {
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

  api.openapi(getSubscriber, (c) => c.json(wire(load(c.req.param('subscriberId')))));

  api.openapi(patchSubscriber, async (c) => {
    const operations = parseOrReject(PatchField, await readJson(c));
    return commitWrite(c, deps, () => {
      const now = deps.now();
      const result = applySubscriberPatch(load(c.req.param('subscriberId')), operations, now);
      savePatch(result, now);
      return { status: 200, body: wire(result.updated) };
    });
  });

  api.openapi(setSubscriberState, (c) => {
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

  api.openapi(deleteSubscriber, (c) =>
    commitWrite(c, deps, () => {
      const id = c.req.param('subscriberId');
      if (!store.subscribers.delete(id)) throw notFound(id);
      return { status: 204, body: null };
    }),
  );
}
