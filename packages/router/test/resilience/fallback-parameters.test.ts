/**
 * A fallback must not quietly lose a parameter: a fallback provider that would refuse a field the
 * request sets is skipped (never called), and when no fallback can honour the request the primary's
 * own error is the answer. The primary's refusal is a 400 and no fallback is tried.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startRouter } from '../../src/index.js';
import { startAllFakes } from '../support/fake-upstreams.js';
import { json } from '../support/test-router.js';

let upstreams: Awaited<ReturnType<typeof startAllFakes>>;
const routers: Awaited<ReturnType<typeof startRouter>>[] = [];

beforeAll(async () => {
  upstreams = await startAllFakes();
});
afterEach(async () => {
  await Promise.all(routers.splice(0).map((router) => router.close()));
});
afterAll(async () => {
  await upstreams.close();
});

async function router(env: Record<string, string>) {
  const started = await startRouter({
    env: { ...upstreams.env, LLM_PROVIDER: 'openai', LLM_MAX_RETRIES: '0', ...env },
    port: 0,
    logger: false,
  });
  routers.push(started);
  return started;
}

const complete = (url: string, body: Record<string, unknown>) =>
  fetch(
    `${url}/v1/chat/completions`,
    json({ model: 'gpt-fake', messages: [{ role: 'user', content: 'hi' }], ...body }),
  );

describe('fallbacks and parameters', () => {
  it('skips a fallback that would refuse the seed, and answers from one that maps it', async () => {
    const { url } = await router({ LLM_FALLBACKS: 'anthropic:claude-fake,ollama:llama3.2' });
    const anthropicBefore = upstreams.fakes.anthropic.requests.length;
    upstreams.fakes.openai.setScript([{ error: { status: 503 } }]);
    upstreams.fakes.ollama.setScript([{ text: 'from ollama' }]);
    const res = await complete(url, { seed: 7 });
    expect(res.status).toBe(200);
    expect((await res.json()).choices[0].message.content).toBe('from ollama');
    expect(upstreams.fakes.anthropic.requests.length).toBe(anthropicBefore);
    expect(upstreams.fakes.ollama.requests.at(-1)?.body.options).toMatchObject({ seed: 7 });
  });

  it('with only refusing fallbacks, the primary error is the answer (the seed is not dropped)', async () => {
    const { url } = await router({ LLM_FALLBACKS: 'anthropic:claude-fake' });
    const anthropicBefore = upstreams.fakes.anthropic.requests.length;
    upstreams.fakes.openai.setScript([{ error: { status: 503 } }]);
    const res = await complete(url, { seed: 7 });
    expect(res.status).toBe(503);
    expect(upstreams.fakes.anthropic.requests.length).toBe(anthropicBefore);
  });

  it('a parameter the primary refuses is a 400 at once; no fallback is tried', async () => {
    const { url } = await router({ LLM_PROVIDER: 'anthropic', LLM_FALLBACKS: 'openai:gpt-fake' });
    const openaiBefore = upstreams.fakes.openai.requests.length;
    const res = await complete(url, { model: 'claude-fake', logit_bias: { '1': 5 } });
    expect(res.status).toBe(400);
    expect((await res.json()).error.message).toBe(
      'logit_bias is not supported by anthropic (Anthropic has no logit bias)',
    );
    expect(upstreams.fakes.openai.requests.length).toBe(openaiBefore);
  });
});
