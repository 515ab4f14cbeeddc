import { PatchField, Subscription, SubscriptionAction, SubscriptionCreate } from '@ocsai/contract';
import { z } from 'zod';
import { automaticEntry } from '../domain/account-history.js';
import { OcsHttpError, parseOrReject } from '../domain/ocs-http-error.js';
import {
  applySubscriptionPatch,
  newSubscription,
  subscriptionToWire,
  transition,
} from '../domain/subscription.js';
import { type ApiRoutes, answer, jsonBody, pathParams, refusal, route } from '../http/api-routes.js';
import type { AppDeps } from '../http/app-env.js';
import { readJson, requireObject } from '../http/json-body.js';
import { commitWrite } from '../http/write-transaction.js';

const subscriptionNotFound = (id: string) => new OcsHttpError(404, `Subscription not found with id: ${id}`);
const subscriberNotFound = (id: string) => new OcsHttpError(404, `Subscriber not found with id: ${id}`);

const ownerParams = pathParams('subscriberId');
const params = pathParams('subscriptionId');

export const createOwnedSubscription = route({
  method: 'post',
  path: '/subscribers/{subscriberId}/subscriptions',
  summary: 'Create a subscription for a subscriber',
  tags: ['subscriptions'],
  request: { params: ownerParams, body: jsonBody(SubscriptionCreate) },
  responses: {
    201: answer('Created', Subscription),
    400: refusal('Invalid body'),
    404: refusal('Unknown subscriber'),
  },
});

export const createSubscription = route({
  method: 'post',
  path: '/subscriptions',
  summary: 'Create a subscription; owner from body subscriberId',
  tags: ['subscriptions'],
  request: { body: jsonBody(SubscriptionCreate) },
  responses: {
    201: answer('Created', Subscription),
    400: refusal('subscriberId missing (no body on the real backend) or invalid body'),
    404: refusal('Unknown subscriber'),
  },
});

export const listSubscriptions = route({
  method: 'get',
  path: '/subscribers/{subscriberId}/subscriptions',
  summary: 'List subscriptions of a subscriber',
  tags: ['subscriptions'],
  request: { params: ownerParams },
  responses: { 200: answer('List', z.array(Subscription)), 404: refusal('Unknown subscriber') },
});

export const getSubscription = route({
  method: 'get',
  path: '/subscriptions/{subscriptionId}',
  summary: 'Get a subscription',
  tags: ['subscriptions'],
  request: { params },
  responses: { 200: answer('Found', Subscription), 404: refusal('Unknown') },
});

export const patchSubscription = route({
  method: 'patch',
  path: '/subscriptions/{subscriptionId}',
  summary: 'Patch a subscription (state only via actions)',
  tags: ['subscriptions'],
  request: { params, body: jsonBody(PatchField) },
  responses: {
    200: answer('Updated', Subscription),
    400: refusal('Empty array'),
    404: refusal('Unknown'),
    422: refusal('Unknown field or bad value'),
  },
});

export const deleteSubscription = route({
  method: 'delete',
  path: '/subscriptions/{subscriptionId}',
  summary: 'Delete a subscription and its balances',
  tags: ['subscriptions'],
  request: { params },
  responses: { 204: answer('Deleted'), 404: refusal('Unknown') },
});

/** One route per lifecycle action, each beside the action it performs. */
export const subscriptionActions = SubscriptionAction.options.map((action) => ({
  action,
  route: route({
    method: 'post',
    path: `/subscriptions/{subscriptionId}/${action}`,
    summary: `${action[0]!.toUpperCase()}${action.slice(1)} a subscription`,
    description:
      'activate: PENDING|SUSPENDED→ACTIVE; suspend: ACTIVE→SUSPENDED; cancel: ACTIVE|SUSPENDED→CANCELLED; renew: ACTIVE→ACTIVE, or EXPIRED when maxRecurringCycles is reached. Writes an account-history entry.',
    tags: ['subscriptions'],
    request: { params },
    responses: {
      200: answer('Transitioned', Subscription),
      400: refusal('Not allowed from the current state (no body on the real backend)'),
      404: refusal('Unknown'),
    },
  }),
}));

export function registerSubscriptionRoutes(api: ApiRoutes, deps: AppDeps): void {
  const { store } = deps;
  const load = (id: string) => {
    const s = store.subscriptions.get(id);
    if (!s) throw subscriptionNotFound(id);
    return s;
  };

  const create = (input: SubscriptionCreate, subscriberId: string) => () => {
    if (!store.subscribers.get(subscriberId)) throw subscriberNotFound(subscriberId);
    const subscription = newSubscription(input, subscriberId, deps.newId(), deps.now());
    store.subscriptions.insert(subscription);
    return { status: 201, body: subscriptionToWire(subscription) };
  };

  api.openapi(createOwnedSubscription, async (c) => {
    const body = requireObject(await readJson(c));
    // The owner comes from the path; a body subscriberId is overwritten, whatever its type.
    const input = parseOrReject(SubscriptionCreate, { ...body, subscriberId: null });
    return commitWrite(c, deps, create(input, c.req.param('subscriberId')));
  });

  api.openapi(createSubscription, async (c) => {
    const body = requireObject(await readJson(c));
    // Checked before anything else, as on the backend (which answers without a body).
    const owner = body['subscriberId'];
    if (typeof owner !== 'string' || owner.trim() === '') {
      throw new OcsHttpError(400, 'subscriberId: is required', true);
    }
    const input = parseOrReject(SubscriptionCreate, body);
    return commitWrite(c, deps, create(input, owner));
  });

  api.openapi(listSubscriptions, (c) => {
    const id = c.req.param('subscriberId');
    if (!store.subscribers.get(id)) throw subscriberNotFound(id);
    return c.json(store.subscriptions.listByOwner(id).map(subscriptionToWire));
  });

  api.openapi(getSubscription, (c) => c.json(subscriptionToWire(load(c.req.param('subscriptionId')))));

  api.openapi(patchSubscription, async (c) => {
    const operations = parseOrReject(PatchField, await readJson(c));
    return commitWrite(c, deps, () => {
      const updated = applySubscriptionPatch(load(c.req.param('subscriptionId')), operations, deps.now());
      store.subscriptions.update(updated);
      return { status: 200, body: subscriptionToWire(updated) };
    });
  });

  api.openapi(deleteSubscription, (c) =>
    commitWrite(c, deps, () => {
      const id = c.req.param('subscriptionId');
      if (!store.subscriptions.delete(id)) throw subscriptionNotFound(id);
      return { status: 204, body: null };
    }),
  );

  for (const { action, route: declared } of subscriptionActions) {
    api.openapi(declared, (c) =>
      commitWrite(c, deps, () => {
        const now = deps.now();
        const current = load(c.req.param('subscriptionId'));
        const next = transition(current, action, now);
        store.subscriptions.update(next);
        const from = current.state.toUpperCase();
        const to = next.state.toUpperCase();
        const description =
          action === 'renew'
            ? `Subscription renewed (cycle ${next.recurringCyclesCompleted}); state ${from} to ${to}`
            : `Subscription state changed from ${from} to ${to}`;
        store.history.insert(
          automaticEntry(
            deps.newId(),
            next.subscriptionId,
            'SUBSCRIPTION',
            'State Transition',
            description,
            now,
          ),
        );
        return { status: 200, body: subscriptionToWire(next) };
      }),
    );
  }
}
