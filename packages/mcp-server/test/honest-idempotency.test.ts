import { createServer, type IncomingMessage, type Server } from 'node:http';
import { EMULATOR_DEDUPLICATES_HEADER } from '@ocsai/contract';
import type { RunningEmulator } from '@ocsai/emulator';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OcsHttp } from '../src/ocs/ocs-http.js';
import { closeRuntime } from '../src/runtime.js';
import { call, connectInMemory, freshMsisdn, ok, startTestEmulator, testConfig } from './helpers.js';
import { type ListeningOcs, listenOcs, refusedOcsBase } from './support/fake-ocs.js';

/**
 * A backend that, like the real OCS, does NOT deduplicate on X-Transaction-ID, behind a proxy that
 * times out: every POST of a balance is applied, and then the proxy answers 504.
 */
function startNonDedupOcsBehindFlakyProxy() {
  const credits: { balanceId: string; subscriptionId: string; txid: string }[] = [];
  const requests: { method: string; path: string; txid: string }[] = [];
  const server: Server = createServer((req: IncomingMessage, res) => {
    const path = (req.url ?? '').replace('/ocs/prov/v1', '');
    const txid = String(req.headers['x-transaction-id']);
    requests.push({ method: req.method ?? '', path, txid });
    req.resume();
    req.on('end', () => {
      const json = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json', 'x-transaction-id': txid });
        res.end(JSON.stringify(body));
      };
      if (req.method === 'POST' && path === '/subscriptions/s1/balances') {
        credits.push({ balanceId: `b${credits.length + 1}`, subscriptionId: 's1', txid });
        return json(504, { message: 'Gateway Timeout' });
      }
      if (req.method === 'GET' && path === '/subscriptions/s1/balances') return json(200, credits);
      if (req.method === 'POST' && path === '/subscriptions/s2/balances')
        return json(201, { balanceId: `c${requests.length}`, subscriptionId: 's2' });
      return json(404, {});
    });
  });
  let listening: ListeningOcs | undefined;
  return {
    credits,
    requests,
    async start() {
      listening = await listenOcs(server);
      return listening.base;
    },
    async stop() {
      await listening?.stop();
    },
  };
}

describe('against an OCS that does not deduplicate', () => {
  const ocs = startNonDedupOcsBehindFlakyProxy();
  let base: string;
  beforeAll(async () => {
    base = await ocs.start();
  });
  afterAll(() => ocs.stop());

  it('a POST applied and then answered 504 is credited exactly once, and the result says the outcome is unknown and how to check', async () => {
    const config = testConfig(base);
    const client = await connectInMemory(config);
    const r = await call(client, 'create_balance', {
      subscriptionId: 's1',
      unitType: 'BYTES',
      balanceAmount: 1_073_741_824,
      transaction_id: 'TOPUP-504',
    });
    expect(r.isError).toBe(true);
    expect(r.text).toMatch(/Outcome unknown/);
    expect(r.text).toMatch(/HTTP 504/);
    expect(r.text).toMatch(/Check with list_balances with subscriptionId s1/);
    expect(r.text).toMatch(/TOPUP-504/);
    expect(ocs.credits).toHaveLength(1);

    // The client repeats the same call: it gets the same answer, not a second credit.
    const again = await call(client, 'create_balance', {
      subscriptionId: 's1',
      unitType: 'BYTES',
      balanceAmount: 1_073_741_824,
      transaction_id: 'TOPUP-504',
    });
    expect(again.text).toBe(r.text);
    expect(ocs.credits).toHaveLength(1);
    // And the read it was pointed to tells the truth.
    expect((await ok(client, 'list_balances', { subscriptionId: 's1' })).total).toBe(1);
    await client.close();
    await closeRuntime(config);
  });

  it('the same transaction_id and arguments get the first result without a second OCS call', async () => {
    const config = testConfig(base);
    const client = await connectInMemory(config);
    const args = { subscriptionId: 's2', unitType: 'EVENTS', balanceAmount: 100, transaction_id: 'LEDGER-1' };
    const first = await ok(client, 'create_balance', args);
    const posts = () =>
      ocs.requests.filter((q) => q.method === 'POST' && q.path === '/subscriptions/s2/balances');
    expect(posts()).toHaveLength(1);
    const second = await ok(client, 'create_balance', args);
    expect(second).toEqual(first);
    expect(posts()).toHaveLength(1);

    const other = await call(client, 'create_balance', { ...args, balanceAmount: 999 });
    expect(other.isError).toBe(true);
    expect(other.text).toMatch(
      /transaction_id LEDGER-1 was already used for another call \(different arguments\)/,
    );
    expect(posts()).toHaveLength(1);
    await client.close();
    await closeRuntime(config);
  });

  it('a write is repeated only when it never reached the OCS (connection refused)', async () => {
    const refused = await refusedOcsBase();
    const http = new OcsHttp({
      baseUrl: refused,
      timeoutMs: 5000,
      logger: pino({ level: 'silent' }),
      backoffBaseMs: 1,
    });
    await expect(
      http.request({
        method: 'POST',
        path: '/subscriptions/x/balances',
        route: '/subscriptions/{subscriptionId}/balances',
        body: {},
        transactionId: 't-refused',
        context: { entity: 'Subscription', id: 'x' },
      }),
    ).rejects.toMatchObject({ kind: 'unavailable' });
    await http.close();
  });
});

describe('against an OCS that says it deduplicates (the emulator header)', () => {
  it('repeats a POST after a 503 with the same transaction id', async () => {
    const seen: string[] = [];
    const server = createServer((req, res) => {
      seen.push(String(req.headers['x-transaction-id']));
      req.resume();
      req.on('end', () => {
        res.writeHead(seen.length === 1 ? 503 : 201, {
          'content-type': 'application/json',
          [EMULATOR_DEDUPLICATES_HEADER]: 'true',
        });
        res.end(JSON.stringify({ balanceId: 'b', subscriptionId: 'x' }));
      });
    });
    const ocs = await listenOcs(server);
    const http = new OcsHttp({
      baseUrl: ocs.base,
      timeoutMs: 5000,
      logger: pino({ level: 'silent' }),
      backoffBaseMs: 1,
    });
    const r = await http.request({
      method: 'POST',
      path: '/subscriptions/x/balances',
      route: '/subscriptions/{subscriptionId}/balances',
      body: {},
      transactionId: 't-dedup',
      context: { entity: 'Subscription', id: 'x' },
    });
    expect(r.status).toBe(201);
    expect(seen).toEqual(['t-dedup', 't-dedup']);
    expect(http.backendDeduplicates).toBe(true);
    await http.close();
    await ocs.stop();
  });

  it('never trusts the header when OCS_BACKEND_DEDUPLICATES=false', async () => {
    const http = new OcsHttp({
      baseUrl: 'http://127.0.0.1:9/ocs/prov/v1',
      timeoutMs: 1000,
      logger: pino({ level: 'silent' }),
      backendDeduplicates: 'false',
    });
    expect(http.backendDeduplicates).toBe(false);
    await http.close();
  });
});

describe('a reused transaction id with another body, through MCP (emulator)', () => {
  let emulator: RunningEmulator;
  beforeAll(async () => {
    emulator = await startTestEmulator();
  });
  afterAll(() => emulator?.close());

  it('create_subscriber with a reused transaction_id and another MSISDN gets a clear error, never the first record', async () => {
    const config = testConfig(emulator.url);
    const client = await connectInMemory(config);
    const firstMsisdn = freshMsisdn();
    await ok(client, 'create_subscriber', {
      msisdn: firstMsisdn,
      email: 'first@example.com',
      transaction_id: 'REUSED-TX',
    });
    const secondMsisdn = freshMsisdn();
    const r = await call(client, 'create_subscriber', { msisdn: secondMsisdn, transaction_id: 'REUSED-TX' });
    expect(r.isError).toBe(true);
    expect(r.text).toMatch(/REUSED-TX was already used for another call/);
    expect(r.text).not.toContain('first@example.com');
    await closeRuntime(config);

    // A second MCP instance (empty ledger) hits the emulator's own check: 422, never the stored record.
    const other = testConfig(emulator.url);
    const c2 = await connectInMemory(other);
    const r2 = await call(c2, 'create_subscriber', { msisdn: secondMsisdn, transaction_id: 'REUSED-TX' });
    expect(r2.isError).toBe(true);
    expect(r2.text).not.toContain(firstMsisdn);
    expect(r2.text).not.toContain('first@example.com');
    expect((await call(c2, 'lookup_subscriber', { msisdn: secondMsisdn })).isError).toBe(true);
    await client.close();
    await c2.close();
    await closeRuntime(other);
  });
});
