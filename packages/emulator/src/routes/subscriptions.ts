import { PatchField, SubscriptionAction, SubscriptionCreate } from '@ocsai/contract';
import type { Hono } from 'hono';
import { automaticEntry } from '../domain/account-history.js';
import { OcsHttpError, parseOrReject } from '../domain/ocs-http-error.js';
import {
  applySubscriptionPatch,
  newSubscription,
  subscriptionToWire,
  transition,
} from '../domain/subscription.js';
import type { AppDeps, AppEnv } from '../http/app-env.js';
import { readJson, requireObject } from '../http/json-body.js';
import { commitWrite } from '../http/write-transaction.js';

const subscriptionNotFound = (id: string) => new OcsHttpError(404, `Subscription not found with id: ${id}`);
const subscriberNotFound = (id: string) => new OcsHttpError(404, `Subscriber not found with id: ${id}`);

export function registerSubscriptionRoutes(app: Hono<AppEnv>, deps: AppDeps): void {
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

  app.post('/subscribers/:subscriberId/subscriptions', async (c) => {
    const body = requireObject(await readJson(c));
    // The owner comes from the path; a body subscriberId is overwritten, whatever its type.
    const input = parseOrReject(SubscriptionCreate, { ...body, subscriberId: null });
    return commitWrite(c, deps, create(input, c.req.param('subscriberId')));
  });

  app.post('/subscriptions', async (c) => {
    const body = requireObject(await readJson(c));
    // Checked before anything else, as on the backend (which answers without a body).
    const owner = body['subscriberId'];
    if (typeof owner !== 'string' || owner.trim() === '') {
      throw new OcsHttpError(400, 'subscriberId: is required', true);
    }
    const input = parseOrReject(SubscriptionCreate, body);
    return commitWrite(c, deps, create(input, owner));
  });

  app.get('/subscribers/:subscriberId/subscriptions', (c) => {
    const id = c.req.param('subscriberId');
    if (!store.subscribers.get(id)) throw subscriberNotFound(id);
    return c.json(store.subscriptions.listByOwner(id).map(subscriptionToWire));
  });

  app.get('/subscriptions/:subscriptionId', (c) =>
    c.json(subscriptionToWire(load(c.req.param('subscriptionId')))),
  );

  app.patch('/subscriptions/:subscriptionId', async (c) => {
    const operations = parseOrReject(PatchField, await readJson(c));
    return commitWrite(c, deps, () => {
      const updated = applySubscriptionPatch(load(c.req.param('subscriptionId')), operations, deps.now());
      store.subscriptions.update(updated);
      return { status: 200, body: subscriptionToWire(updated) };
    });
  });

  app.delete('/subscriptions/:subscriptionId', (c) =>
    commitWrite(c, deps, () => {
      const id = c.req.param('subscriptionId');
      if (!store.subscriptions.delete(id)) throw subscriptionNotFound(id);
      return { status: 204, body: null };
    }),
  );

  for (const action of SubscriptionAction.options) {
    app.post(`/subscriptions/:subscriptionId/${action}`, (c) =>
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
