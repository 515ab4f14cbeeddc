import { join } from 'node:path';
import { startEmulator } from '@ocsai/emulator';
import { afterAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness, tempDir } from './harness.js';

const harnesses: Harness[] = [];
afterAll(async () => {
  for (const h of harnesses) await h.close();
});

describe('concurrency', () => {
  it('200 parallel creates with distinct MSISDNs all succeed', async () => {
    const h = await startHarness();
    harnesses.push(h);
    const msisdns = Array.from({ length: 200 }, (_, i) => `4366400${String(i).padStart(6, '0')}`);
    const replies = await Promise.all(msisdns.map((msisdn) => h.call('POST', '/subscribers', { msisdn })));
    expect(replies.every((r) => r.status === 201)).toBe(true);
    const found = await Promise.all(msisdns.map((m) => h.call('GET', `/subscribers/lookup?msisdn=${m}`)));
    expect(new Set(found.map((r) => r.body.subscriberId)).size).toBe(200);
  });

  it('50 parallel creates with the same MSISDN: exactly one 201, the rest 409', async () => {
    const h = await startHarness({ onDisk: true });
    harnesses.push(h);
    const replies = await Promise.all(
      Array.from({ length: 50 }, () => h.call('POST', '/subscribers', { msisdn: '43664999000111' })),
    );
    const statuses = replies.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(49);
  });

  it('parallel retries of one client transaction apply the write once', async () => {
    const h = await startHarness();
    harnesses.push(h);
    const owner = (await h.call('POST', '/subscribers', { msisdn: '43664999000222' })).body.subscriberId;
    const sub = (await h.call('POST', `/subscribers/${owner}/subscriptions`, { offerId: 'x' })).body
      .subscriptionId;
    const body = { unitType: 'BYTES', balanceAmount: 1, balanceAvailable: 1 };
    const replies = await Promise.all(
      Array.from({ length: 20 }, () =>
        h.call('POST', `/subscriptions/${sub}/balances`, body, { 'X-Transaction-ID': 'same-topup' }),
      ),
    );
    expect(new Set(replies.map((r) => r.text)).size).toBe(1);
    expect((await h.call('GET', `/subscriptions/${sub}/balances`)).body).toHaveLength(1);
  });
});

describe('graceful shutdown', () => {
  it('finishes a request that is in flight when close() is called', async () => {
    const emulator = await startEmulator({ port: 0, db: ':memory:', logger: false });
    const encoder = new TextEncoder();
    let push!: (text: string | null) => void;
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        push = (text) => (text === null ? controller.close() : controller.enqueue(encoder.encode(text)));
      },
    });
    push('{"msisdn":');
    const pending = fetch(`${emulator.url}/subscribers`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body,
      duplex: 'half',
    } as RequestInit);
    // Give the server time to start handling the request, then begin shutting down.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const closed = emulator.close();
    push('"43664999000444"}');
    push(null);
    const response = await pending;
    expect(response.status).toBe(201);
    await closed;
    await expect(fetch(`${emulator.url}/health-check`)).rejects.toThrow();
  });
});

describe('persistence', () => {
  it('keeps data across a restart on the same file', async () => {
    const dir = tempDir();
    const db = join(dir, 'nested', 'state.sqlite');
    const first = await startEmulator({ port: 0, db, logger: false });
    const created = await fetch(`${first.url}/subscribers`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Transaction-ID': 'persist-1' },
      body: JSON.stringify({ msisdn: '43664999000333' }),
    });
    const body = await created.json();
    await first.close();
    await first.close();
    const second = await startEmulator({ port: 0, db, logger: false });
    try {
      const got = await fetch(`${second.url}/subscribers/${body.subscriberId}`);
      expect(await got.json()).toEqual(body);
      // The replay record survived too.
      const retry = await fetch(`${second.url}/subscribers`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Transaction-ID': 'persist-1' },
        body: JSON.stringify({ msisdn: '43664999000333' }),
      });
      expect(retry.status).toBe(201);
      expect((await retry.json()).subscriberId).toBe(body.subscriberId);
    } finally {
      await second.close();
    }
  });

  it('refuses to start on a port in use and releases the database', async () => {
    const h = await startHarness();
    harnesses.push(h);
    await expect(startEmulator({ port: h.emulator.port, db: ':memory:', logger: false })).rejects.toThrow();
  });
});
