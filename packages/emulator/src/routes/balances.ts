import { Balance, BalanceCreate } from '@ocsai/contract';
import { z } from 'zod';
import { balanceToWire, newBalance } from '../domain/balance.js';
import { OcsHttpError, parseOrReject } from '../domain/ocs-http-error.js';
import { type ApiRoutes, answer, jsonBody, pathParams, refusal, route } from '../http/api-routes.js';
import type { AppDeps } from '../http/app-env.js';
import { readJson, requireObject } from '../http/json-body.js';
import { commitWrite } from '../http/write-transaction.js';

const params = pathParams('subscriptionId');

export const addBalance = route({
  method: 'post',
  path: '/subscriptions/{subscriptionId}/balances',
  summary: 'Add a balance',
  tags: ['balances'],
  request: { params, body: jsonBody(BalanceCreate) },
  responses: {
    201: answer('Created', Balance),
    400: refusal('Invalid body'),
    404: refusal('Unknown subscription'),
  },
});

export const listBalances = route({
  method: 'get',
  path: '/subscriptions/{subscriptionId}/balances',
  summary: 'List balances ([] for an unknown subscription)',
  tags: ['balances'],
  request: { params },
  responses: { 200: answer('List', z.array(Balance)) },
});

export const deleteBalances = route({
  method: 'delete',
  path: '/subscriptions/{subscriptionId}/balances',
  summary: 'Delete all balances of a subscription',
  tags: ['balances'],
  request: { params },
  responses: { 204: answer('Deleted') },
});

export function registerBalanceRoutes(api: ApiRoutes, deps: AppDeps): void {
  const { store } = deps;

  api.openapi(addBalance, async (c) => {
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
  api.openapi(listBalances, (c) =>
    c.json(store.balances.listBySubscription(c.req.param('subscriptionId')).map(balanceToWire)),
  );

  api.openapi(deleteBalances, (c) =>
    commitWrite(c, deps, () => {
      store.balances.deleteBySubscription(c.req.param('subscriptionId'));
      return { status: 204, body: null };
    }),
  );
}
