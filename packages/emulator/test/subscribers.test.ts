import { afterAll, describe, expect, it } from 'vitest';
import { appHarness, uniqueMsisdn } from './harness.js';

const h = appHarness();
afterAll(() => h.close());

const SUBSCRIBER_KEYS = [
  'subscriberId',
  'businessAccountId',
  'msisdn',
  'imsi',
  'iccId',
  'currentState',
  'previousState',
  'creationDate',
  'lastTransitionDate',
  'activationDate',
  'expirationDate',
  'languageId',
  'carrierId',
  'subscriberType',
  'personalInfo',
  'billing',
  'groups',
  'subscriptions',
  'notificationAddresses',
  'services',
  'customFields',
  'lastModifiedDate',
  'timers',
];

async function create(extra: Record<string, unknown> = {}) {
  const r = await h.call('POST', '/subscribers', { msisdn: uniqueMsisdn(), ...extra });
  expect(r.status).toBe(201);
  return r.body;
}

const history = async (id: string) => (await h.call('GET', `/accountHistory/entityId/${id}?limit=100`)).body;

describe('POST /subscribers', () => {
  it('creates with defaults, compact JSON, every key in backend order', async () => {
    const r = await h.call('POST', '/subscribers', {
      msisdn: uniqueMsisdn(),
      imsi: '214010123456789',
      subscriberId: 'client-chosen',
      firstName: 'ignored',
      services: { voiceEnabled: true },
      personalInfo: {
        firstName: 'John',
        lastName: 'Doe',
        dateOfBirth: '1990-01-15',
        email: 'john.doe@example.com',
      },
      billing: { billingCycle: 1, billingAddress: { city: 'Vienna', country: 'Austria' } },
    });
    expect(r.status).toBe(201);
    expect(r.headers.get('content-type')).toMatch(/^application\/json/);
    expect(r.text).not.toMatch(/\n|": /);
    expect(Object.keys(r.body)).toEqual(SUBSCRIBER_KEYS);
    expect(r.body.subscriberId).not.toBe('client-chosen');
    expect(r.body).toMatchObject({
      currentState: 'pre-provisioned',
      previousState: null,
      languageId: 'EN',
      subscriberType: 'PREPAID',
      expirationDate: '2037-12-31T23:59:59+01:00',
      services: null,
      billing: {
        billingCycle: '1',
        billcycleDay: 1,
        billingAddress: { city: 'Vienna', state: null, country: 'Austria' },
      },
      personalInfo: { firstName: 'John', contactNumber: null },
    });
    expect(r.body.creationDate).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0[12]:00$/);
    expect(r.text.match(/"email"/g)).toHaveLength(1);
  });

  it('leaves personalInfo null when only a contact number is given, and honours a valid currentState', async () => {
    const s = await create({ personalInfo: { contactNumber: '436641234567' }, currentState: 'active' });
    expect(s.personalInfo).toBeNull();
    expect(s.currentState).toBe('active');
    expect(s.lastTransitionDate).toBeNull();
  });

  it('rejects bad input with 400 naming the field', async () => {
    const cases: [unknown, RegExp][] = [
      [{}, /msisdn: is required/],
      [{ msisdn: 'invalid' }, /msisdn: MSISDN must be 11 to 15 digits/],
      [{ msisdn: uniqueMsisdn(), imsi: '12' }, /imsi/],
      [{ msisdn: uniqueMsisdn(), currentState: 'PRE_PROVISIONED' }, /currentState/],
      [{ msisdn: uniqueMsisdn(), personalInfo: { email: 'nope' } }, /personalInfo\.email/],
      [{ msisdn: 43664123456789 }, /msisdn/],
      [[1, 2], /body: must be a JSON object/],
    ];
    for (const [body, message] of cases) {
      const r = await h.call('POST', '/subscribers', body);
      expect(r.status).toBe(400);
      expect(r.body.message).toMatch(message);
      expect(r.body.path).toBe('/ocs/prov/v1/subscribers');
    }
  });

  it('409 on a live duplicate MSISDN, but a deactivated holder frees it', async () => {
    const msisdn = uniqueMsisdn();
    const first = await h.call('POST', '/subscribers', { msisdn });
    const dup = await h.call('POST', '/subscribers', { msisdn });
    expect(dup.status).toBe(409);
    expect(dup.body).toMatchObject({
      status: 409,
      error: 'Conflict',
      message: `Subscriber with msisdn ${msisdn} already exists`,
    });
    await h.call('PATCH', `/subscribers/${first.body.subscriberId}`, [
      { fieldName: 'state', fieldValue: 'DEACTIVATED' },
    ]);
    const reuse = await h.call('POST', '/subscribers', { msisdn });
    expect(reuse.status).toBe(201);
    const lookup = await h.call('GET', `/subscribers/lookup?msisdn=${msisdn}`);
    expect(lookup.body.subscriberId).toBe(reuse.body.subscriberId);
    // Reactivating the old holder would create two live holders.
    const back = await h.call('PUT', `/subscribers/${first.body.subscriberId}/state?state=ACTIVE`);
    expect(back.status).toBe(409);
  });

  it('writes exactly one history entry with a start time', async () => {
    const s = await create();
    const entries = await history(s.subscriberId);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      entityType: 'SUBSCRIBER',
      reason: 'Subscriber Creation',
      status: 'SUCCESS',
      channel: 'API',
      direction: 'INBOUND',
    });
    expect(entries[0].interactionDate.startDateTime).toEqual(expect.any(String));
  });
});

describe('GET /subscribers/{id} and lookup', () => {
  it('404 with a Spring-style body for unknown ids', async () => {
    const r = await h.call('GET', '/subscribers/does-not-exist');
    expect(r.status).toBe(404);
    expect(Object.keys(r.body)).toEqual(['timestamp', 'status', 'error', 'message', 'path', 'details']);
    expect(r.body.message).toBe('Subscriber not found with id: does-not-exist');
    expect(r.body.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?$/);
  });

  it('follows msisdn > imsi > name precedence and returns only the id', async () => {
    const a = await create({
      imsi: '214010000000001',
      personalInfo: { firstName: 'Ada', lastName: 'Lovelace' },
    });
    const b = await create({
      imsi: '214010000000002',
      personalInfo: { firstName: 'Bob', lastName: 'Smith' },
    });
    const q = async (query: string) => h.call('GET', `/subscribers/lookup?${query}`);
    const byMsisdn = await q(`msisdn=${a.msisdn}&imsi=${b.imsi}&firstName=Bob&lastName=Smith`);
    expect(byMsisdn.text).toBe(`{"subscriberId":"${a.subscriberId}"}`);
    expect((await q(`imsi=${b.imsi}&firstName=Ada&lastName=Lovelace`)).body.subscriberId).toBe(
      b.subscriberId,
    );
    expect((await q('firstName=ada&lastName=LOVELACE')).body.subscriberId).toBe(a.subscriberId);
    expect((await q(`msisdn=&imsi=${a.imsi}`)).body.subscriberId).toBe(a.subscriberId);
    for (const bad of [
      '',
      'msisdn=',
      'imsi=',
      'firstName=Ada',
      'lastName=Smith',
      'firstName=&lastName=Smith',
    ]) {
      expect((await q(bad)).status).toBe(400);
    }
    expect((await q('msisdn=49999999999')).status).toBe(404);
  });
});

describe('PATCH /subscribers/{id}', () => {
  it('applies flat fields and uppercase states, with previousState and one history entry per change', async () => {
    const s = await create({ personalInfo: { firstName: 'Jo', email: 'jo@example.com' } });
    const r = await h.call('PATCH', `/subscribers/${s.subscriberId}`, [
      { fieldName: 'email', fieldValue: 'new@example.com' },
      { fieldName: 'state', fieldValue: 'ACTIVE' },
      { fieldName: 'billingCity', fieldValue: 'Graz' },
      { fieldName: 'billcycleDay', fieldValue: 15 },
      { fieldName: 'billingCycle', fieldValue: 2 },
      { fieldName: 'contactNumber', fieldValue: null },
      { fieldName: 'languageId', fieldValue: 5 },
      { fieldName: 'msisdn', fieldValue: uniqueMsisdn() },
      { fieldName: 'imsi', fieldValue: '214010999999999' },
    ]);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      currentState: 'active',
      previousState: 'pre-provisioned',
      languageId: 'EN',
      personalInfo: { email: 'new@example.com' },
      billing: { billcycleDay: 15, billingCycle: '2', billingAddress: { city: 'Graz' } },
      imsi: '214010999999999',
    });
    expect(r.body.lastTransitionDate).toEqual(expect.any(String));
    const got = await h.call('GET', `/subscribers/${s.subscriberId}`);
    expect(got.body).toEqual(r.body);
    const entries = await history(s.subscriberId);
    expect(entries).toHaveLength(2);
    expect(entries[0]).toMatchObject({
      reason: 'Subscriber Modification',
      status: 'SUCCESS',
      direction: 'INBOUND',
      channel: 'API',
    });
    expect(entries[0].description).toContain('ACTIVE');

    for (const state of ['suspended', 'DEACTIVATED']) {
      const next = await h.call('PATCH', `/subscribers/${s.subscriberId}`, [
        { fieldName: 'state', fieldValue: state },
      ]);
      expect(next.status).toBe(200);
    }
    const after = await history(s.subscriberId);
    expect(after).toHaveLength(4);
    expect(after[0].description).toContain('DEACTIVATED');
    expect(after[1].description).toContain('SUSPENDED');
  });

  it('is idempotent and a repeated state is a no-op', async () => {
    const s = await create();
    const ops = [{ fieldName: 'state', fieldValue: 'active' }];
    const first = await h.call('PATCH', `/subscribers/${s.subscriberId}`, ops);
    const second = await h.call('PATCH', `/subscribers/${s.subscriberId}`, ops);
    expect(second.status).toBe(200);
    expect(second.body.previousState).toBe('pre-provisioned');
    expect(second.body.lastTransitionDate).toBe(first.body.lastTransitionDate);
    expect(await history(s.subscriberId)).toHaveLength(2);
  });

  it('rejects empty arrays (400), unknown fields and state names (422, atomically)', async () => {
    const s = await create({ personalInfo: { email: 'keep@example.com' } });
    const path = `/subscribers/${s.subscriberId}`;
    expect((await h.call('PATCH', path, [])).status).toBe(400);
    expect((await h.call('PATCH', path, { fieldName: 'email' })).status).toBe(400);
    const notAnOperation = await h.call('PATCH', path, [{ fieldName: 'email', fieldValue: 'a@b.at' }, 5]);
    expect(notAnOperation.body.message).toMatch(/^\[1\]: /);
    for (const fieldName of ['nonExistentField', 'personalInfo.email', 'currentState', 'dateOfBirth']) {
      const r = await h.call('PATCH', path, [
        { fieldName: 'email', fieldValue: 'changed@example.com' },
        { fieldName, fieldValue: 'x' },
      ]);
      expect(r.status).toBe(422);
      expect(r.body.message).toContain(fieldName);
    }
    expect(
      (await h.call('PATCH', path, [{ fieldName: 'state', fieldValue: 'pre-provisioned' }])).status,
    ).toBe(422);
    expect((await h.call('PATCH', path, [{ fieldName: 'msisdn', fieldValue: '12' }])).status).toBe(400);
    expect((await h.call('PATCH', path, [{ fieldName: 'imsi', fieldValue: '12' }])).status).toBe(400);
    expect((await h.call('PATCH', path, [{ fieldName: 'email', fieldValue: 'bad' }])).status).toBe(400);
    expect((await h.call('PATCH', path, [{ fieldName: 'billcycleDay', fieldValue: 40 }])).status).toBe(400);
    const unchanged = await h.call('GET', path);
    expect(unchanged.body.personalInfo.email).toBe('keep@example.com');
    const missing = await h.call('PATCH', '/subscribers/unknown', [
      { fieldName: 'email', fieldValue: 'a@b.at' },
    ]);
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({
      error: 'Not Found',
      message: 'Subscriber not found with id: unknown',
    });
  });

  it('ignores values of the wrong JSON type', async () => {
    const s = await create();
    const r = await h.call('PATCH', `/subscribers/${s.subscriberId}`, [
      { fieldName: 'billcycleDay', fieldValue: '15' },
      { fieldName: 'email', fieldValue: 5 },
      { fieldName: 'state', fieldValue: null },
    ]);
    expect(r.status).toBe(200);
    expect(r.body.billing.billcycleDay).toBe(1);
    expect(await history(s.subscriberId)).toHaveLength(1);
  });
});

describe('PUT /subscribers/{id}/state', () => {
  it('sets the state and validates the name', async () => {
    const s = await create();
    const r = await h.call('PUT', `/subscribers/${s.subscriberId}/state?state=SUSPENDED`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ currentState: 'suspended', previousState: 'pre-provisioned' });
    const again = await h.call('PUT', `/subscribers/${s.subscriberId}/state?state=suspended`);
    expect(again.status).toBe(200);
    expect(await history(s.subscriberId)).toHaveLength(2);
    const bad = await h.call('PUT', `/subscribers/${s.subscriberId}/state?state=SLEEPING`);
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/^state:/);
    expect((await h.call('PUT', '/subscribers/unknown/state?state=ACTIVE')).status).toBe(404);
  });
});

describe('DELETE /subscribers/{id}', () => {
  it('hard-deletes with cascade, keeps history, frees the MSISDN', async () => {
    const s = await create();
    const sub = await h.call('POST', `/subscribers/${s.subscriberId}/subscriptions`, { offerId: '1000' });
    const bal = await h.call('POST', `/subscriptions/${sub.body.subscriptionId}/balances`, {
      unitType: 'BYTES',
      balanceAmount: 10,
      balanceAvailable: 10,
    });
    expect(bal.status).toBe(201);
    expect((await h.call('GET', `/subscribers/${s.subscriberId}`)).body.subscriptions).toEqual([
      sub.body.subscriptionId,
    ]);
    const del = await h.call('DELETE', `/subscribers/${s.subscriberId}`);
    expect(del.status).toBe(204);
    expect(del.text).toBe('');
    expect((await h.call('GET', `/subscribers/${s.subscriberId}`)).status).toBe(404);
    expect((await h.call('GET', `/subscribers/lookup?msisdn=${s.msisdn}`)).status).toBe(404);
    expect((await h.call('GET', `/subscriptions/${sub.body.subscriptionId}`)).status).toBe(404);
    expect((await h.call('GET', `/subscriptions/${sub.body.subscriptionId}/balances`)).body).toEqual([]);
    expect(await history(s.subscriberId)).toHaveLength(1);
    const again = await h.call('DELETE', `/subscribers/${s.subscriberId}`);
    expect(again.status).toBe(404);
    for (const key of ['timestamp', 'status', 'error', 'message', 'path'])
      expect(again.body).toHaveProperty(key);
    expect((await h.call('POST', '/subscribers', { msisdn: s.msisdn })).status).toBe(201);
  });
});
