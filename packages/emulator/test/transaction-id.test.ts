import { generateTransactionId } from '@ocsai/emulator';
import { afterAll, describe, expect, it } from 'vitest';
import { appHarness } from './harness.js';

const h = appHarness();
afterAll(() => h.close());

const GENERATED = /^(.+)_(\d{13})$/;

describe('X-Transaction-ID', () => {
  it('echoes a client id verbatim whatever the header case', async () => {
    for (const [name, value] of [
      ['X-Transaction-ID', 'TXN-2024-12-04-ABC123-XYZ'],
      ['x-transaction-id', 'lower-case-header'],
      ['X-TRANSACTION-ID', '1234567890'],
      ['X-Transaction-ID', `long-${'a'.repeat(85)}`],
    ] as const) {
      const r = await h.call('GET', '/health-check', undefined, { [name]: value });
      expect(r.headers.get('x-transaction-id')).toBe(value);
    }
  });

  it('generates <sanitised path>_<13-digit epoch ms> when absent or blank', async () => {
    const before = Date.now();
    const health = await h.call('GET', '/health-check');
    const lookup = await h.call('GET', '/subscribers/lookup?msisdn=1', undefined, {
      'X-Transaction-ID': '   ',
    });
    const byId = await h.call('GET', '/subscribers/test-sub-id');
    const nested = await h.call('GET', '/subscribers/x/subscriptions');
    const [, healthPrefix, ms] = GENERATED.exec(health.headers.get('x-transaction-id') ?? '') ?? [];
    expect(healthPrefix).toBe('health_check');
    expect(Math.abs(Number(ms) - before)).toBeLessThan(3_600_000);
    expect(lookup.headers.get('x-transaction-id')).toMatch(/^subscribers_lookup_\d{13}$/);
    expect(byId.headers.get('x-transaction-id')).toMatch(/^subscribers_test_sub_id_\d{13}$/);
    expect(nested.headers.get('x-transaction-id')).toMatch(/^subscribers_x_subscriptions_\d{13}$/);
  });

  it('is present exactly once on every kind of response', async () => {
    const responses = await Promise.all([
      h.call('GET', '/health-check'),
      h.call('POST', '/subscribers', { msisdn: 'invalid' }),
      h.call('GET', '/subscribers/lookup'),
      h.call('GET', '/subscribers/unknown'),
      h.call('DELETE', '/subscriptions/unknown/balances'),
      h.call('GET', '/no/such/route'),
      h.call('PUT', '/health-check'),
    ]);
    expect(responses.map((r) => r.status)).toEqual([200, 400, 400, 404, 204, 404, 405]);
    for (const r of responses) {
      const value = r.headers.get('x-transaction-id');
      expect(value).toBeTruthy();
      expect(value).not.toContain(',');
    }
  });

  it('keeps parallel requests apart', async () => {
    const ids = Array.from({ length: 5 }, (_, i) => `parallel-${i}`);
    const replies = await Promise.all(
      ids.map((id) => h.call('GET', '/health-check', undefined, { 'X-Transaction-ID': id })),
    );
    expect(replies.map((r) => r.headers.get('x-transaction-id'))).toEqual(ids);
  });

  it('sanitises like the backend filter', () => {
    expect(generateTransactionId('/ocs/prov/v1/', 1733312345678)).toBe('root_1733312345678');
    expect(generateTransactionId('/other/{x}--y/', 1)).toBe('other_x_y_1');
    expect(generateTransactionId(`/ocs/prov/v1/${'a'.repeat(80)}`, 1)).toBe(`${'a'.repeat(50)}_1`);
  });
});
