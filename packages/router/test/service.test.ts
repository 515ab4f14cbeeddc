import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadRouterConfig } from '../src/config.js';
import { contextEnvelopeJsonSchema } from '../src/context-envelope/envelope.js';
import { startRouter } from '../src/index.js';
import { listen } from '../src/server.js';
import { FAKE_KEYS } from './fakes/index.js';
import { startAllFakes } from './support/fake-upstreams.js';
import { captureLogs, createTestRouter, json, parseSse } from './support/test-router.js';

let upstreams: Awaited<ReturnType<typeof startAllFakes>>;
const dir = mkdtempSync(join(tmpdir(), 'router-service-'));
beforeAll(async () => {
  upstreams = await startAllFakes();
});
afterAll(async () => {
  await upstreams?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}/v1`;
}

describe('configuration', () => {
  it('applies defaults', () => {
    expect(loadRouterConfig({})).toMatchObject({
      ROUTER_HOST: '127.0.0.1',
      ROUTER_PORT: 8000,
      LLM_PROVIDER: 'ollama',
      ROUTER_STORE: 'sqlite',
      ROUTER_DB: './data/router.sqlite',
      ROUTER_MAX_BODY_BYTES: 1048576,
      ROUTER_MEMORY_MAX_MESSAGES: 20,
      LOG_LEVEL: 'info',
      ROUTER_MAX_TOOL_STEPS: 8,
    });
    expect(loadRouterConfig({ ROUTER_PORT: '', LLM_PROVIDER: '' }).ROUTER_PORT).toBe(8000);
  });

  it('fails fast naming the bad variable', () => {
    expect(() => loadRouterConfig({ ROUTER_PORT: 'eighty' })).toThrow(/ROUTER_PORT/);
    expect(() => loadRouterConfig({ LLM_PROVIDER: 'gemini' })).toThrow(/LLM_PROVIDER/);
    expect(() => loadRouterConfig({ ROUTER_STORE: 'redis' })).toThrow(/ROUTER_STORE/);
  });

  it('startRouter rejects bad configuration before listening', async () => {
    await expect(startRouter({ env: { ROUTER_PORT: '-1' }, logger: false })).rejects.toThrow(/ROUTER_PORT/);
  });
});

describe('system endpoints', () => {
  it('/health reports the package version; unknown routes are JSON 404s', async () => {
    const { app } = createTestRouter();
    const version = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version;
    expect(await (await app.request('/health')).json()).toEqual({
      status: 'ok',
      service: 'ocs-router',
      version,
    });
    const missing = await app.request('/nope');
    expect(missing.status).toBe(404);
    expect((await missing.json()).error.type).toBe('not_found');
  });

  it('/ready is 503 naming the missing variable when the default provider is not configured', async () => {
    const router = await startRouter({
      env: { ROUTER_STORE: 'memory', LLM_PROVIDER: 'openai' },
      port: 0,
      logger: false,
    });
    try {
      const res = await fetch(`${router.url}/ready`);
      expect(res.status).toBe(503);
      const body = await res.json();
      expect(body.status).toBe('not_ready');
      expect(body.reasons.join(' ')).toContain('OPENAI_API_KEY');
      const ask = await fetch(`${router.url}/ask`, json({ message: 'x' }));
      expect(ask.status).toBe(400);
      expect((await ask.json()).error.message).toContain('OPENAI_API_KEY');
    } finally {
      await router.close();
    }
  });

  it('/ready is 200 when store and default provider are fine', async () => {
    const { app } = createTestRouter();
    expect(await (await app.request('/ready')).json()).toEqual({
      status: 'ready',
      provider: 'openai',
      store: 'memory',
    });
    const { app: unconfigured } = createTestRouter({ unconfigured: ['openai'] });
    const res = await unconfigured.request('/ready');
    expect(res.status).toBe(503);
    expect((await res.json()).reasons[0]).toContain('OPENAI_API_KEY');
  });

  it('/schema/context.json serves the committed schema/context.schema.json', async () => {
    const file = new URL('../../../schema/context.schema.json', import.meta.url);
    const current = `${JSON.stringify(contextEnvelopeJsonSchema(), null, 2)}\n`;
    if (process.env.UPDATE_SCHEMA === '1') writeFileSync(file, current);
    const committed = readFileSync(file, 'utf8');
    expect(
      committed,
      'schema/context.schema.json is stale: run `npm run -w packages/router schema` (or UPDATE_SCHEMA=1 vitest)',
    ).toBe(current);
    const { app } = createTestRouter();
    const res = await app.request('/schema/context.json');
    expect(res.headers.get('content-type')).toContain('application/schema+json');
    expect(await res.json()).toEqual(JSON.parse(committed));
  });

  it('/metrics exposes request, upstream and overhead series', async () => {
    const { app } = createTestRouter();
    await app.request('/ask', json({ message: 'x' }));
    await (await app.request('/ask', json({ message: 'x', stream: true }))).text();
    await app.request('/ask', json({ message: 'x', provider: 'nope' }));
    const text = await (await app.request('/metrics')).text();
    expect(text).toContain('router_http_requests_total{route="/ask",method="POST",status="200"} 2');
    expect(text).toContain('router_http_requests_total{route="/ask",method="POST",status="400"} 1');
    expect(text).toContain('router_upstream_latency_seconds_count{provider="openai"} 2');
    expect(text).toMatch(/router_overhead_seconds_count\{route="\/ask"\} 3/);
  });
});

describe('running service', () => {
  it('aborts the upstream at once when the client disconnects mid-stream', async () => {
    const fake = upstreams.fakes.openai;
    const router = await startRouter({
      env: { ...upstreams.env, LLM_PROVIDER: 'openai' },
      port: 0,
      logger: false,
    });
    try {
      const before = fake.aborted;
      fake.setScript([{ text: 'a b c d e f g h i j k l m n o p', chunkDelayMs: 300 }]);
      const controller = new AbortController();
      const res = await fetch(`${router.url}/ask`, {
        ...json({ message: 'long', stream: true }),
        signal: controller.signal,
      });
      const reader = res.body!.getReader();
      const first = await reader.read();
      expect(new TextDecoder().decode(first.value)).toContain('event: delta');
      controller.abort();
      await vi.waitFor(() => expect(fake.aborted).toBe(before + 1), { timeout: 5000, interval: 20 });

      // A plain request waiting for headers is cancelled the same way.
      fake.setScript([{ hangBeforeHeaders: true }]);
      const plain = new AbortController();
      const pending = fetch(`${router.url}/ask`, {
        ...json({ message: 'wait' }),
        signal: plain.signal,
      }).catch(() => 'aborted');
      await vi.waitFor(() => expect(fake.requests.at(-1)?.body.messages[0].content).toBe('wait'));
      plain.abort();
      expect(await pending).toBe('aborted');
      await vi.waitFor(() => expect(fake.aborted).toBe(before + 2), { timeout: 5000, interval: 20 });
    } finally {
      await router.close();
    }
  });

  it('close() stops accepting but lets an in-flight stream finish', async () => {
    const router = await startRouter({
      env: { ...upstreams.env, LLM_PROVIDER: 'openai' },
      port: 0,
      logger: false,
    });
    upstreams.fakes.openai.setScript([{ text: 'one two three four', chunkDelayMs: 40 }]);
    const res = await fetch(`${router.url}/ask`, json({ message: 'x', stream: true }));
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = decoder.decode((await reader.read()).value);
    const closed = router.close();
    for (let step = await reader.read(); !step.done; step = await reader.read())
      text += decoder.decode(step.value);
    await closed;
    expect(parseSse(text).at(-1)).toMatchObject({ event: 'done', data: { content: 'one two three four' } });
    await expect(fetch(`${router.url}/health`)).rejects.toThrow();
  });

  it('close() cuts a never-ending stream after the grace period and aborts its upstream', async () => {
    const { app, adapters } = createTestRouter();
    const server = await listen(app, '127.0.0.1', 0, { shutdownGraceMs: 50 });
    adapters.openai.next = { chunks: ['first'], hang: true };
    const res = await fetch(`${server.url}/ask`, json({ message: 'x', stream: true }));
    const reader = res.body!.getReader();
    await reader.read();
    await server.close();
    await reader.read().catch(() => undefined);
    await vi.waitFor(() => expect(adapters.openai.aborted).toBe(1));
  });

  it('keeps API keys out of logs and error bodies', async () => {
    const { logger, lines } = captureLogs('trace');
    const unreachable = await closedPortUrl();
    const env = {
      ...upstreams.env,
      LLM_PROVIDER: 'anthropic',
      LMSTUDIO_API_KEY: FAKE_KEYS.lmstudio,
      LMSTUDIO_BASE_URL: unreachable,
    };
    const router = await startRouter({ env, port: 0, logger });
    const bodies: string[] = [];
    try {
      upstreams.fakes.anthropic.setScript([
        { text: 'fine' },
        { error: { status: 401 } },
        {
          text: 'streamed',
          streamError: {
            afterChunks: 2,
            body: { type: 'error', error: { type: 'api_error', message: 'x' } },
          },
        },
      ]);
      bodies.push(await (await fetch(`${router.url}/ask`, json({ message: 'one' }))).text());
      bodies.push(await (await fetch(`${router.url}/ask`, json({ message: 'two' }))).text());
      bodies.push(await (await fetch(`${router.url}/ask`, json({ message: 'three', stream: true }))).text());
      const unreachableRes = await fetch(`${router.url}/ask`, json({ message: 'x', provider: 'lmstudio' }));
      expect(unreachableRes.status).toBe(502);
      bodies.push(await unreachableRes.text());
      expect(bodies[3]).toContain('upstream_unreachable');
      expect(bodies[3]).toContain('127.0.0.1');
      bodies.push(
        await (
          await fetch(
            `${router.url}/ask`,
            json({ message: 'x' }, { authorization: `Bearer ${FAKE_KEYS.openai}` }),
          )
        ).text(),
      );
    } finally {
      await router.close();
    }
    const everything = lines.join('') + bodies.join('');
    for (const key of Object.values(FAKE_KEYS)) expect(everything).not.toContain(key);
    const access = lines.map((line) => JSON.parse(line)).filter((entry) => entry.msg === 'request');
    expect(access.length).toBeGreaterThanOrEqual(5);
    expect(access[0]).toMatchObject({
      method: 'POST',
      path: '/ask',
      status: 200,
      provider: 'anthropic',
      model: 'claude-fake',
    });
    expect(access[0].reqId).toEqual(expect.any(String));
    expect(access[0].latency_ms).toEqual(expect.any(Number));
  });

  it('redacts secrets if someone logs them', () => {
    const { logger, lines } = captureLogs();
    logger.info({
      headers: { authorization: 'Bearer s3cret', 'x-api-key': 's3cret' },
      config: { OPENAI_API_KEY: 's3cret' },
    });
    expect(lines.join('')).not.toContain('s3cret');
  });

  it('persists context in the default sqlite store across a restart', async () => {
    const env = {
      ...upstreams.env,
      ROUTER_STORE: 'sqlite',
      ROUTER_DB: join(dir, 'data', 'router.sqlite'),
      LLM_PROVIDER: 'ollama',
    };
    const first = await startRouter({ env, port: 0, logger: false });
    const put = await fetch(`${first.url}/context/persist-me`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ memory: { facts: ['survives restarts'] } }),
    });
    expect(put.status).toBe(200);
    upstreams.fakes.ollama.setScript([{ text: 'noted' }]);
    expect(
      (await fetch(`${first.url}/ask`, json({ message: 'remember', user_id: 'persist-me' }))).status,
    ).toBe(200);
    await first.close();

    const second = await startRouter({ env, port: 0, logger: false });
    try {
      const stored = await (await fetch(`${second.url}/context/persist-me`)).json();
      expect(stored.memory).toEqual({
        facts: ['survives restarts'],
        messages: [
          { role: 'user', content: 'remember' },
          { role: 'assistant', content: 'noted' },
        ],
      });
    } finally {
      await second.close();
    }
  });
});
