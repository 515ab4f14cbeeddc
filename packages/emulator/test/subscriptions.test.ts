import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appHarness, uniqueMsisdn } from './harness.js';

const h = appHarness();
let owner: string;
beforeAll(async () => {
  owner = (await h.call('POST', '/subscribers', { msisdn: uniqueMsisdn() })).body.subscriberId;
});
afterAll(() => h.close());

const SUBSCRIPTION_KEYS = [
  'subscriberId',
  'subscriptionId',
  'subscriptionType',
  'offerId',
  'offerName',
  'state',
  'creationDate',
  'activationDate',
  'expirationDate',
  'renewalDate',
  'recurring',
  'paidFlag',
  'isGroup',
  'maxRecurringCycles',
  'recurringCyclesCompleted',
  'cycleLengthUnits',
  'cycleLengthType',
  'customParameters',
  'balances',
  'lastModifiedDate',
  'timers',
];

async function subscribe(body: Record<string, unknown>) {
  const r = await h.call('POST', `/subscribers/${owner}/subscriptions`, body);
  expect(r.status).toBe(201);
  return r.body;
}
const act = (id: string, action: string) => h.call('POST', `/subscriptions/${id}/${action}`);

describe('create and read', () => {
  it('creates with defaults and every key present', async () => {
    const r = await h.call('POST', `/subscribers/${owner}/subscriptions`, {
      offerId: 'OFFER-1',
      subscriberId: 'someone-else',
      subscriptionId: 'client-id',
    });
    expect(r.status).toBe(201);
    expect(Object.keys(r.body)).toEqual(SUBSCRIPTION_KEYS);
    expect(r.body).toMatchObject({
      subscriberId: owner,
      state: 'pending',
      recurring: false,
      paidFlag: false,
      isGroup: false,
      maxRecurringCycles: null,
      recurringCyclesCompleted: 0,
      renewalDate: null,
      customParameters: {},
    });
    expect(r.body.subscriptionId).not.toBe('client-id');
    expect(r.body.expirationDate).toContain('2037-12-31');
  });

  it('keeps a valid cycle type case-insensitively and nulls unknown units', async () => {
    expect((await subscribe({ offerId: 'x', cycleLengthType: 'weeks' })).cycleLengthType).toBe('WEEKS');
    expect((await subscribe({ offerId: 'x', cycleLengthType: 'MONTH' })).cycleLengthType).toBeNull();
  });

  it('POST /subscriptions takes the owner from the body', async () => {
    const ok = await h.call('POST', '/subscriptions', {
      subscriberId: owner,
      offerId: 'OFFER-2',
      subscriptionType: 'POSTPAID',
    });
    expect(ok.status).toBe(201);
    expect(ok.body.subscriberId).toBe(owner);
    const missing = await h.call('POST', '/subscriptions', { offerId: 'OFFER-2' });
    expect(missing.status).toBe(400);
    expect(missing.body.message).toMatch(/subscriberId/);
    expect((await h.call('POST', '/subscriptions', { subscriberId: '  ', offerId: 'x' })).status).toBe(400);
    const unknown = await h.call('POST', '/subscriptions', { subscriberId: 'nobody', offerId: 'x' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.message).toBe('Subscriber not found with id: nobody');
  });

  it('validates the body and the owner', async () => {
    const noOffer = await h.call('POST', `/subscribers/${owner}/subscriptions`, { offerName: 'x' });
    expect(noOffer.status).toBe(400);
    expect(noOffer.body.message).toMatch(/offerId/);
    const badState = await h.call('POST', `/subscribers/${owner}/subscriptions`, {
      offerId: 'x',
      state: 'ACTIVE',
    });
    expect(badState.status).toBe(400);
    expect((await h.call('POST', '/subscribers/nobody/subscriptions', { offerId: 'x' })).status).toBe(404);
  });

  it('lists a subscriber’s subscriptions in creation order; 404 for unknown subscriber', async () => {
    const fresh = (await h.call('POST', '/subscribers', { msisdn: uniqueMsisdn() })).body.subscriberId;
    expect((await h.call('GET', `/subscribers/${fresh}/subscriptions`)).text).toBe('[]');
    const a = (await h.call('POST', `/subscribers/${fresh}/subscriptions`, { offerId: 'a' })).body;
    const b = (await h.call('POST', `/subscribers/${fresh}/subscriptions`, { offerId: 'b' })).body;
    const list = await h.call('GET', `/subscribers/${fresh}/subscriptions`);
    expect(list.body.map((s: { subscriptionId: string }) => s.subscriptionId)).toEqual([
      a.subscriptionId,
      b.subscriptionId,
    ]);
    expect((await h.call('GET', '/subscribers/nobody/subscriptions')).status).toBe(404);
  });

  it('deletes with its balances; unknown → 404', async () => {
    const s = await subscribe({ offerId: 'x' });
    await h.call('POST', `/subscriptions/${s.subscriptionId}/balances`, {
      unitType: 'SECONDS',
      balanceAmount: 1,
      balanceAvailable: 1,
    });
    expect((await h.call('DELETE', `/subscriptions/${s.subscriptionId}`)).status).toBe(204);
    expect((await h.call('GET', `/subscriptions/${s.subscriptionId}`)).status).toBe(404);
    expect((await h.call('GET', `/subscriptions/${s.subscriptionId}/balances`)).body).toEqual([]);
    const again = await h.call('DELETE', `/subscriptions/${s.subscriptionId}`);
    expect(again.status).toBe(404);
    expect(again.body.message).toBe(`Subscription not found with id: ${s.subscriptionId}`);
  });
});

describe('state machine', () => {
  it('activate sets activationDate once and a renewalDate for recurring cycles', async () => {
    const s = await subscribe({
      offerId: 'x',
      recurring: true,
      cycleLengthUnits: 1,
      cycleLengthType: 'MONTHS',
    });
    const active = await act(s.subscriptionId, 'activate');
    expect(active.status).toBe(200);
    expect(active.body.state).toBe('active');
    expect(active.body.activationDate).toEqual(expect.any(String));
    expect(active.text).toMatch(/"renewalDate":"\d{4}-/);
    const suspended = await act(s.subscriptionId, 'suspend');
    expect(suspended.body.state).toBe('suspended');
    const again = await act(s.subscriptionId, 'activate');
    expect(again.body.activationDate).toBe(active.body.activationDate);
    const cancelled = await act(s.subscriptionId, 'cancel');
    expect(cancelled.body.state).toBe('cancelled');
    for (const action of ['activate', 'suspend', 'cancel', 'renew']) {
      const r = await act(s.subscriptionId, action);
      expect(r.status).toBe(400);
      expect(r.body.message).toContain('CANCELLED');
    }
    const entries = (await h.call('GET', `/accountHistory/entityId/${s.subscriptionId}`)).body;
    expect(entries).toHaveLength(4);
    expect(entries[0]).toMatchObject({
      entityType: 'SUBSCRIPTION',
      reason: 'State Transition',
      status: 'SUCCESS',
      channel: 'API',
    });
    expect(entries[0].description).toContain('CANCELLED');
    expect(entries[1].description).toContain('ACTIVE');
    expect(entries[2].description).toContain('SUSPENDED');
  });

  it('non-recurring or cycle-less subscriptions get no renewalDate', async () => {
    const s = await subscribe({ offerId: 'x', recurring: true, cycleLengthType: 'MONTH' });
    expect((await act(s.subscriptionId, 'activate')).body.renewalDate).toBeNull();
  });

  it('refuses illegal transitions from pending', async () => {
    const s = await subscribe({ offerId: 'x' });
    expect((await act(s.subscriptionId, 'suspend')).status).toBe(400);
    expect((await act(s.subscriptionId, 'cancel')).status).toBe(400);
    expect((await act(s.subscriptionId, 'renew')).status).toBe(400);
    expect((await act('unknown', 'activate')).status).toBe(404);
  });

  it('renew counts cycles and expires at the maximum', async () => {
    const s = await subscribe({
      offerId: 'x',
      recurring: true,
      maxRecurringCycles: 3,
      recurringCyclesCompleted: 1,
      cycleLengthUnits: 1,
      cycleLengthType: 'DAYS',
    });
    const active = await act(s.subscriptionId, 'activate');
    const renewed = await act(s.subscriptionId, 'renew');
    expect(renewed.body).toMatchObject({ state: 'active', recurringCyclesCompleted: 2 });
    expect(renewed.body.renewalDate).not.toBe(active.body.renewalDate);
    const expired = await act(s.subscriptionId, 'renew');
    expect(expired.body).toMatchObject({ state: 'expired', recurringCyclesCompleted: 3 });
    expect(expired.body.renewalDate).toBe(renewed.body.renewalDate);
    expect((await act(s.subscriptionId, 'renew')).status).toBe(400);
    expect((await act(s.subscriptionId, 'activate')).status).toBe(400);
  });

  it('renew without a maximum keeps the subscription active', async () => {
    const s = await subscribe({ offerId: 'x' });
    await act(s.subscriptionId, 'activate');
    const r = await act(s.subscriptionId, 'renew');
    expect(r.body).toMatchObject({ state: 'active', recurringCyclesCompleted: 1, renewalDate: null });
  });
});

describe('PATCH /subscriptions/{id}', () => {
  it('applies allowed fields with coercions', async () => {
    const s = await subscribe({ offerId: 'x' });
    const r = await h.call('PATCH', `/subscriptions/${s.subscriptionId}`, [
      { fieldName: 'offerName', fieldValue: 'Updated Plan Name' },
      { fieldName: 'paidFlag', fieldValue: true },
      { fieldName: 'recurring', fieldValue: 'true' },
      { fieldName: 'maxRecurringCycles', fieldValue: '12' },
      { fieldName: 'cycleLengthUnits', fieldValue: 2 },
      { fieldName: 'cycleLengthType', fieldValue: 'years' },
      { fieldName: 'customParameters', fieldValue: { dataLimit: '100GB' } },
      { fieldName: 'isGroup', fieldValue: null },
      { fieldName: 'subscriptionType', fieldValue: 7 },
    ]);
    expect(r.status).toBe(200);
    expect(r.text).toContain('"offerName":"Updated Plan Name"');
    expect(r.body).toMatchObject({
      paidFlag: true,
      recurring: true,
      maxRecurringCycles: 12,
      cycleLengthUnits: 2,
      cycleLengthType: 'YEARS',
      customParameters: { dataLimit: '100GB' },
      isGroup: false,
      subscriptionType: null,
    });
  });

  it('422 for unknown or forbidden fields and bad values; 400 for empty; 404 unknown', async () => {
    const s = await subscribe({ offerId: 'x', offerName: 'keep' });
    const path = `/subscriptions/${s.subscriptionId}`;
    for (const op of [
      { fieldName: 'invalidField', fieldValue: 1 },
      { fieldName: 'state', fieldValue: 'active' },
      { fieldName: 'offerId', fieldValue: 'y' },
      { fieldName: 'cycleLengthType', fieldValue: 'MONTH' },
      { fieldName: 'maxRecurringCycles', fieldValue: 'many' },
      { fieldName: 'paidFlag', fieldValue: 'yes' },
      { fieldName: 'customParameters', fieldValue: { a: 1 } },
    ]) {
      const r = await h.call('PATCH', path, [{ fieldName: 'offerName', fieldValue: 'changed' }, op]);
      expect(r.status).toBe(422);
    }
    expect((await h.call('GET', path)).body.offerName).toBe('keep');
    expect((await h.call('PATCH', path, [])).status).toBe(400);
    expect(
      (await h.call('PATCH', '/subscriptions/unknown', [{ fieldName: 'offerName', fieldValue: 'x' }])).status,
    ).toBe(404);
  });
});
