import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningRedis, startRedis } from '../../../../test/support/redis.js';
import { RedisRateLimiter } from '../../src/admission/index.js';
import type { ContextEnvelope } from '../../src/context-envelope/envelope.js';
import { MemoryContextStore } from '../../src/stores/context/memory.js';
import { connectRedis, RedisContextStore } from '../../src/stores/context/redis.js';

let redis: RunningRedis;
let client: Redis;
let store: RedisContextStore;

beforeAll(async () => {
  redis = await startRedis();
  client = connectRedis(redis.url, { commandTimeoutMs: 500 });
  store = new RedisContextStore(client);
});
afterAll(async () => {
  await store.close();
  client.disconnect();
  await redis.stop();
});

describe('RedisContextStore', () => {
  it('round-trips envelopes exactly like the memory store', async () => {
    const memory = new MemoryContextStore();
    const envelopes: ContextEnvelope[] = [
      { identity: { user_id: 'u1', name: 'Ada' } },
      { identity: { user_id: 'u2' }, memory: { facts: ['likes data'], messages: [] } },
      {
        memory: { messages: [{ role: 'user', content: 'hi' }] },
        docs: [{ id: 'd', title: 't', content: 'c' }],
      },
    ];
    for (const [index, envelope] of envelopes.entries()) {
      await store.put(`rt${index}`, envelope);
      await memory.put(`rt${index}`, envelope);
      expect(await store.get(`rt${index}`)).toEqual(await memory.get(`rt${index}`));
    }
    expect(await store.get('missing')).toBeUndefined();
  });

  it('patches by merging, and deletes', async () => {
    await store.put('p1', { identity: { user_id: 'p1' }, memory: { facts: ['a'] } });
    const merged = await store.patch('p1', { memory: { facts: ['b'] } });
    expect(merged.memory?.facts).toEqual(['a', 'b']);
    expect(await store.get('p1')).toEqual(merged);
    expect(await store.patch('fresh', { identity: { name: 'New' } })).toEqual({ identity: { name: 'New' } });
    expect(await store.delete('p1')).toBe(true);
    expect(await store.delete('p1')).toBe(false);
    expect(await store.get('p1')).toBeUndefined();
  });

  it('appends atomically and keeps only the newest messages', async () => {
    const second = connectRedis(redis.url);
    const other = new RedisContextStore(second);
    await Promise.all(
      Array.from({ length: 60 }, (_, index) =>
        (index % 2 ? store : other).appendMessages('a1', [{ role: 'user', content: `m${index}` }], 50),
      ),
    );
    const envelope = await store.get('a1');
    expect(envelope?.identity).toEqual({ user_id: 'a1' });
    expect(envelope?.memory?.messages).toHaveLength(50);
    await store.appendMessages('a1', [], 0);
    expect((await store.get('a1'))?.memory?.messages).toEqual([]);
    second.disconnect();
  });

  it('concurrent patches from two clients lose nothing (compare-and-set)', async () => {
    const second = connectRedis(redis.url);
    const other = new RedisContextStore(second);
    await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        (index % 2 ? store : other).patch('c1', { memory: { facts: [`f${index}`] } }),
      ),
    );
    expect((await store.get('c1'))?.memory?.facts).toHaveLength(20);
    second.disconnect();
  });

  it('fails fast with 503 while Redis is down and recovers after it restarts', async () => {
    await store.put('r1', { identity: { user_id: 'r1' } });
    await redis.kill();
    await expect(store.get('r1')).rejects.toMatchObject({ status: 503, type: 'store_unavailable' });
    await expect(store.ping()).rejects.toMatchObject({ status: 503 });
    const limiter = new RedisRateLimiter(client);
    await expect(limiter.admit('k', { rpm: 1, tpm: 0 })).rejects.toMatchObject({ status: 503 });
    await limiter.charge('k', 5);
    await redis.start();
    await expect
      .poll(
        () =>
          store.ping().then(
            () => 'up',
            () => 'down',
          ),
        { timeout: 10_000 },
      )
      .toBe('up');
    // --save "" means the restarted Redis is empty; the store works again.
    await store.put('r1', { identity: { user_id: 'r1' } });
    expect(await store.get('r1')).toEqual({ identity: { user_id: 'r1' } });
  });
});
