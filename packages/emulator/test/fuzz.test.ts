import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Harness, startHarness } from './harness.js';

let h: Harness;
let subscriberId: string;
let subscriptionId: string;
beforeAll(async () => {
  h = await startHarness();
  subscriberId = (await h.call('POST', '/subscribers', { msisdn: '43664777000001' })).body.subscriberId;
  subscriptionId = (await h.call('POST', `/subscribers/${subscriberId}/subscriptions`, { offerId: 'x' })).body
    .subscriptionId;
});
afterAll(() => h.close());

const ROUTES: [string, () => string][] = [
  ['POST', () => '/subscribers'],
  ['PATCH', () => `/subscribers/${subscriberId}`],
  ['POST', () => `/subscribers/${subscriberId}/subscriptions`],
  ['POST', () => '/subscriptions'],
  ['PATCH', () => `/subscriptions/${subscriptionId}`],
  ['POST', () => `/subscriptions/${subscriptionId}/balances`],
  ['POST', () => '/accountHistory'],
  ['PATCH', () => '/accountHistory/x'],
];

const jsonish = fc.oneof(
  fc.jsonValue(),
  fc.record(
    {
      msisdn: fc.oneof(fc.string(), fc.integer(), fc.constant('436641234567')),
      offerId: fc.oneof(fc.string(), fc.integer()),
      subscriberId: fc.oneof(fc.string(), fc.constant('nobody')),
      unitType: fc.constantFrom('BYTES', 'bytes', 'X', 1),
      balanceAmount: fc.oneof(fc.double(), fc.integer(), fc.string()),
      balanceAvailable: fc.oneof(fc.double(), fc.integer()),
      entityId: fc.string(),
      entityType: fc.constantFrom('SUBSCRIBER', 'GROUP', 'NOPE'),
      interactionDate: fc.jsonValue(),
      personalInfo: fc.jsonValue(),
      billing: fc.jsonValue(),
    },
    { requiredKeys: [] },
  ),
  fc.array(
    fc.record({
      fieldName: fc.constantFrom('state', 'email', 'billcycleDay', 'offerName', 'paidFlag', 'x'),
      fieldValue: fc.jsonValue(),
    }),
  ),
  fc.string(),
);

it('never answers 5xx to random bodies; every 4xx explains itself', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom(...ROUTES),
      jsonish,
      fc.boolean(),
      async ([method, path], value, raw) => {
        const body = raw && typeof value === 'string' ? value : JSON.stringify(value);
        const r = await h.call(method, path(), body, { 'X-Transaction-ID': `fuzz-${Math.random()}` });
        expect(r.status).toBeLessThan(500);
        if (r.status >= 400) {
          expect(r.body.message).toEqual(expect.any(String));
          expect(r.body.status).toBe(r.status);
        }
      },
    ),
    { numRuns: 200 },
  );
});

it('random paths, methods and headers give 2xx/4xx and keep the server alive', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE'),
      fc.array(
        fc.constantFrom(
          'subscribers',
          'subscriptions',
          'lookup',
          'balances',
          'accountHistory',
          'entityId',
          'x',
          '%20',
          '..',
          'state',
        ),
        { maxLength: 4 },
      ),
      fc.string({ maxLength: 20 }),
      async (method, segments, query) => {
        const path = `/${segments.join('/')}?limit=${encodeURIComponent(query)}&state=${encodeURIComponent(query)}`;
        const r = await h.call(method, path, method === 'GET' || method === 'DELETE' ? undefined : '{}');
        expect(r.status).toBeLessThan(500);
        expect(r.headers.get('x-transaction-id')).toBeTruthy();
      },
    ),
    { numRuns: 200 },
  );
  expect((await h.call('GET', '/health-check')).status).toBe(200);
});
