import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { Client } from '@modelcontextprotocol/client';
import type { RunningEmulator } from '@ocsai/emulator';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type McpConfig, TOOLSETS } from '../src/config.js';
import { OcsFailure, ocsFailureFromStatus } from '../src/ocs/ocs-failure.js';
import { OcsHttp } from '../src/ocs/ocs-http.js';
import { closeRuntime } from '../src/runtime.js';
import {
  call,
  callConfirmed,
  connectInMemory,
  freshMsisdn,
  ok,
  startTestEmulator,
  testConfig,
} from './helpers.js';
import { type ListeningOcs, listenOcs, refusedOcsBase } from './support/fake-ocs.js';

describe('bodiless errors of the real backend (strict emulator)', () => {
  let emulator: RunningEmulator;
  let config: McpConfig;
  let client: Client;
  beforeAll(async () => {
    emulator = await startTestEmulator('strict');
    config = testConfig(emulator.url, { OCS_MCP_TOOLSETS: TOOLSETS.join(',') });
    client = await connectInMemory(config);
  });
  afterAll(async () => {
    await client?.close();
    await closeRuntime(config);
    await emulator?.close();
  });

  it('maps 404, 409, 422 and 400 without bodies to actionable messages', async () => {
    const miss = await call(client, 'lookup_subscriber', { msisdn: '43600000000001' });
    expect(miss.text).toMatch(/^Subscriber with MSISDN 43600000000001 was not found in the OCS\./);

    const { subscriber } = await ok(client, 'create_subscriber', { msisdn: freshMsisdn() });
    const { subscription } = await ok(client, 'create_subscription', {
      subscriberId: subscriber.subscriberId,
      offerId: '1000',
    });
    const illegal = await call(client, 'change_subscription_state', {
      subscriptionId: subscription.subscriptionId,
      action: 'suspend',
    });
    expect(illegal.isError).toBe(true);
    expect(illegal.text).toMatch(/does not allow "suspend" from the subscription's current state/);

    const refused = await call(client, 'update_subscription', {
      subscriptionId: subscription.subscriptionId,
      updates: [{ fieldName: 'cycleLengthType', fieldValue: 'FORTNIGHTS' }],
    });
    expect(refused.isError).toBe(true);
    expect(refused.text).toMatch(/refused the update of subscription .*unknown or immutable/);

    const entry = await ok(client, 'create_account_history', {
      entityId: subscriber.subscriberId,
      entityType: 'SUBSCRIBER',
      interactionId: `i-${subscriber.subscriberId}`,
    });
    const dup = await call(client, 'create_account_history', {
      entityId: subscriber.subscriberId,
      entityType: 'SUBSCRIBER',
      interactionId: entry.entry.interactionId,
    });
    expect(dup.text).toMatch(/already exists; omit interactionId/);
    const noEntry = await callConfirmed(client, 'update_account_history', {
      interactionId: 'missing',
      status: 'X',
    });
    expect(noEntry.text).toMatch(/Account history entry missing was not found/);
  });
});

describe('OCS API key', () => {
  let emulator: RunningEmulator;
  beforeAll(async () => {
    emulator = await startTestEmulator('friendly', 'sekret-key-123');
  });
  afterAll(async () => emulator?.close());

  it('says the key is wrong without echoing it, and works with the right key', async () => {
    const wrong = testConfig(emulator.url, { OCS_API_KEY: 'wrong-key-456' });
    const c1 = await connectInMemory(wrong);
    const r = await call(c1, 'list_balances', { subscriptionId: 'x' });
    expect(r.isError).toBe(true);
    expect(r.text).toMatch(/rejected the credentials \(HTTP 401\).*OCS_API_KEY/);
    expect(r.text).not.toMatch(/wrong-key-456/);
    await c1.close();
    await closeRuntime(wrong);

    const right = testConfig(emulator.url, { OCS_API_KEY: 'sekret-key-123' });
    const c2 = await connectInMemory(right);
    expect((await ok(c2, 'list_balances', { subscriptionId: 'x' })).total).toBe(0);
    await c2.close();
    await closeRuntime(right);
  });
});

describe('upstream failures (scripted OCS)', () => {
  let upstream: Server;
  let listening: ListeningOcs | undefined;
  let base: string;
  const seen: { method: string; path: string; txid: string; apiKey: string | undefined }[] = [];
  const counts = new Map<string, number>();

  beforeAll(async () => {
    upstream = createServer((req: IncomingMessage, res) => {
      const path = (req.url ?? '').replace('/ocs/prov/v1', '');
      const key = `${req.method} ${path}`;
      const n = (counts.get(key) ?? 0) + 1;
      counts.set(key, n);
      seen.push({
        method: req.method ?? '',
        path,
        txid: String(req.headers['x-transaction-id']),
        apiKey: req.headers['x-api-key'] as string | undefined,
      });
      const json = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (path === '/subscribers/s500')
        return json(500, { message: 'An unexpected error occurred', path: '/secret/internal' });
      if (path === '/subscribers/flaky')
        return n < 3
          ? json(503, {})
          : json(200, { subscriberId: 'flaky', msisdn: '4366012345678', currentState: 'active' });
      if (path === '/subscribers/down') return json(503, {});
      if (path === '/subscribers/slow') {
        setTimeout(() => json(200, {}), 1500).unref();
        return;
      }
      if (path === '/subscribers/odd') return json(200, { unexpected: true });
      if (path === '/subscribers/text') {
        res.writeHead(418);
        return res.end('teapot');
      }
      if (path === '/subscribers/sub1/subscriptions')
        return json(201, { subscriptionId: 'sx1', subscriberId: 'sub1', state: 'pending' });
      if (path === '/subscriptions/sx1/balances')
        return n === 1 ? json(201, { balanceId: 'b1', subscriptionId: 'sx1' }) : json(500, {});
      if (path === '/subscribers')
        return json(400, { message: 'msisdn must match pattern', details: { msisdn: 'bad' } });
      return json(404, {});
    });
    listening = await listenOcs(upstream);
    base = listening.base;
  });
  afterAll(async () => listening?.stop());

  async function withClient(env: Record<string, string>, fn: (c: Client) => Promise<void>) {
    const config = testConfig(base, env);
    const client = await connectInMemory(config);
    try {
      await fn(client);
    } finally {
      await client.close();
      await closeRuntime(config);
    }
  }

  it('maps 500 to "unavailable" without leaking the body, and does not retry it', async () => {
    await withClient({ OCS_API_KEY: 'k-123' }, async (c) => {
      const r = await call(c, 'get_subscriber', { subscriberId: 's500' });
      expect(r.text).toMatch(/The OCS is unavailable or failed \(HTTP 500\)/);
      expect(r.text).not.toMatch(/secret|unexpected error/);
      expect(counts.get('GET /subscribers/s500')).toBe(1);
      expect(seen.find((s) => s.path === '/subscribers/s500')?.apiKey).toBe('k-123');
    });
  });

  it('retries a GET on 503 with the same transaction id and succeeds', async () => {
    await withClient({}, async (c) => {
      const r = await ok(c, 'get_subscriber', { subscriberId: 'flaky', transaction_id: 'TXN-RETRY' });
      expect(r.subscriber.subscriberId).toBe('flaky');
      const tries = seen.filter((s) => s.path === '/subscribers/flaky');
      expect(tries).toHaveLength(3);
      expect(new Set(tries.map((t) => t.txid))).toEqual(new Set(['TXN-RETRY']));
    });
  });

  it('gives up after the attempts and never retries PATCH or DELETE', async () => {
    await withClient({}, async (c) => {
      const r = await call(c, 'get_subscriber', { subscriberId: 'down' });
      expect(r.text).toMatch(/HTTP 503/);
      expect(counts.get('GET /subscribers/down')).toBe(3);
      await call(c, 'update_subscriber', {
        subscriberId: 'down',
        updates: [{ fieldName: 'email', fieldValue: 'a@b.cd' }],
      });
      expect(counts.get('PATCH /subscribers/down')).toBe(1);
    });
  });

  it('reports a timeout, a validation body, odd bodies and unknown statuses', async () => {
    await withClient({ OCS_API_TIMEOUT: '0.3' }, async (c) => {
      const slow = await call(c, 'get_subscriber', { subscriberId: 'slow' });
      expect(slow.text).toMatch(/did not answer within 0.3 s \(OCS_API_TIMEOUT\)/);
      const invalid = await call(c, 'create_subscriber', { msisdn: '43660123456789' });
      expect(invalid.text).toMatch(/invalid: msisdn must match pattern\. Fields: msisdn\./);
      const odd = await call(c, 'get_subscriber', { subscriberId: 'odd' });
      expect(odd.text).toMatch(/unexpected subscriber response/);
      const teapot = await call(c, 'get_subscriber', { subscriberId: 'text' });
      expect(teapot.text).toMatch(/Unexpected OCS answer \(HTTP 418\)/);
    });
  });

  it('says what a partly finished create_subscription did and how to resume it', async () => {
    await withClient({}, async (c) => {
      const r = await call(c, 'create_subscription', {
        subscriberId: 'sub1',
        offerId: '1000',
        createBalances: true,
        transaction_id: 'TXN-SUB',
      });
      expect(r.isError).toBe(true);
      expect(r.text).toMatch(
        /^Subscription sx1 was created with 1 balance\(s\), but a follow-up step failed: Outcome unknown: .*Check with list_balances with subscriptionId sx1.*transaction_id TXN-SUB/,
      );
      const steps = seen.filter((s) => s.path === '/subscriptions/sx1/balances').map((s) => s.txid);
      expect(steps).toEqual(['TXN-SUB.balance1', 'TXN-SUB.balance2']);
    });
  });

  it('reports an unreachable OCS', async () => {
    const config = testConfig(await refusedOcsBase());
    const c = await connectInMemory(config);
    const r = await call(c, 'list_balances', { subscriptionId: 'x' });
    expect(r.text).toMatch(/The OCS is unavailable \(connection failed\).*OCS_API_URL/);
    await c.close();
    await closeRuntime(config);
  });

  it('passes cancellation through', async () => {
    const http = new OcsHttp({ baseUrl: base, timeoutMs: 5000, logger: pino({ level: 'silent' }) });
    const controller = new AbortController();
    const pending = http.request({
      method: 'GET',
      path: '/subscribers/slow',
      route: '/subscribers/{id}',
      transactionId: 't',
      signal: controller.signal,
      context: { entity: 'Subscriber' },
    });
    controller.abort();
    await expect(pending).rejects.toMatchObject({ kind: 'cancelled' });
    await http.close();
  });
});

describe('status mapping', () => {
  it('covers the remaining statuses', () => {
    const ctx = { entity: 'Subscriber', id: 'x' };
    expect(ocsFailureFromStatus(403, undefined, ctx).kind).toBe('unauthorized');
    expect(ocsFailureFromStatus(409, { message: 'dup' }, ctx).message).toMatch(/OCS said: dup/);
    expect(ocsFailureFromStatus(422, undefined, ctx).message).toMatch(/unknown or immutable/);
    expect(ocsFailureFromStatus(400, { message: 'x'.repeat(400) }, ctx).message.length).toBeLessThan(400);
    expect(ocsFailureFromStatus(429, undefined, ctx).kind).toBe('unavailable');
    expect(new OcsFailure('timeout', 'm').name).toBe('OcsFailure');
  });
});
