import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningRedis, startRedis } from '../../../../test/support/redis.js';
import { startRouter } from '../../src/index.js';
import { connectRedis } from '../../src/stores/context/redis.js';
import {
  MemoryResponseStore,
  RedisResponseStore,
  type ResponseStore,
  SqliteResponseStore,
  type StoredResponse,
} from '../../src/stores/responses/index.js';
import { startAllFakes } from '../support/fake-upstreams.js';

/** The three response store backends behave alike: principal-scoped, expiring, deletable. */
const dir = mkdtempSync(join(tmpdir(), 'router-responses-'));
let redis: RunningRedis;
let client: Redis;

beforeAll(async () => {
  redis = await startRedis();
  client = connectRedis(redis.url, { commandTimeoutMs: 500 });
});
afterAll(async () => {
  client?.disconnect();
  await redis?.stop();
});

const entry = (id: string, principalId: string, createdAt = Date.now()): StoredResponse => ({
  id,
  principalId,
  createdAt,
  expiresAt: createdAt + 60_000,
  conversation: [
    { role: 'user', content: 'hi' },
    { role: 'assistant', content: '', toolCalls: [{ id: 'c1', name: 'f', arguments: { a: 1 } }] },
  ],
  response: { id, object: 'response', output: [] },
});

const backends: [string, () => ResponseStore][] = [
  ['memory', () => new MemoryResponseStore()],
  ['sqlite', () => new SqliteResponseStore(join(dir, `store-${Math.random()}.db`))],
  ['redis', () => new RedisResponseStore(client)],
];

describe.each(backends)('%s response store', (_kind, create) => {
  it("returns an entry to its principal only, and another principal's delete removes nothing", async () => {
    const store = create();
    const id = `resp_${Math.random()}`;
    const stored = entry(id, 'alice');
    await store.put(stored);
    expect(await store.get(id, 'alice')).toEqual(stored);
    expect(await store.get(id, 'bob')).toBeUndefined();
    expect(await store.delete(id, 'bob')).toBe(false);
    expect(await store.get(id, 'alice')).toBeDefined();
    expect(await store.delete(id, 'alice')).toBe(true);
    expect(await store.get(id, 'alice')).toBeUndefined();
    expect(await store.delete(id, 'alice')).toBe(false);
    await store.close();
  });

  it('an expired entry is gone', async () => {
    const store = create();
    const id = `resp_${Math.random()}`;
    const stored = entry(id, 'alice');
    await store.put(stored);
    expect(await store.get(id, 'alice', stored.expiresAt + 1)).toBeUndefined();
    await store.close();
  });
});

describe('bounds', () => {
  it('the memory backend keeps at most maxEntries, dropping the oldest', async () => {
    const store = new MemoryResponseStore({ maxEntries: 2 });
    for (const id of ['a', 'b', 'c']) await store.put(entry(id, 'p'));
    expect(await store.get('a', 'p')).toBeUndefined();
    expect(await store.get('b', 'p')).toBeDefined();
    expect(await store.get('c', 'p')).toBeDefined();
  });
});

describe('ROUTER_STORE=sqlite', () => {
  it('a stored response survives a router restart and is continued with previous_response_id', async () => {
    const upstreams = await startAllFakes();
    const env = {
      ...upstreams.env,
      LLM_PROVIDER: 'openai',
      ROUTER_STORE: 'sqlite',
      ROUTER_DB: join(dir, 'router.db'),
    };
    try {
      upstreams.fakes.openai.setScript([{ text: 'first' }, { text: 'second' }]);
      const first = await startRouter({ env, port: 0, logger: false });
      const before = new OpenAI({ baseURL: `${first.url}/v1`, apiKey: 'local', maxRetries: 0 });
      const answer = await before.responses.create({ model: 'gpt-fake', input: 'remember 42' });
      await first.close();

      const second = await startRouter({ env, port: 0, logger: false });
      try {
        const after = new OpenAI({ baseURL: `${second.url}/v1`, apiKey: 'local', maxRetries: 0 });
        expect((await after.responses.retrieve(answer.id)).output_text).toBe('first');
        const next = await after.responses.create({
          model: 'gpt-fake',
          input: 'what number?',
          previous_response_id: answer.id,
        });
        expect(next.output_text).toBe('second');
        const sent = JSON.stringify(upstreams.fakes.openai.requests.at(-1)?.body.messages);
        expect(sent).toContain('remember 42');
        expect(sent).toContain('first');
      } finally {
        await second.close();
      }
    } finally {
      await upstreams.close();
    }
  });
});
