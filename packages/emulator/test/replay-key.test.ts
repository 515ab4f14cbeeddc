import { EMULATOR_DEDUPLICATES_HEADER } from '@ocsai/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalisedPath } from '../src/http/write-transaction.js';
import { appHarness, seedSubscription, uniqueMsisdn } from './harness.js';

const h = appHarness();
let subscriptionId: string;
beforeAll(async () => {
  ({ subscriptionId } = await seedSubscription(h));
});
afterAll(() => h.close());

const percentEncoded = (id: string) => [...id].map((ch) => `%${ch.charCodeAt(0).toString(16)}`).join('');

describe('replay key: method + normalised path + X-Transaction-ID + body', () => {
  it('a reused transaction id with another body gets 422 naming the reuse, never the first caller’s record', async () => {
    const headers = { 'X-Transaction-ID': `reuse-${uniqueMsisdn()}` };
    const first = await h.call(
      'POST',
      '/subscribers',
      { msisdn: uniqueMsisdn(), personalInfo: { email: 'first@example.com', dateOfBirth: '1970-01-01' } },
      headers,
    );
    expect(first.status).toBe(201);
    const otherMsisdn = uniqueMsisdn();
    const second = await h.call('POST', '/subscribers', { msisdn: otherMsisdn }, headers);
    expect(second.status).toBe(422);
    expect(second.body.message).toMatch(/already used for another request/);
    expect(second.text).not.toContain('first@example.com');
    expect(second.text).not.toContain(first.body.subscriberId);
    // Nothing was created for the second body.
    expect((await h.call('GET', `/subscribers/lookup?msisdn=${otherMsisdn}`)).status).toBe(404);
  });

  it('the same body with its keys in another order is the same request (replayed)', async () => {
    const headers = { 'X-Transaction-ID': `order-${uniqueMsisdn()}` };
    const msisdn = uniqueMsisdn();
    const first = await h.call('POST', '/subscribers', { msisdn, languageId: 'DE' }, headers);
    const again = await h.call('POST', '/subscribers', `{"languageId":"DE","msisdn":"${msisdn}"}`, headers);
    expect(again.status).toBe(201);
    expect(again.text).toBe(first.text);
  });

  it('the percent-encoded path credits once', async () => {
    const body = { unitType: 'BYTES', balanceAmount: 7, balanceAvailable: 7 };
    const headers = { 'X-Transaction-ID': 'percent-encoded-topup' };
    const before = (await h.call('GET', `/subscriptions/${subscriptionId}/balances`)).body.length;
    const plain = await h.call('POST', `/subscriptions/${subscriptionId}/balances`, body, headers);
    const encoded = await h.call(
      'POST',
      `/subscriptions/${percentEncoded(subscriptionId)}/balances/`,
      body,
      headers,
    );
    expect(plain.status).toBe(201);
    expect(encoded.status).toBe(201);
    expect(encoded.text).toBe(plain.text);
    const after = (await h.call('GET', `/subscriptions/${subscriptionId}/balances`)).body.length;
    expect(after - before).toBe(1);
  });

  it('normalises by decoding each segment and dropping trailing slashes', () => {
    expect(normalisedPath('/ocs/prov/v1/subscriptions/%61bc/balances//')).toBe(
      '/ocs/prov/v1/subscriptions/abc/balances',
    );
    expect(normalisedPath('/bad/%E0%A4%A/x')).toBe('/bad/%E0%A4%A/x');
  });

  it('advertises deduplication on every response (emulator only)', async () => {
    const r = await h.call('GET', '/health-check');
    expect(r.headers.get(EMULATOR_DEDUPLICATES_HEADER)).toBe('true');
  });
});
