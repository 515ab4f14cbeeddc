import { createServer, type Server } from 'node:http';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cancellation } from '../src/cancellation.js';
import { OcsHttp, type OcsHttpOptions, type OcsRequest } from '../src/ocs/ocs-http.js';
import { type ListeningOcs, listenOcs, refusedOcsBase } from './support/fake-ocs.js';

/**
 * The retry engine of the OCS leg, driven directly: how many attempts reach the OCS, what is logged
 * before each repeat, and that a cancellation or the deadline during a backoff ends the call without
 * another attempt. The happy path does not enter the retry policy at all (ocs-http.ts), so these hold
 * the retries to what they were when every call ran inside it.
 */

/** An OCS answering each path from a script: `status(n)` for the n-th request to it (1-based). */
function scriptedOcs(script: Record<string, (n: number) => number>) {
  const arrived: { method: string; path: string; txid: string }[] = [];
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '').replace('/ocs/prov/v1', '');
    arrived.push({ method: req.method ?? '', path, txid: String(req.headers['x-transaction-id']) });
    req.resume();
    req.on('end', () => {
      const n = arrived.filter((a) => a.path === path).length;
      const status = script[path]?.(n) ?? 404;
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(status < 300 ? { subscriberId: 'x' } : {}));
    });
  });
  let listening: ListeningOcs | undefined;
  return {
    arrived,
    attempts: (path: string) => arrived.filter((a) => a.path === path).length,
    async start() {
      listening = await listenOcs(server);
      return listening.base;
    },
    async stop() {
      await listening?.stop();
    },
  };
}

/** An OcsHttp whose warnings are kept as parsed log records. */
function client(options: Partial<OcsHttpOptions> & { baseUrl: string }) {
  const logs: Record<string, unknown>[] = [];
  const logger = pino({ level: 'warn' }, { write: (line: string) => logs.push(JSON.parse(line)) });
  const http = new OcsHttp({ timeoutMs: 5000, backoffBaseMs: 1, logger, ...options });
  const retries = () => logs.filter((l) => l.msg === 'OCS call failed; retrying');
  return { http, logs, retries };
}

const get = (path: string, transactionId: string, signal?: Cancellation): OcsRequest => ({
  method: 'GET',
  path,
  route: '/subscribers/{id}',
  transactionId,
  signal,
  context: { entity: 'Subscriber', id: path.split('/').pop() },
});

describe('OCS retries', () => {
  const ocs = scriptedOcs({
    '/subscribers/flaky': (n) => (n < 3 ? 503 : 200),
    '/subscribers/down': () => 503,
    '/subscribers/busy': () => 429,
    '/subscribers/fine': () => 200,
    '/subscriptions/s1/balances': () => 503,
  });
  let base: string;
  beforeAll(async () => {
    base = await ocs.start();
  });
  afterAll(() => ocs.stop());

  it('a GET that succeeds first time is sent once and logs nothing', async () => {
    const { http, logs } = client({ baseUrl: base });
    const r = await http.request(get('/subscribers/fine', 't-fine'));
    expect(r).toEqual({ status: 200, body: { subscriberId: 'x' } });
    expect(ocs.attempts('/subscribers/fine')).toBe(1);
    expect(logs).toEqual([]);
    await http.close();
  });

  it('a GET answered 503 twice is repeated with the same transaction id, one warning per repeat', async () => {
    const { http, retries } = client({ baseUrl: base });
    const r = await http.request(get('/subscribers/flaky', 't-flaky'));
    expect(r.status).toBe(200);
    const tries = ocs.arrived.filter((a) => a.path === '/subscribers/flaky');
    expect(tries.map((t) => t.txid)).toEqual(['t-flaky', 't-flaky', 't-flaky']);
    expect(retries().map((l) => [l.attempt, l.status, l.transactionId])).toEqual([
      [1, 503, 't-flaky'],
      [2, 503, 't-flaky'],
    ]);
    await http.close();
  });

  it('gives up after maxAttempts with the last failure, and maxAttempts 1 never repeats', async () => {
    const three = client({ baseUrl: base });
    await expect(three.http.request(get('/subscribers/down', 't-down'))).rejects.toMatchObject({
      kind: 'unavailable',
      status: 503,
    });
    expect(ocs.attempts('/subscribers/down')).toBe(3);
    expect(three.retries()).toHaveLength(2);
    await three.http.close();

    const one = client({ baseUrl: base, maxAttempts: 1 });
    await expect(one.http.request(get('/subscribers/busy', 't-busy'))).rejects.toMatchObject({
      status: 429,
    });
    expect(ocs.attempts('/subscribers/busy')).toBe(1);
    expect(one.retries()).toEqual([]);
    await one.http.close();
  });

  it('a cancellation during the backoff ends the call as cancelled, with no further attempt', async () => {
    // A backoff far longer than the first attempt: the cancellation lands inside it.
    const { http, logs } = client({ baseUrl: base, backoffBaseMs: 200 });
    const cancel = new Cancellation();
    const before = ocs.attempts('/subscribers/down');
    const pending = http.request(get('/subscribers/down', 't-cancel', cancel));
    await until(() => logs.some((l) => l.msg === 'OCS call failed; retrying'));
    cancel.abort();
    await expect(pending).rejects.toMatchObject({ kind: 'cancelled' });
    expect(ocs.attempts('/subscribers/down') - before).toBe(1);
    await http.close();
  });

  it('the deadline passing during the backoff ends the call as a timeout, with no further attempt', async () => {
    const { http } = client({ baseUrl: base, backoffBaseMs: 400, timeoutMs: 100 });
    const before = ocs.attempts('/subscribers/down');
    await expect(http.request(get('/subscribers/down', 't-deadline'))).rejects.toMatchObject({
      kind: 'timeout',
    });
    expect(ocs.attempts('/subscribers/down') - before).toBe(1);
    await http.close();
  });

  it('a POST to an OCS that does not deduplicate is sent once after a 503, and its outcome is unknown', async () => {
    const { http, retries } = client({ baseUrl: base, backendDeduplicates: 'false' });
    await expect(
      http.request({
        method: 'POST',
        path: '/subscriptions/s1/balances',
        route: '/subscriptions/{subscriptionId}/balances',
        body: { balanceAmount: 1 },
        transactionId: 't-post',
        context: { entity: 'Subscription', id: 's1' },
      }),
    ).rejects.toMatchObject({ kind: 'outcome_unknown', status: 503 });
    expect(ocs.attempts('/subscriptions/s1/balances')).toBe(1);
    expect(retries()).toEqual([]);
    await http.close();
  });

  it('a write that never reached the OCS (connection refused) is repeated up to maxAttempts', async () => {
    const refused = await refusedOcsBase();
    const { http, retries } = client({ baseUrl: refused });
    await expect(
      http.request({
        method: 'PATCH',
        path: '/subscribers/x',
        route: '/subscribers/{id}',
        body: {},
        transactionId: 't-refused',
        context: { entity: 'Subscriber', id: 'x' },
      }),
    ).rejects.toMatchObject({ kind: 'unavailable' });
    expect(retries().map((l) => [l.attempt, l.code])).toEqual([
      [1, 'ECONNREFUSED'],
      [2, 'ECONNREFUSED'],
    ]);
    await http.close();
  });
});

async function until(predicate: () => boolean): Promise<void> {
  while (!predicate()) await new Promise((r) => setTimeout(r, 2));
}
