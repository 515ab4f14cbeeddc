import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appHarness, seedSubscription, uniqueMsisdn } from './harness.js';

const h = appHarness();
let subscriptionId: string;
beforeAll(async () => {
  ({ subscriptionId } = await seedSubscription(h));
});
afterAll(() => h.close());

const BALANCE_KEYS = [
  'subscriptionId',
  'balanceId',
  'effectiveDate',
  'expirationDate',
  'creationDate',
  'lastModifiedDate',
  'balanceType',
  'unitType',
  'balanceAmount',
  'balanceAvailable',
  'isGroupBalance',
  'isRecurring',
  'cycleLengthType',
  'cycleLengthUnits',
  'maxRecurringCycles',
  'recurringCyclesCompleted',
  'maxRolloverAmount',
  'rolloverAmount',
  'isRolloverAllowed',
];

describe('balances', () => {
  it('creates with defaults, converts dates to Vienna and accepts past expirations', async () => {
    const r = await h.call('POST', `/subscriptions/${subscriptionId}/balances`, {
      balanceType: 'ALLOWANCE',
      unitType: 'BYTES',
      balanceAmount: 21474836480,
      balanceAvailable: 10.9,
      expirationDate: '2025-12-31T23:59:59Z',
      isRolloverAllowed: true,
      maxRolloverAmount: 5368709120,
      subscriptionId: 'overwritten',
    });
    expect(r.status).toBe(201);
    expect(Object.keys(r.body)).toEqual(BALANCE_KEYS);
    expect(r.text).toContain('"balanceAmount":21474836480');
    expect(r.body).toMatchObject({
      subscriptionId,
      balanceAvailable: 10,
      expirationDate: '2026-01-01T00:59:59+01:00',
      isGroupBalance: false,
      isRecurring: false,
      rolloverAmount: 0,
      recurringCyclesCompleted: 0,
      cycleLengthType: null,
    });
    expect(r.body.balanceId).toEqual(expect.any(String));
  });

  it('defaults a recurring balance to monthly cycles', async () => {
    const r = await h.call('POST', `/subscriptions/${subscriptionId}/balances`, {
      unitType: 'MICROCENTS',
      balanceAmount: 5,
      balanceAvailable: 5,
      isRecurring: true,
      isGroupBalance: true,
      maxRecurringCycles: 12,
    });
    expect(r.text).toContain('"isGroupBalance":true');
    expect(r.body).toMatchObject({
      isRecurring: true,
      cycleLengthType: 'MONTHS',
      cycleLengthUnits: 1,
      maxRecurringCycles: 12,
      balanceType: 'ALLOWANCE',
    });
  });

  it('rejects incomplete or invalid bodies with 400 and unknown subscriptions with 404', async () => {
    const incomplete = await h.call('POST', `/subscriptions/${subscriptionId}/balances`, {
      balanceType: 'ALLOWANCE',
      balanceAmount: 1,
    });
    expect(incomplete.status).toBe(400);
    expect(incomplete.body.message).toMatch(/unitType: is required/);
    const negative = await h.call('POST', `/subscriptions/${subscriptionId}/balances`, {
      unitType: 'BYTES',
      balanceAmount: -1,
      balanceAvailable: 1,
    });
    expect(negative.body.message).toMatch(/balanceAmount/);
    const badUnit = await h.call('POST', `/subscriptions/${subscriptionId}/balances`, {
      unitType: 'LITRES',
      balanceAmount: 1,
      balanceAvailable: 1,
    });
    expect(badUnit.status).toBe(400);
    const unknown = await h.call('POST', '/subscriptions/INVALID-SUB-ID/balances', {
      unitType: 'BYTES',
      balanceAmount: 1,
      balanceAvailable: 1,
    });
    expect(unknown.status).toBe(404);
  });

  it('lists and deletes all; unknown subscription lists [] and deletes with 204', async () => {
    const list = await h.call('GET', `/subscriptions/${subscriptionId}/balances`);
    expect(list.text.startsWith('[')).toBe(true);
    expect(list.body.length).toBeGreaterThanOrEqual(2);
    expect((await h.call('DELETE', `/subscriptions/${subscriptionId}/balances`)).status).toBe(204);
    expect((await h.call('GET', `/subscriptions/${subscriptionId}/balances`)).text).toBe('[]');
    expect((await h.call('DELETE', `/subscriptions/${subscriptionId}/balances`)).status).toBe(204);
    expect((await h.call('GET', '/subscriptions/unknown/balances')).text).toBe('[]');
  });

  it('replays a POST that repeats a client X-Transaction-ID instead of topping up twice', async () => {
    const body = { unitType: 'BYTES', balanceAmount: 100, balanceAvailable: 100 };
    const headers = { 'X-Transaction-ID': 'topup-retry-1' };
    const first = await h.call('POST', `/subscriptions/${subscriptionId}/balances`, body, headers);
    const retry = await h.call('POST', `/subscriptions/${subscriptionId}/balances/`, body, headers);
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.text).toBe(first.text);
    expect(retry.headers.get('x-transaction-id')).toBe('topup-retry-1');
    expect((await h.call('GET', `/subscriptions/${subscriptionId}/balances`)).body).toHaveLength(1);
    // A different id, or a generated one, is a new request.
    await h.call('POST', `/subscriptions/${subscriptionId}/balances`, body, {
      'X-Transaction-ID': 'topup-retry-2',
    });
    await h.call('POST', `/subscriptions/${subscriptionId}/balances`, body);
    await h.call('POST', `/subscriptions/${subscriptionId}/balances`, body);
    expect((await h.call('GET', `/subscriptions/${subscriptionId}/balances`)).body).toHaveLength(4);
  });

  it('replays subscriber creation and state actions too, and never replays failures', async () => {
    const msisdn = uniqueMsisdn();
    const headers = { 'X-Transaction-ID': `create-${msisdn}` };
    const first = await h.call('POST', '/subscribers', { msisdn }, headers);
    const retry = await h.call('POST', '/subscribers', { msisdn }, headers);
    expect(retry.status).toBe(201);
    expect(retry.body.subscriberId).toBe(first.body.subscriberId);
    const fail = await h.call('POST', '/subscribers', { msisdn: 'bad' }, { 'X-Transaction-ID': 'bad-1' });
    expect(fail.status).toBe(400);
    const fixed = await h.call(
      'POST',
      '/subscribers',
      { msisdn: uniqueMsisdn() },
      { 'X-Transaction-ID': 'bad-1' },
    );
    expect(fixed.status).toBe(201);
  });
});
