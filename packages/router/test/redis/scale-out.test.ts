import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningRedis, startRedis } from '../../../../test/support/redis.js';
import { startRouter } from '../../src/index.js';
import { startAllFakes } from '../support/fake-upstreams.js';
import { json } from '../support/test-router.js';

const KEY = 'scale-out-test-key-0123456789';
const auth = { authorization: `Bearer ${KEY}` };

let redis: RunningRedis;
let upstreams: Awaited<ReturnType<typeof startAllFakes>>;
let first: Awaited<ReturnType<typeof startRouter>>;
let second: Awaited<ReturnType<typeof startRouter>>;

beforeAll(async () => {
  [redis, upstreams] = await Promise.all([startRedis(), startAllFakes()]);
  const env = {
    ...upstreams.env,
    LLM_PROVIDER: 'openai',
    ROUTER_STORE: 'redis',
    REDIS_URL: redis.url,
    REDIS_COMMAND_TIMEOUT_MS: '500',
    ROUTER_API_KEYS: KEY,
    ROUTER_RATE_LIMIT_RPM: '8',
  };
  [first, second] = await Promise.all([
    startRouter({ env, port: 0, logger: false }),
    startRouter({ env, port: 0, logger: false }),
  ]);
  upstreams.fakes.openai.setScript(() => ({ text: 'stored answer' }));
});
afterAll(async () => {
  await Promise.all([first?.close(), second?.close()]);
  await Promise.all([redis?.stop(), upstreams?.close()]);
});

describe('two routers sharing one Redis', () => {
  it('a context written through one is read through the other, rate limits are shared', async () => {
    // Fixed one-minute windows: stay clear of a minute boundary so all requests count in one window.
    const remaining = 60_000 - (Date.now() % 60_000);
    if (remaining < 5000) await new Promise((resolve) => setTimeout(resolve, remaining + 50));

    const put = await fetch(`${first.url}/context/shared-user`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', ...auth },
      body: JSON.stringify({ identity: { user_id: 'shared-user', name: 'Grace' } }),
    });
    expect(put.status).toBe(200);
    const read = await fetch(`${second.url}/context/shared-user`, { headers: auth });
    expect(await read.json()).toMatchObject({ identity: { name: 'Grace' } });

    // An /ask through the second router remembers the turn where the first one can see it.
    const asked = await fetch(
      `${second.url}/ask`,
      json({ message: 'remember me', user_id: 'shared-user' }, auth),
    );
    expect(asked.status).toBe(200);
    const after = await (await fetch(`${first.url}/context/shared-user`, { headers: auth })).json();
    expect(after.memory.messages.map((m: { content: string }) => m.content)).toEqual([
      'remember me',
      'stored answer',
    ]);

    // 4 requests so far; 4 more fill RPM=8 across both routers, the next one is refused by either.
    const statuses: number[] = [];
    for (const router of [first, second, first, second, first, second]) {
      statuses.push((await fetch(`${router.url}/context/shared-user`, { headers: auth })).status);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
  });

  it('answers 503 while Redis is down and recovers after it restarts', async () => {
    await redis.kill();
    const during = await fetch(`${first.url}/context/anyone`, { headers: auth });
    expect(during.status).toBe(503);
    expect(during.headers.get('retry-after')).toBe('1');
    expect((await during.json()).error.type).toMatch(/unavailable/);
    expect((await fetch(`${second.url}/ready`)).status).toBe(503);
    expect((await fetch(`${second.url}/health`)).status).toBe(200);

    await redis.start();
    await expect
      .poll(async () => (await fetch(`${second.url}/ready`)).status, { timeout: 10_000, interval: 100 })
      .toBe(200);
    const put = await fetch(`${second.url}/context/after-restart`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', ...auth },
      body: JSON.stringify({ identity: { user_id: 'after-restart' } }),
    });
    expect(put.status).toBe(200);
    expect((await fetch(`${first.url}/context/after-restart`, { headers: auth })).status).toBe(200);
  });
});
