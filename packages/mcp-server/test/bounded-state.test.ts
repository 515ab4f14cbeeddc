import { createServer, type IncomingMessage, type Server } from 'node:http';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import type { RunningEmulator } from '@ocsai/emulator';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { McpConfig } from '../src/config.js';
import { startMcpHttpServer } from '../src/http.js';
import { closeRuntime, getRuntime } from '../src/runtime.js';
import { MemoryStateStore, StateStoreFull } from '../src/state/state-store.js';
import { ConfirmationTokens } from '../src/tool-kit/confirmation.js';
import { LEDGER_TTL_MS, TransactionLedger } from '../src/tool-kit/transaction-ledger.js';
import {
  call,
  connectInMemory,
  freshMsisdn,
  ok,
  startTestEmulator,
  TEST_SECRET,
  testConfig,
} from './helpers.js';
import { listenOcs } from './support/fake-ocs.js';

/** Passes every request on to the emulator and records what reached the OCS. */
async function recordingProxy(target: string) {
  const seen: { method: string; path: string }[] = [];
  const server: Server = createServer(async (req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const path = req.url ?? '';
    seen.push({ method: req.method ?? '', path });
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers))
      if (typeof value === 'string' && !['host', 'connection', 'content-length'].includes(name))
        headers[name] = value;
    const answer = await fetch(new URL(path, target), {
      method: req.method ?? 'GET',
      headers,
      ...(chunks.length > 0 ? { body: Buffer.concat(chunks) } : {}),
    });
    const out: Record<string, string> = {};
    answer.headers.forEach((value, name) => {
      if (!['connection', 'content-length', 'transfer-encoding', 'keep-alive'].includes(name))
        out[name] = value;
    });
    res.writeHead(answer.status, out);
    res.end(Buffer.from(await answer.arrayBuffer()));
  });
  const listening = await listenOcs(server, new URL(target).pathname);
  return { seen, url: listening.base, stop: listening.stop };
}

const MAX_ENTRIES = 40;
const FULL = /in-process state store is full \(40 live entries, MCP_STATE_MEMORY_MAX_ENTRIES\)/;

describe('a client flooding writes with fresh transaction_ids until the in-process state is full', () => {
  let emulator: RunningEmulator;
  let proxy: Awaited<ReturnType<typeof recordingProxy>>;
  let config: McpConfig;
  let client: Client;
  let subscriptionId: string;
  const topUp = (transactionId: string) => ({
    subscriptionId,
    unitType: 'EVENTS',
    balanceAmount: 10,
    transaction_id: transactionId,
  });
  const posts = () => proxy.seen.filter((r) => r.method === 'POST' && r.path.endsWith('/balances')).length;
  const deletes = () => proxy.seen.filter((r) => r.method === 'DELETE').length;
  let usedToken: { subscriberId: string; token: string };
  let unusedToken: { subscriberId: string; token: string };
  let firstFlood: Awaited<ReturnType<typeof ok>>;
  let accepted = 0;
  const logged: { msg: string; refused?: number }[] = [];

  const tokenFor = async () => {
    const { subscriber } = await ok(client, 'create_subscriber', { msisdn: freshMsisdn() });
    const held = await ok(client, 'delete_subscriber', { subscriberId: subscriber.subscriberId });
    expect(held.confirmation_required).toBe(true);
    return { subscriberId: subscriber.subscriberId as string, token: held.confirmation_token as string };
  };

  beforeAll(async () => {
    emulator = await startTestEmulator();
    proxy = await recordingProxy(emulator.url);
    config = testConfig(proxy.url, { MCP_STATE_MEMORY_MAX_ENTRIES: String(MAX_ENTRIES) });
    expect(config.stateMemoryMaxEntries).toBe(MAX_ENTRIES);
    // The runtime is made here, with a logger the test reads, before the client's server asks for it.
    getRuntime(
      config,
      pino({ level: 'warn' }, { write: (line: string) => void logged.push(JSON.parse(line)) }),
    );
    client = await connectInMemory(config, { era: 'modern' });
    const { subscriber } = await ok(client, 'create_subscriber', { msisdn: freshMsisdn() });
    const created = await ok(client, 'create_subscription', {
      subscriberId: subscriber.subscriberId,
      offerId: '1000',
      activate: true,
    });
    subscriptionId = created.subscription.subscriptionId;

    // One token used while there was room (its record is one live entry), one left unused.
    usedToken = await tokenFor();
    const deleted = await ok(client, 'delete_subscriber', {
      subscriberId: usedToken.subscriberId,
      confirmation_token: usedToken.token,
    });
    expect(deleted.deleted).toBe(true);
    unusedToken = await tokenFor();

    // The flood: fresh transaction_ids until the server refuses one.
    for (let i = 1; i <= MAX_ENTRIES + 5; i++) {
      const r = await call(client, 'create_balance', topUp(`FLOOD-${i}`));
      if (r.isError) break;
      if (i === 1) firstFlood = r.data;
      accepted = i;
    }
  });
  afterAll(async () => {
    await client?.close();
    if (config) await closeRuntime(config);
    await proxy?.stop();
    await emulator?.close();
  });

  it('accepts writes up to the bound (the used token holds one entry) and not one more', async () => {
    expect(accepted).toBe(MAX_ENTRIES - 1);
    expect(posts()).toBe(MAX_ENTRIES - 1);
  });

  it('(a) a repeat of an earlier transaction_id still gets its first result, not a second credit', async () => {
    const before = posts();
    const again = await call(client, 'create_balance', topUp('FLOOD-1'));
    expect(again.isError).toBe(false);
    expect(again.data).toEqual(firstFlood);
    expect(posts()).toBe(before);
    // A repeat with other arguments is still told the id was used, not that the store is full.
    const other = await call(client, 'create_balance', { ...topUp('FLOOD-2'), balanceAmount: 99 });
    expect(other.text).toMatch(/transaction_id FLOOD-2 was already used for another call/);
  });

  it('(b) a new write is refused with an error that says what happened and what to do, and the OCS never sees it', async () => {
    const before = posts();
    const balancesBefore = (await ok(client, 'list_balances', { subscriptionId })).total;
    const refused = await call(client, 'create_balance', topUp('FLOOD-NEW'));
    expect(refused.isError).toBe(true);
    expect(refused.text).toMatch(FULL);
    expect(refused.text).toMatch(/create_balance was not run and nothing was changed/);
    expect(refused.text).toMatch(/cannot record transaction_id FLOOD-NEW/);
    expect(refused.text).toMatch(
      /Repeat the same call later.*MCP_STATE_MEMORY_MAX_ENTRIES.*MCP_STATE_FILE or REDIS_URL/,
    );
    expect(refused.text).not.toMatch(/busy/);
    expect(posts()).toBe(before);
    expect((await ok(client, 'list_balances', { subscriptionId })).total).toBe(balancesBefore);
    // Refused, not recorded: the same id is refused again rather than replayed as a result.
    expect((await call(client, 'create_balance', topUp('FLOOD-NEW'))).text).toMatch(FULL);
    expect(posts()).toBe(before);
  });

  it('(c) a confirmation token used once is still refused the second time when the store is full', async () => {
    const replay = await call(client, 'delete_subscriber', {
      subscriberId: usedToken.subscriberId,
      confirmation_token: usedToken.token,
    });
    expect(replay.isError).toBe(true);
    expect(replay.text).toMatch(/Confirmation token refused \(token was already used\)/);
    expect(deletes()).toBe(1);
  });

  it('(c) a fresh confirmation token is not accepted while its use cannot be recorded (fail closed)', async () => {
    const attempt = await call(client, 'delete_subscriber', {
      subscriberId: unusedToken.subscriberId,
      confirmation_token: unusedToken.token,
    });
    expect(attempt.isError).toBe(true);
    expect(attempt.text).toMatch(FULL);
    expect(attempt.text).toMatch(/a confirmation it cannot record is not accepted/);
    expect(deletes()).toBe(1);
    expect(
      (await ok(client, 'get_subscriber', { subscriberId: unusedToken.subscriberId })).subscriber,
    ).toBeDefined();
  });

  it('the refusals are logged once a minute with their count, not once per call', async () => {
    for (let i = 0; i < 5; i++) await call(client, 'create_balance', topUp(`FLOOD-LOG-${i}`));
    const warnings = logged.filter((line) => line.msg === 'state store full: calls refused');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.refused).toBe(1);
  });

  it('a write without a transaction_id keeps no ledger entry and still runs', async () => {
    const before = posts();
    const r = await call(client, 'create_balance', { subscriptionId, unitType: 'EVENTS', balanceAmount: 1 });
    expect(r.isError).toBe(false);
    expect(posts()).toBe(before + 1);
  });
});

describe('the same flood over Streamable HTTP, with the official SDK client', () => {
  it('replays a recorded id and refuses a new one once full, sending the OCS nothing for it', async () => {
    const emulator = await startTestEmulator();
    const proxy = await recordingProxy(emulator.url);
    const config = testConfig(proxy.url, { MCP_STATE_MEMORY_MAX_ENTRIES: '3' });
    const http = await startMcpHttpServer({ ...config, host: '127.0.0.1', port: 0 });
    const client = new Client({ name: 'flooder', version: '1' });
    try {
      await client.connect(new StreamableHTTPClientTransport(new URL(http.url)));
      const { subscriber } = await ok(client, 'create_subscriber', { msisdn: freshMsisdn() });
      const created = await ok(client, 'create_subscription', {
        subscriberId: subscriber.subscriberId,
        offerId: '1000',
      });
      const args = (id: string) => ({
        subscriptionId: created.subscription.subscriptionId,
        unitType: 'EVENTS',
        balanceAmount: 5,
        transaction_id: id,
      });
      const first = await ok(client, 'create_balance', args('H-1'));
      await ok(client, 'create_balance', args('H-2'));
      await ok(client, 'create_balance', args('H-3'));
      const posts = () =>
        proxy.seen.filter((r) => r.method === 'POST' && r.path.endsWith('/balances')).length;
      expect(posts()).toBe(3);
      expect(await ok(client, 'create_balance', args('H-1'))).toEqual(first);
      const refused = await call(client, 'create_balance', args('H-4'));
      expect(refused.isError).toBe(true);
      expect(refused.text).toMatch(
        /in-process state store is full \(3 live entries, MCP_STATE_MEMORY_MAX_ENTRIES\)/,
      );
      expect(posts()).toBe(3);
    } finally {
      await client.close();
      await http.close();
      await proxy.stop();
      await emulator.close();
    }
  });
});

describe('MemoryStateStore bound', () => {
  it('refuses a new key when full, keeps every live one, and still answers for the keys it holds', async () => {
    const store = new MemoryStateStore({ maxEntries: 3, now: () => 0 });
    for (const k of ['a', 'b', 'c']) expect(await store.putIfAbsent(k, k, 1000)).toBe(true);
    await expect(store.putIfAbsent('d', 'd', 1000)).rejects.toBeInstanceOf(StateStoreFull);
    // A key already held is "taken", not "full".
    expect(await store.putIfAbsent('a', 'again', 1000)).toBe(false);
    expect(await store.get('a')).toBe('a');
    // Overwriting a held key (a ledger settle) is never refused.
    await store.set('b', 'settled', 5000);
    expect(await store.get('b')).toBe('settled');
    expect(store.size).toBe(3);
    await store.delete('c');
    expect(await store.putIfAbsent('d', 'd', 1000)).toBe(true);
  });

  it('(d) after ledger entries and used tokens expire, new ones are accepted again', async () => {
    let now = 1_000_000;
    const store = new MemoryStateStore({ maxEntries: 5, now: () => now });
    const ledger = new TransactionLedger(store);
    const tokens = new ConfirmationTokens(TEST_SECRET, store, () => now);
    const { token } = tokens.issue('alice', 'delete_subscriber', { subscriberId: 's' });
    expect((await tokens.redeem(token, 'alice', 'delete_subscriber', { subscriberId: 's' })).ok).toBe(true);
    for (let i = 0; i < 4; i++) {
      expect(await ledger.claim('mallory', `t${i}`, 'create_balance', 'd')).toBe(true);
      await ledger.settle('mallory', `t${i}`, { tool: 'create_balance', digest: 'd', state: 'done' });
    }
    await expect(ledger.claim('alice', 'mine', 'create_balance', 'd')).rejects.toBeInstanceOf(StateStoreFull);
    const fresh = tokens.issue('alice', 'delete_subscriber', { subscriberId: 's2' });
    await expect(
      tokens.redeem(fresh.token, 'alice', 'delete_subscriber', { subscriberId: 's2' }),
    ).rejects.toBeInstanceOf(StateStoreFull);
    // The used token stays used while full.
    expect(await tokens.redeem(token, 'alice', 'delete_subscriber', { subscriberId: 's' })).toEqual({
      ok: false,
      reason: 'token was already used',
    });

    // The token's record goes first (minutes), the ledger entries after 24 hours.
    now += 10 * 60 * 1000;
    expect(store.size).toBe(4);
    expect((await tokens.redeem(fresh.token, 'alice', 'delete_subscriber', { subscriberId: 's2' })).ok).toBe(
      false,
    );
    expect(await ledger.lookup('mallory', 't0')).toMatchObject({ state: 'done' });
    now += LEDGER_TTL_MS;
    expect(store.size).toBe(0);
    expect(await ledger.claim('alice', 'mine', 'create_balance', 'd')).toBe(true);
  });

  it('expires keys in expiry order, not insertion order: a short TTL behind long ones frees its slot', async () => {
    let now = 0;
    const store = new MemoryStateStore({ maxEntries: 3, now: () => now });
    await store.putIfAbsent('long-1', 'x', 1_000_000);
    await store.putIfAbsent('long-2', 'x', 1_000_000);
    await store.putIfAbsent('short', 'x', 10);
    now = 11;
    expect(await store.putIfAbsent('next', 'x', 10)).toBe(true);
    expect(await store.get('long-1')).toBe('x');
    expect(await store.get('short')).toBeUndefined();
  });

  it('agrees with a plain model of live keys over many random operations', async () => {
    let now = 0;
    const max = 50;
    const store = new MemoryStateStore({ maxEntries: max, now: () => now });
    const model = new Map<string, { value: string; expires: number }>();
    // mulberry32: a fixed seed, so a failure repeats.
    let seed = 42;
    const rand = (n: number) => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t ^= t + Math.imul(t ^ (t >>> 7), 61 | t);
      return ((t ^ (t >>> 14)) >>> 0) % n;
    };
    let refusals = 0;
    const liveModel = () => {
      for (const [k, e] of model) if (e.expires <= now) model.delete(k);
    };
    for (let step = 0; step < 20_000; step++) {
      now += rand(5);
      const key = `k${rand(120)}`;
      const ttl = 1 + rand(400);
      const op = rand(10);
      liveModel();
      if (op < 5) {
        const held = model.has(key);
        const full = !held && model.size >= max;
        if (full) {
          refusals++;
          await expect(store.putIfAbsent(key, `v${step}`, ttl)).rejects.toBeInstanceOf(StateStoreFull);
        } else {
          expect(await store.putIfAbsent(key, `v${step}`, ttl)).toBe(!held);
          if (!held) model.set(key, { value: `v${step}`, expires: now + ttl });
        }
      } else if (op < 7) {
        await store.set(key, `s${step}`, ttl);
        model.set(key, { value: `s${step}`, expires: now + ttl });
      } else if (op < 8) {
        await store.delete(key);
        model.delete(key);
      } else expect(await store.get(key)).toBe(model.get(key)?.value);
      if (step % 97 === 0) expect(store.size).toBe(model.size);
    }
    // The walk did reach the bound, or it would not test refusing.
    expect(refusals).toBeGreaterThan(100);
  });
});
