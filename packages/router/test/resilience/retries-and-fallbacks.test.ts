import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startRouter } from '../../src/index.js';
import { PROVIDER_NAMES, type ProviderName } from '../../src/providers/types.js';
import { startAllFakes } from '../support/fake-upstreams.js';
import { json, parseSse } from '../support/test-router.js';

let upstreams: Awaited<ReturnType<typeof startAllFakes>>;
const routers: Awaited<ReturnType<typeof startRouter>>[] = [];

beforeAll(async () => {
  upstreams = await startAllFakes();
});
/** Chat requests each fake received since the current test began. */
const calls = {} as Record<ProviderName, () => number>;
beforeEach(() => {
  for (const name of PROVIDER_NAMES) {
    const fake = upstreams.fakes[name];
    const start = fake.requests.length;
    calls[name] = () => fake.requests.length - start;
  }
});
afterEach(async () => {
  await Promise.all(routers.splice(0).map((router) => router.close()));
});
afterAll(async () => {
  await upstreams.close();
});

/** A router over the fakes with fast backoff; `env` adds or overrides variables. */
async function router(env: Record<string, string> = {}) {
  const started = await startRouter({
    env: { ...upstreams.env, LLM_PROVIDER: 'openai', LLM_RETRY_BASE_MS: '10', ...env },
    port: 0,
    logger: false,
  });
  routers.push(started);
  return started;
}

const ask = (url: string, body: Record<string, unknown> = {}, init: RequestInit = {}) =>
  fetch(`${url}/ask`, { ...json({ message: 'hi', ...body }), ...init });

describe('retries', () => {
  it.each([500, 502, 503, 408, 409])(
    'retries a %i and succeeds when the provider recovers',
    async (status) => {
      const { url } = await router();
      upstreams.fakes.openai.setScript([{ error: { status } }, { text: 'recovered' }]);
      const res = await ask(url);
      expect(res.status).toBe(200);
      const body = await res.json();
      expect(body).toMatchObject({ provider: 'openai', content: 'recovered', attempts: 2 });
      expect(calls.openai()).toBe(2);
    },
  );

  it('retries an Anthropic 529 overloaded error', async () => {
    const { url } = await router({ LLM_PROVIDER: 'anthropic' });
    upstreams.fakes.anthropic.setScript([
      { error: { status: 529 } },
      { error: { status: 529 } },
      { text: 'ok' },
    ]);
    const body = await (await ask(url)).json();
    expect(body).toMatchObject({ provider: 'anthropic', content: 'ok', attempts: 3 });
  });

  it('waits at least the advertised Retry-After before retrying a 429', async () => {
    const { url } = await router();
    const times: number[] = [];
    upstreams.fakes.openai.setScript((_request, index) => {
      times.push(performance.now());
      return index === 0
        ? { error: { status: 429, headers: { 'retry-after-ms': '400' } } }
        : { text: 'later' };
    });
    const res = await ask(url);
    expect(res.status).toBe(200);
    expect(times).toHaveLength(2);
    expect((times[1] ?? 0) - (times[0] ?? 0)).toBeGreaterThanOrEqual(390);
  });

  it('honours a Retry-After in seconds too', async () => {
    const { url } = await router();
    const times: number[] = [];
    upstreams.fakes.openai.setScript((_request, index) => {
      times.push(performance.now());
      return index === 0 ? { error: { status: 503, headers: { 'retry-after': '1' } } } : { text: 'later' };
    });
    expect((await ask(url)).status).toBe(200);
    expect((times[1] ?? 0) - (times[0] ?? 0)).toBeGreaterThanOrEqual(990);
  });

  it('gives up after LLM_MAX_RETRIES and reports the last error with its status', async () => {
    const { url } = await router({ LLM_MAX_RETRIES: '1' });
    upstreams.fakes.openai.setScript([
      { error: { status: 500 } },
      { error: { status: 500 } },
      { text: 'never' },
    ]);
    const res = await ask(url);
    expect(res.status).toBe(502);
    expect(calls.openai()).toBe(2);
  });

  it('does not retry when the Retry-After is beyond the time budget', async () => {
    const { url } = await router({ LLM_RETRY_BUDGET_MS: '1000' });
    upstreams.fakes.openai.setScript([
      { error: { status: 429, headers: { 'retry-after': '30' } } },
      { text: 'x' },
    ]);
    const res = await ask(url);
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('30');
    expect(calls.openai()).toBe(1);
  });

  it('never retries a request the provider refused as invalid', async () => {
    const { url } = await router({ LLM_FALLBACKS: 'anthropic:claude-fake' });
    upstreams.fakes.openai.setScript([{ error: { status: 400 } }, { text: 'x' }]);
    upstreams.fakes.anthropic.setScript([{ text: 'x' }]);
    const res = await ask(url);
    expect(res.status).toBe(400);
    expect(calls.openai()).toBe(1);
    expect(calls.anthropic()).toBe(0);
  });
});

describe('fallbacks', () => {
  it('falls back in order after the primary exhausts its retries, and says who answered', async () => {
    const { url } = await router({
      LLM_MAX_RETRIES: '1',
      LLM_FALLBACKS: 'openai:gpt-fake,azure:my-gpt4o-deployment,anthropic:claude-sonnet-4-5',
    });
    upstreams.fakes.openai.setScript([{ error: { status: 503 } }, { error: { status: 503 } }]);
    upstreams.fakes.azure.setScript([{ error: { status: 500 } }, { error: { status: 500 } }]);
    upstreams.fakes.anthropic.setScript([{ text: 'from claude' }]);
    const res = await ask(url);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ provider: 'anthropic', content: 'from claude', attempts: 5 });
    // openai:gpt-fake is the primary itself, so it is not tried twice.
    expect(calls.openai()).toBe(2);
    expect(upstreams.fakes.anthropic.requests.at(-1)?.body.model).toBe('claude-sonnet-4-5');
  });

  it('turns a first-byte timeout into a fallback, or a 504 without one', async () => {
    const timeouts = { LLM_FIRST_BYTE_TIMEOUT_MS: '200', LLM_MAX_RETRIES: '0' };
    const plain = await router(timeouts);
    upstreams.fakes.openai.setScript([{ hangBeforeHeaders: true }]);
    const timedOut = await ask(plain.url);
    expect(timedOut.status).toBe(504);
    expect((await timedOut.json()).error.type).toBe('upstream_timeout');

    const withFallback = await router({ ...timeouts, LLM_FALLBACKS: 'ollama:llama3.2' });
    upstreams.fakes.openai.setScript([{ hangBeforeHeaders: true }]);
    upstreams.fakes.ollama.setScript([{ text: 'local answer' }]);
    const res = await ask(withFallback.url);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      provider: 'ollama',
      model: 'llama3.2',
      content: 'local answer',
    });
  });

  it('falls back when a stream fails before its first event (in-stream error, dropped socket)', async () => {
    const { url } = await router({
      LLM_PROVIDER: 'openrouter',
      LLM_MAX_RETRIES: '0',
      LLM_FALLBACKS: 'openai:gpt-fake',
    });
    for (const failure of [
      { streamError: { afterChunks: 0, body: { error: { code: 502, message: 'provider down' } } } },
      { dropAfterChunks: 0 },
    ]) {
      upstreams.fakes.openrouter.setScript([{ text: 'never shown', ...failure }]);
      upstreams.fakes.openai.setScript([{ text: 'rescued answer' }]);
      const res = await ask(url, { stream: true });
      expect(res.status).toBe(200);
      const events = parseSse(await res.text());
      const done = events.find((event) => event.event === 'done')?.data as Record<string, unknown>;
      expect(done).toMatchObject({ provider: 'openai', content: 'rescued answer', attempts: 2 });
      expect(events.some((event) => event.event === 'error')).toBe(false);
    }
  });

  it('falls back when Anthropic opens its stream with an overloaded error event', async () => {
    const { url } = await router({
      LLM_PROVIDER: 'anthropic',
      LLM_MAX_RETRIES: '0',
      LLM_FALLBACKS: 'openai:gpt-fake',
    });
    upstreams.fakes.anthropic.setScript([
      {
        text: 'x',
        streamError: {
          afterChunks: 0,
          body: { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } },
        },
      },
    ]);
    upstreams.fakes.openai.setScript([{ text: 'rescued' }]);
    const events = parseSse(await (await ask(url, { stream: true })).text());
    expect(events.at(-1)).toMatchObject({ event: 'done', data: { provider: 'openai', content: 'rescued' } });
  });

  it('never retries once bytes reached the client: a drop mid-stream is an error event', async () => {
    const { url } = await router({ LLM_FALLBACKS: 'anthropic:claude-fake' });
    upstreams.fakes.openai.setScript([
      { text: 'one two three four five six seven eight', dropAfterChunks: 3, chunkDelayMs: 50 },
    ]);
    upstreams.fakes.anthropic.setScript([{ text: 'should not be used' }]);
    const res = await ask(url, { stream: true });
    expect(res.status).toBe(200);
    const events = parseSse(await res.text());
    expect(events.some((event) => event.event === 'delta')).toBe(true);
    expect(events.at(-1)?.event, JSON.stringify(events)).toBe('error');
    expect(calls.openai()).toBe(1);
    expect(calls.anthropic()).toBe(0);
  });
});

describe('circuit breaker', () => {
  it('opens after repeated failures, skips the provider, then lets one probe through', async () => {
    const { url } = await router({
      LLM_MAX_RETRIES: '0',
      LLM_BREAKER_MIN_REQUESTS: '2',
      LLM_BREAKER_FAILURE_RATE: '0.5',
      LLM_BREAKER_COOLDOWN_MS: '300',
    });
    upstreams.fakes.openai.setScript([
      { error: { status: 500 } },
      { error: { status: 500 } },
      { text: 'back' },
    ]);
    expect((await ask(url)).status).toBe(502);
    expect((await ask(url)).status).toBe(502);
    const refused = await ask(url);
    expect(refused.status).toBe(503);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(calls.openai()).toBe(2);

    await new Promise((resolve) => setTimeout(resolve, 350));
    const probe = await ask(url);
    expect(probe.status).toBe(200);
    expect(calls.openai()).toBe(3);
  });

  it('sends traffic straight to the fallback while the breaker is open', async () => {
    const { url } = await router({
      LLM_MAX_RETRIES: '0',
      LLM_BREAKER_MIN_REQUESTS: '1',
      LLM_BREAKER_COOLDOWN_MS: '60000',
      LLM_FALLBACKS: 'lmstudio:qwen-fake',
    });
    upstreams.fakes.openai.setScript([{ error: { status: 500 } }]);
    upstreams.fakes.lmstudio.setScript([{ text: 'a' }, { text: 'b' }]);
    expect(await (await ask(url)).json()).toMatchObject({ provider: 'lmstudio', attempts: 2 });
    expect(await (await ask(url)).json()).toMatchObject({ provider: 'lmstudio', attempts: 1 });
    expect(calls.openai()).toBe(1);
  });
});

describe('client disconnects', () => {
  it('aborts the upstream stream at once when the client goes away', async () => {
    const { url } = await router();
    upstreams.fakes.openai.setScript([{ text: 'a b c d e f g h i j k l', chunkDelayMs: 200 }]);
    const before = upstreams.fakes.openai.aborted;
    const controller = new AbortController();
    const res = await ask(url, { stream: true }, { signal: controller.signal });
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    await reader.read();
    controller.abort();
    await expect.poll(() => upstreams.fakes.openai.aborted, { timeout: 5000 }).toBe(before + 1);
  });

  it('aborts an upstream that has not answered yet', async () => {
    const { url } = await router();
    upstreams.fakes.openai.setScript([{ hangBeforeHeaders: true }]);
    const before = upstreams.fakes.openai.aborted;
    const controller = new AbortController();
    const pending = ask(url, {}, { signal: controller.signal }).catch(() => undefined);
    await expect.poll(() => calls.openai()).toBe(1);
    controller.abort();
    await pending;
    await expect.poll(() => upstreams.fakes.openai.aborted, { timeout: 5000 }).toBe(before + 1);
  });
});
