import { BalanceCreate } from '@ocsai/contract';
import type { Hono } from 'hono';
import { balanceToWire, newBalance } from '../domain/balance.js';
import { OcsHttpError, parseOrReject } from '../domain/ocs-http-error.js';
import type { AppDeps, AppEnv } from '../http/app-env.js';
import { readJson, requireObject } from '../http/json-body.js';
import { commitWrite } from '../http/write-transaction.js';

export function registerBalanceRoutes(app: Hono<AppEnv>, deps: AppDeps): void {
  const { store } = deps;

  app.post('/subscriptions/:subscriptionId/balances', async (c) => {
    const input = parseOrReject(BalanceCreate, requireObject(await readJson(c)));
    return commitWrite(c, deps, () => {
      const id = c.req.param('subscriptionId');
      if (!store.subscriptions.get(id)) throw new OcsHttpError(404, `Subscription not found with id: ${id}`);
      const balance = newBalance(input, id, deps.newId(), deps.now());
      store.balances.insert(balance);
      return { status: 201, body: balanceToWire(balance) };
    });
  });

  // No existence check, as on the backend: an unknown subscription simply has no balances.
  app.get('/subscriptions/:subscriptionId/balances', (c) =>
    c.json(store.balances.listBySubscription(c.req.param('subscriptionId')).map(balanceToWire)),
  );

  app.delete('/subscriptions/:subscriptionId/balances', (c) =>
    commitWrite(c, deps, () => {
      store.balances.deleteBySubscription(c.req.param('subscriptionId'));
      return { status: 204, body: null };
    }),
  );
}
