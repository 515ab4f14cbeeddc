import { type RunningEmulator, startEmulator } from '@ocsai/emulator';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { body, CaseCounter, expectHandled, headers, pathSegment, send } from './fuzz-support.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 150);
const ROUTES: [string, string][] = [
  ['GET', '/offers'],
  ['GET', '/offers/:offerId'],
  ['GET', '/subscribers/lookup'],
  ['POST', '/subscribers'],
  ['GET', '/subscribers/:subscriberId'],
  ['PATCH', '/subscribers/:subscriberId'],
  ['PUT', '/subscribers/:subscriberId/state'],
  ['DELETE', '/subscribers/:subscriberId'],
  ['POST', '/accountHistory'],
  ['GET', '/accountHistory/entityId/:entityId'],
  ['GET', '/accountHistory'],
  ['GET', '/accountHistory/:interactionId'],
  ['PATCH', '/accountHistory/:interactionId'],
  ['DELETE', '/accountHistory/:interactionId'],
  ['POST', '/subscribers/:subscriberId/subscriptions'],
  ['POST', '/subscriptions'],
  ['GET', '/subscribers/:subscriberId/subscriptions'],
  ['GET', '/subscriptions/:subscriptionId'],
  ['PATCH', '/subscriptions/:subscriptionId'],
  ['DELETE', '/subscriptions/:subscriptionId'],
  ['POST', '/subscriptions/:subscriptionId/activate'],
  ['POST', '/subscriptions/:subscriptionId/balances'],
  ['GET', '/subscriptions/:subscriptionId/balances'],
  ['DELETE', '/subscriptions/:subscriptionId/balances'],
  ['GET', '/health-check'],
  ['GET', '/openapi.json'],
];

let emulator: RunningEmulator;
const ids: string[] = [];
const counter = new CaseCounter();

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, db: ':memory:', logger: false });
  const post = async (path: string, value: unknown) =>
    (await fetch(`${emulator.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(value),
    }).then((res) => res.json())) as Record<string, string>;
  const subscriber = await post('/subscribers', { msisdn: '4798765432100' });
  const subscription = await post(`/subscribers/${subscriber.subscriberId}/subscriptions`, {
    offerId: '1003',
  });
  ids.push(String(subscriber.subscriberId), String(subscription.subscriptionId), '1003');
});
afterAll(async () => {
  console.log(counter.summary('emulator'));
  await emulator.close();
});

const query = fc.dictionary(
  fc.constantFrom(
    'msisdn',
    'imsi',
    'firstName',
    'lastName',
    'entityId',
    'limit',
    'offset',
    'page',
    'size',
    'state',
  ),
  fc.string({ maxLength: 30 }),
  { maxKeys: 3 },
);

describe('emulator HTTP fuzzing', () => {
  it.each(ROUTES)('%s %s answers 2xx/4xx with a JSON error', async (method, template) => {
    const segment = fc.oneof(
      { weight: 3, arbitrary: pathSegment },
      { weight: 1, arbitrary: fc.constantFrom(...ids) },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(segment, { minLength: 3, maxLength: 3 }),
        body,
        headers,
        query,
        async (segments, payload, head, params) => {
          let index = 0;
          const path = template.replace(/:\w+/g, () => segments[index++] ?? 'x');
          const search = new URLSearchParams(params).toString();
          const url = `${emulator.url}${path}${search ? `?${search}` : ''}`;
          const withBody = method !== 'GET' && method !== 'DELETE';
          const res = await send(url, { method, headers: head, ...(withBody && { body: payload }) }, payload);
          counter.add(`${method} ${template}`);
          await expectHandled(res, counter, `${method} ${path}`);
        },
      ),
      { numRuns: RUNS, endOnFailure: true },
    );
    expect((await fetch(`${emulator.url}/health-check`)).status).toBe(200);
  });
});
