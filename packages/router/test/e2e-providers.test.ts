import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRouter } from '../src/index.js';
import { PROVIDER_NAMES, type ProviderName } from '../src/providers/types.js';
import { ANSWER_KEYS } from './support/answer-keys.js';
import { startAllFakes } from './support/fake-upstreams.js';
import { json, parseSse } from './support/test-router.js';

/**
 * /ask through every real provider adapter against its byte-faithful fake upstream. The provider
 * is switched with LLM_PROVIDER only; every answer has the same shape.
 */
let upstreams: Awaited<ReturnType<typeof startAllFakes>>;
const routers = new Map<ProviderName, Awaited<ReturnType<typeof startRouter>>>();

beforeAll(async () => {
  upstreams = await startAllFakes();
  for (const name of PROVIDER_NAMES) {
    routers.set(
      name,
      // No retries: these tests check how one upstream error maps to the router's answer.
      await startRouter({
        env: { ...upstreams.env, LLM_PROVIDER: name, LLM_MAX_RETRIES: '0' },
        port: 0,
        logger: false,
      }),
    );
  }
});
afterAll(async () => {
  await Promise.all([...routers.values()].map((router) => router.close()));
  await upstreams?.close();
});

const EXPECTED_MODEL: Record<ProviderName, string> = {
  openai: 'gpt-fake',
  anthropic: 'claude-fake',
  azure: 'my-gpt4o-deployment',
  openrouter: 'openai/gpt-fake',
  ollama: 'llama3.2',
  lmstudio: 'qwen-fake',
};

describe.each(PROVIDER_NAMES)('/ask via %s', (name) => {
  const url = () => routers.get(name)!.url;

  it('answers plainly in the common shape', async () => {
    upstreams.fakes[name].setScript([{ text: 'The balance is 5 EUR.', usage: { input: 20, output: 6 } }]);
    const res = await fetch(`${url()}/ask`, json({ message: 'What is my balance?' }));
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({
      provider: name,
      content: 'The balance is 5 EUR.',
      message: { role: 'assistant', content: 'The balance is 5 EUR.' },
      finish_reason: 'stop',
      tool_calls: [],
      usage: { input_tokens: 20, output_tokens: 6, total_tokens: 26 },
    });
    expect(Object.keys(body).sort()).toEqual(ANSWER_KEYS);
    expect(Object.keys(body.usage)).toEqual(
      expect.arrayContaining(['input_tokens', 'output_tokens', 'total_tokens']),
    );
    expect(body.model).toContain(EXPECTED_MODEL[name].split('/').pop());
    expect(typeof body.id).toBe('string');
    expect(res.headers.get('x-router-overhead-ms')).toMatch(/^\d+(\.\d+)?$/);
  });

  it('streams deltas and a done event', async () => {
    upstreams.fakes[name].setScript([{ text: 'one two three four', usage: { input: 3, output: 4 } }]);
    const res = await fetch(`${url()}/ask`, json({ message: 'count', stream: true }));
    expect(res.status).toBe(200);
    const events = parseSse(await res.text());
    const deltas = events.filter((e) => e.event === 'delta').map((e) => (e.data as { text: string }).text);
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.join('')).toBe('one two three four');
    const done = events.at(-1);
    expect(done?.event).toBe('done');
    expect(done?.data).toMatchObject({
      provider: name,
      content: 'one two three four',
      finish_reason: 'stop',
    });
    expect(Object.keys(done?.data as object).sort()).toEqual([...ANSWER_KEYS, 'router_overhead_ms'].sort());
  });

  it('reports the model tool calls', async () => {
    upstreams.fakes[name].setScript([
      { toolCalls: [{ id: 'call_a', name: 'get_balance', arguments: { msisdn: '4670000' } }] },
    ]);
    const body = await (await fetch(`${url()}/ask`, json({ message: 'balance?' }))).json();
    expect(body.finish_reason).toBe('tool_calls');
    expect(body.tool_calls).toHaveLength(1);
    expect(body.tool_calls[0]).toMatchObject({ name: 'get_balance', arguments: { msisdn: '4670000' } });
  });
});

describe('upstream errors through the real adapters', () => {
  it('maps an upstream 429 with Retry-After and a 401', async () => {
    const url = routers.get('anthropic')!.url;
    upstreams.fakes.anthropic.setScript([
      { error: { status: 429, headers: { 'retry-after': '7' } } },
      { error: { status: 401 } },
    ]);
    const limited = await fetch(`${url}/ask`, json({ message: 'x' }));
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('7');
    const denied = await fetch(`${url}/ask`, json({ message: 'x' }));
    expect(denied.status).toBe(502);
    expect((await denied.json()).error).toMatchObject({ type: 'upstream_auth_error', provider: 'anthropic' });
  });

  it('lists configured providers default models at /v1/models', async () => {
    const body = await (await fetch(`${routers.get('openai')!.url}/v1/models`)).json();
    expect(body.object).toBe('list');
    expect(body.data.map((m: { id: string }) => m.id)).toEqual([
      'openai/gpt-fake',
      'anthropic/claude-fake',
      'azure/my-gpt4o-deployment',
      'openrouter/openai/gpt-fake',
      'ollama/llama3.2',
      'lmstudio/qwen-fake',
    ]);
  });
});
