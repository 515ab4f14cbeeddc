import { describe, expect, it } from 'vitest';
import { FAKE_KEYS } from '../fakes/index.js';
import { collect, rejection, useRig, user, weatherTool } from './harness.js';

describe('azure adapter, v1 API (no api-version)', () => {
  const r = useRig('azure');

  it('posts to /openai/v1/chat/completions with the deployment as model and the api-key header', async () => {
    r.fake.setScript([{ text: 'hello from azure' }]);
    const result = await r.adapter.chat({ model: '', messages: [user('hi')], maxTokens: 10 });
    expect(result.content).toBe('hello from azure');
    expect(r.adapter.defaultModel).toBe('my-gpt4o-deployment');
    const sent = r.fake.requests.at(-1)!;
    expect(sent.path).toBe('/openai/v1/chat/completions');
    expect(sent.headers['api-key']).toBe(FAKE_KEYS.azure);
    expect(sent.headers.authorization).toBeUndefined();
    expect(sent.body).toMatchObject({ model: 'my-gpt4o-deployment', max_completion_tokens: 10 });
  });

  it('skips the prompt-filter chunk with empty choices and still reads usage and tool calls', async () => {
    r.fake.setScript([
      {
        text: 'calling',
        toolCalls: [
          { id: 'call_1', name: 'get_weather', arguments: { city: 'Paris' } },
          { id: 'call_2', name: 'get_weather', arguments: { city: 'Rome' } },
        ],
        usage: { input: 30, output: 8, cachedInput: 0 },
      },
    ]);
    const events = await collect(
      r.adapter.stream({ model: '', messages: [user('x')], tools: [weatherTool] }),
    );
    expect(events.flatMap((e) => (e.type === 'tool_call' ? [e.call.arguments] : []))).toEqual([
      { city: 'Paris' },
      { city: 'Rome' },
    ]);
    expect(events.at(-1)).toMatchObject({
      type: 'done',
      result: { content: 'calling', usage: { inputTokens: 30, outputTokens: 8, cachedInputTokens: 0 } },
    });
  });

  it('honours x-ms-retry-after-ms on 429', async () => {
    r.fake.setScript([
      { error: { status: 429, headers: { 'x-ms-retry-after-ms': '2500', 'retry-after': '3' } } },
    ]);
    const error = await rejection(r.adapter.chat({ model: '', messages: [user('x')] }));
    expect(error).toMatchObject({ kind: 'rate_limit', retryAfterMs: 2500, retryable: true });
  });

  it('DeploymentNotFound (#10) says the deployment name, not the model name, is required', async () => {
    r.fake.setScript([{ error: { status: 404 } }]);
    const error = await rejection(r.adapter.chat({ model: 'gpt-4o', messages: [user('x')] }));
    expect(error).toMatchObject({ kind: 'bad_request', status: 404, retryable: false });
    expect(error.options.type).toBe('DeploymentNotFound');
    expect(error.message).toContain('deployment "gpt-4o" not found');
    expect(error.message).toContain('deployment name');
    expect(error.message).toContain('AZURE_OPENAI_DEPLOYMENT');
    expect(error.message).not.toContain(FAKE_KEYS.azure);
  });

  it('lists models from the v1 API', async () => {
    expect(await r.adapter.listModels!()).toContain('gpt-fake');
  });
});

describe('azure adapter, classic deployment URL (AZURE_OPENAI_API_VERSION set)', () => {
  const r = useRig('azure', { azureApiVersion: '2024-10-21' });

  it('posts to /openai/deployments/{deployment}/chat/completions?api-version=', async () => {
    r.fake.setScript([{ text: 'classic' }, { text: 'streamed classic' }]);
    expect((await r.adapter.chat({ model: '', messages: [user('hi')] })).content).toBe('classic');
    expect(r.fake.requests.at(-1)!.path).toBe(
      '/openai/deployments/my-gpt4o-deployment/chat/completions?api-version=2024-10-21',
    );
    const events = await collect(r.adapter.stream({ model: '', messages: [user('hi')] }));
    expect(events.at(-1)).toMatchObject({ result: { content: 'streamed classic' } });
    expect(r.fake.requests.at(-1)!.headers['api-key']).toBe(FAKE_KEYS.azure);
  });

  it('lists the configured deployment (classic has no deployment listing here)', async () => {
    expect(await r.adapter.listModels!()).toEqual(['my-gpt4o-deployment']);
  });
});
