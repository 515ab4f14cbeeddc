import { describe, expect, it } from 'vitest';
import {
  applyDeletion,
  EMPTY_ENTITIES,
  extractEntities,
  mergeEntities,
  resultData,
  resultText,
  toBalance,
  toSubscriber,
  toSubscription,
  transactionIdOf,
} from '../src/ocs-entities.js';

const subscriber = {
  subscriberId: 'sub-1',
  msisdn: '436601234567',
  currentState: 'active',
  personalInfo: { firstName: 'Ada', lastName: 'Lovelace' },
  subscriptions: ['subscription-1'],
};
const subscription = {
  subscriptionId: 'subscription-1',
  subscriberId: 'sub-1',
  offerId: '1000',
  offerName: 'Basic prepaid plan',
  state: 'active',
  balances: ['bal-1'],
};
const balance = {
  balanceId: 'bal-1',
  subscriptionId: 'subscription-1',
  unitType: 'BYTES',
  balanceType: 'ALLOWANCE',
  balanceAmount: 10737418240,
  balanceAvailable: 5368709120,
};

const mcpResult = (structuredContent: unknown) => ({
  content: [{ type: 'text', text: JSON.stringify(structuredContent) }],
  structuredContent,
});

describe('reading MCP tool results', () => {
  it('prefers structuredContent and falls back to JSON in the text content', () => {
    expect(resultData(mcpResult({ a: 1 }))).toEqual({ a: 1 });
    expect(resultData({ content: [{ type: 'text', text: '{"b":2}' }] })).toEqual({ b: 2 });
    expect(resultData({ content: [{ type: 'text', text: 'plain words' }] })).toBeUndefined();
    expect(resultData('not a result')).toBeUndefined();
  });

  it('joins the text parts', () => {
    expect(
      resultText({ content: [{ type: 'text', text: 'a' }, { type: 'image' }, { type: 'text', text: 'b' }] }),
    ).toBe('a\nb');
    expect(resultText(null)).toBe('');
  });

  it('finds the transaction id', () => {
    expect(transactionIdOf(mcpResult({ subscriber, transaction_id: 'tx-9' }))).toBe('tx-9');
    expect(transactionIdOf(mcpResult([1, 2]))).toBeUndefined();
  });
});

describe('converting OCS objects', () => {
  it('keeps what the panel shows and drops what is unset', () => {
    expect(toSubscriber(subscriber)).toEqual({
      subscriberId: 'sub-1',
      msisdn: '436601234567',
      state: 'active',
      name: 'Ada Lovelace',
    });
    expect(toSubscriber({ subscriberId: 's', personalInfo: null })).toEqual({ subscriberId: 's' });
    expect(toSubscription(subscription)).toMatchObject({ offerId: '1000', offerName: 'Basic prepaid plan' });
    expect(toBalance(balance)).toMatchObject({ unitType: 'BYTES', balanceAvailable: 5368709120 });
  });

  it('rejects objects without ids and takes numeric strings as amounts', () => {
    expect(toSubscriber({ msisdn: '1' })).toBeUndefined();
    expect(toSubscription('id')).toBeUndefined();
    expect(toBalance({ balanceId: 'b', unitType: 'EVENTS' })).toBeUndefined();
    expect(toBalance({ balanceId: 'b', unitType: 'EVENTS', balanceAmount: '100' })).toEqual({
      balanceId: 'b',
      unitType: 'EVENTS',
      balanceAmount: 100,
      balanceAvailable: 100,
    });
    expect(toSubscription({ subscriptionId: 7, offerId: 1000 })).toEqual({
      subscriptionId: '7',
      offerId: '1000',
    });
  });
});

describe('extractEntities', () => {
  it('reads get_subscriber, list_subscriptions, list_balances and create_subscription shapes', () => {
    expect(extractEntities(mcpResult({ subscriber, transaction_id: 't' })).subscribers).toHaveLength(1);
    expect(
      extractEntities(mcpResult({ subscriptions: [subscription], total: 1 })).subscriptions,
    ).toHaveLength(1);
    expect(extractEntities(mcpResult({ balances: [balance], total: 1 })).balances).toHaveLength(1);
    const created = extractEntities(
      mcpResult({ subscription, balances: [balance, { ...balance, balanceId: 'b2' }] }),
    );
    expect(created.subscriptions.map((s) => s.subscriptionId)).toEqual(['subscription-1']);
    expect(created.balances.map((b) => b.balanceId)).toEqual(['bal-1', 'b2']);
  });

  it('ignores id-only arrays (subscriber.subscriptions, subscription.balances)', () => {
    const found = extractEntities(mcpResult({ subscriber }));
    expect(found.subscriptions).toEqual([]);
    expect(extractEntities(mcpResult({ subscription })).balances).toEqual([]);
  });

  it('finds objects nested anywhere, whatever the tool is called', () => {
    const found = extractEntities(mcpResult({ data: { result: [{ subscriber }] } }));
    expect(found.subscribers[0]?.subscriberId).toBe('sub-1');
  });

  it('returns nothing for results without data', () => {
    expect(extractEntities({ content: [{ type: 'text', text: 'Deleted.' }] })).toEqual({
      subscribers: [],
      subscriptions: [],
      balances: [],
    });
  });
});

describe('merging and deletions', () => {
  it('updates earlier sightings in place without losing fields', () => {
    let entities = mergeEntities(
      EMPTY_ENTITIES,
      extractEntities(mcpResult({ subscriber, subscription, balance })),
    );
    entities = mergeEntities(entities, {
      subscribers: [{ subscriberId: 'sub-1', state: 'suspended' }],
      subscriptions: [],
      balances: [{ ...toBalance(balance)!, balanceAvailable: 0 }],
    });
    expect(entities.subscribers).toEqual([
      { subscriberId: 'sub-1', msisdn: '436601234567', state: 'suspended', name: 'Ada Lovelace' },
    ]);
    expect(entities.balances[0]?.balanceAvailable).toBe(0);
  });

  it('marks a deleted subscription and its balances, and leaves others alone', () => {
    const entities = mergeEntities(
      EMPTY_ENTITIES,
      extractEntities(mcpResult({ subscriber, subscription, balance })),
    );
    const after = applyDeletion(entities, 'delete_subscription', { subscriptionId: 'subscription-1' });
    expect(after.subscriptions[0]?.deleted).toBe(true);
    expect(after.balances[0]?.deleted).toBe(true);
    expect(after.subscribers[0]?.deleted).toBeUndefined();
    expect(
      applyDeletion(entities, 'delete_subscription', { subscription_id: 'other' }).subscriptions[0]?.deleted,
    ).toBe(undefined);
  });

  it('marks deleted subscribers and balances, and ignores other tools or missing ids', () => {
    const entities = mergeEntities(
      EMPTY_ENTITIES,
      extractEntities(mcpResult({ subscriber, subscription, balance })),
    );
    expect(
      applyDeletion(entities, 'delete_subscriber', { subscriberId: 'sub-1' }).subscribers[0]?.deleted,
    ).toBe(true);
    expect(applyDeletion(entities, 'delete_balance', { balance_id: 'bal-1' }).balances[0]?.deleted).toBe(
      true,
    );
    expect(applyDeletion(entities, 'get_subscriber', { subscriberId: 'sub-1' })).toBe(entities);
    expect(applyDeletion(entities, 'delete_subscriber', {})).toBe(entities);
    expect(applyDeletion(entities, 'delete_subscription', {})).toBe(entities);
    expect(applyDeletion(entities, 'delete_balance', {})).toBe(entities);
    expect(
      applyDeletion(entities, 'delete_balances', { subscriptionId: 'subscription-1' }).balances[0]?.deleted,
    ).toBe(true);
    expect(applyDeletion(entities, 'delete_balances', {})).toBe(entities);
    expect(
      applyDeletion(entities, 'ocs__delete_subscriber', { subscriberId: 'sub-1' }).subscribers[0]?.deleted,
    ).toBe(true);
  });
});
