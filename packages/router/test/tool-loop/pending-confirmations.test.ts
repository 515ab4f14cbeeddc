import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createPendingConfirmationStore,
  MemoryPendingConfirmationStore,
  type PendingConfirmationStore,
  RedisPendingConfirmationStore,
  SqlitePendingConfirmationStore,
} from '../../src/stores/pending-confirmations/index.js';

const dir = mkdtempSync(join(tmpdir(), 'router-pending-'));
// A real redis-server on a unix socket (no TCP port at all).
const socket = join(dir, 'redis.sock');
let redisServer: ChildProcess | undefined;
let redis: Redis | undefined;
beforeAll(async () => {
  redisServer = spawn(
    'redis-server',
    ['--port', '0', '--unixsocket', socket, '--save', '', '--appendonly', 'no'],
    {
      stdio: 'ignore',
    },
  );
  for (let attempt = 0; attempt < 100 && !existsSync(socket); attempt++)
    await new Promise((r) => setTimeout(r, 20));
  redis = new Redis({ path: socket, lazyConnect: false });
});
afterAll(async () => {
  await redis?.quit().catch(() => {});
  redisServer?.kill();
  rmSync(dir, { recursive: true, force: true });
});

const entry = (id: string, userId: string, createdAt: number, expiresAt: number) => ({
  id,
  userId,
  createdAt,
  expiresAt,
  state: { messages: [{ role: 'user', content: `hi ${id}` }] },
});

describe.each([
  ['memory', () => new MemoryPendingConfirmationStore()],
  ['sqlite', () => new SqlitePendingConfirmationStore(join(dir, 'nested', 'router.sqlite'))],
  ['redis', () => new RedisPendingConfirmationStore(redis as Redis)],
] as const)('%s pending confirmations', (_kind, create) => {
  it('peek reads an entry without taking it, so a refused answer leaves it for the right one', async () => {
    const store: PendingConfirmationStore = create();
    const now = 2_000_000;
    await store.put(entry('p1', 'alice', now, now + 60_000));
    expect(await store.peek('p1')).toEqual(entry('p1', 'alice', now, now + 60_000));
    expect(await store.peek('p1')).toEqual(entry('p1', 'alice', now, now + 60_000));
    expect(await store.peek('nope')).toBeUndefined();
    expect((await store.take('p1', 'alice', now)).status).toBe('ok');
    expect(await store.peek('p1')).toBeUndefined();
    await store.close();
  });

  it('hands an entry only to its user, once, and reports expiry', async () => {
    const store: PendingConfirmationStore = create();
    const now = 1_000_000;
    await store.put(entry('c1', 'alice', now, now + 60_000));
    await store.put(entry('c2', 'alice', now, now + 10));
    expect(await store.take('c1', 'mallory', now)).toEqual({ status: 'not_found' });
    expect(await store.take('c1', 'alice', now)).toEqual({
      status: 'ok',
      entry: entry('c1', 'alice', now, now + 60_000),
    });
    expect(await store.take('c1', 'alice', now)).toEqual({ status: 'not_found' });
    expect(await store.take('c2', 'alice', now + 11)).toMatchObject({ status: 'expired' });
    expect(await store.take('nope', 'alice', now)).toEqual({ status: 'not_found' });
    if (store.kind !== 'redis') {
      // Long-expired entries are purged when new ones arrive (Redis expires keys by itself).
      await store.put(entry('old', 'bob', now, now + 1));
      await store.put(entry('new', 'bob', now + 2 * 60 * 60 * 1000, now + 3 * 60 * 60 * 1000));
      expect(await store.take('old', 'bob', now + 2 * 60 * 60 * 1000)).toEqual({ status: 'not_found' });
    }
    await store.close();
  });
});

describe('pending confirmation backends', () => {
  it('follow ROUTER_STORE, and a sqlite entry survives a restart', async () => {
    const file = join(dir, 'restart.sqlite');
    expect(createPendingConfirmationStore({ ROUTER_STORE: 'memory', ROUTER_DB: file }).kind).toBe('memory');
    expect(createPendingConfirmationStore({ ROUTER_STORE: 'redis', ROUTER_DB: file }, redis).kind).toBe(
      'redis',
    );
    const first = createPendingConfirmationStore({ ROUTER_STORE: 'sqlite', ROUTER_DB: file });
    expect(first.kind).toBe('sqlite');
    await first.put(entry('keep', 'carol', Date.now(), Date.now() + 60_000));
    await first.close();
    const second = createPendingConfirmationStore({ ROUTER_STORE: 'sqlite', ROUTER_DB: file });
    expect(await second.take('keep', 'carol')).toMatchObject({ status: 'ok' });
    await second.close();
  });
});

describe('the in-process pending confirmation store under a flood', () => {
  it('refuses a new confirmation when full instead of forgetting one a human may still answer', async () => {
    const store = new MemoryPendingConfirmationStore({ maxEntries: 3 });
    const now = 5_000_000;
    for (const id of ['a', 'b', 'c']) await store.put(entry(id, 'mallory', now, now + 60_000));
    await expect(store.put(entry('d', 'mallory', now, now + 60_000))).rejects.toMatchObject({
      status: 503,
      type: 'confirmation_store_full',
      message: expect.stringMatching(/cannot hold another confirmation .*: 3 are waiting for an answer/),
    });
    expect(await store.peek('d')).toBeUndefined();
    for (const id of ['a', 'b', 'c']) expect(await store.peek(id)).toMatchObject({ id });
    // Taking one (the human answered) frees its place.
    expect((await store.take('b', 'mallory', now)).status).toBe('ok');
    await store.put(entry('d', 'mallory', now, now + 60_000));
    expect(await store.peek('d')).toMatchObject({ id: 'd' });
  });

  it('forgets entries an hour after they expire, and then has room again', async () => {
    const store = new MemoryPendingConfirmationStore({ maxEntries: 2 });
    const now = 5_000_000;
    await store.put(entry('a', 'u', now, now + 60_000));
    await store.put(entry('b', 'u', now, now + 60_000));
    // Expired but within the grace: still answered "expired", still holding its place.
    await expect(store.put(entry('c', 'u', now + 120_000, now + 180_000))).rejects.toMatchObject({
      status: 503,
    });
    const later = now + 60_000 + 60 * 60 * 1000;
    await store.put(entry('c', 'u', later, later + 60_000));
    expect(await store.peek('a')).toBeUndefined();
    expect(await store.peek('b')).toBeUndefined();
    expect(await store.take('c', 'u', later)).toMatchObject({ status: 'ok' });
  });

  it('bounds the characters held too: one huge conversation is refused, small ones still fit', async () => {
    const now = 5_000_000;
    // Every id is one letter, so each small entry is exactly this long.
    const size = JSON.stringify(entry('a', 'u', now, now + 60_000)).length;
    const store = new MemoryPendingConfirmationStore({ maxEntries: 100, maxChars: size * 3 });
    const huge = {
      ...entry('huge', 'mallory', now, now + 60_000),
      state: { messages: ['x'.repeat(size * 3)] },
    };
    await expect(store.put(huge)).rejects.toMatchObject({
      status: 503,
      message: expect.stringMatching(/this one needs \d+/),
    });
    for (const id of ['a', 'b', 'c']) await store.put(entry(id, 'u', now, now + 60_000));
    await expect(store.put(entry('d', 'u', now, now + 60_000))).rejects.toMatchObject({ status: 503 });
    // What a take frees is counted back.
    expect((await store.take('a', 'u', now)).status).toBe('ok');
    await store.put(entry('d', 'u', now, now + 60_000));
    expect(await store.peek('d')).toMatchObject({ id: 'd' });
  });
});
