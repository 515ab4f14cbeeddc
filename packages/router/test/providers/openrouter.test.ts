import { describe, expect, it } from 'vitest';
import { FAKE_KEYS } from '../fakes/index.js';
import { collect, rejection, useRig, user, weatherTool } from './harness.js';

describe('openrouter adapter', () => {
  const r = useRig('openrouter', {
    env: { OPENROUTER_APP_URL: 'https://ocs.example', OPENROUTER_APP_NAME: 'OCS Router' },
  });

  it('sends bearer auth and the attribution headers', async () => {
    r.fake.setScript([{ text: 'routed' }]);
    expect((await r.adapter.chat({ model: '', messages: [user('hi')], maxTokens: 9 })).content).toBe(
      'routed',
    );
    const sent = r.fake.requests.at(-1)!;
    expect(sent.path).toBe('/api/v1/chat/completions');
    expect(sent.headers.authorization).toBe(`Bearer ${FAKE_KEYS.openrouter}`);
    expect(sent.headers['http-referer']).toBe('https://ocs.example');
    expect(sent.headers['x-title']).toBe('OCS Router');
    expect(sent.body).toMatchObject({ model: 'openai/gpt-fake', max_tokens: 9 });
  });

  it('skips ": OPENROUTER PROCESSING" comments and reads usage and parallel tool calls', async () => {
    r.fake.setScript([
      {
        toolCalls: [
          { id: 'call_x', name: 'get_weather', arguments: { city: 'Lima' } },
          { id: 'call_y', name: 'get_time', arguments: { tz: 'UTC' } },
        ],
        usage: { input: 11, output: 4 },
      },
    ]);
    const events = await collect(
      r.adapter.stream({ model: '', messages: [user('x')], tools: [weatherTool] }),
    );
    expect(events.flatMap((e) => (e.type === 'tool_call' ? [e.call] : []))).toEqual([
      { id: 'call_x', name: 'get_weather', arguments: { city: 'Lima' } },
      { id: 'call_y', name: 'get_time', arguments: { tz: 'UTC' } },
    ]);
    expect(events.at(-1)).toMatchObject({ result: { usage: { inputTokens: 11, outputTokens: 4 } } });
  });

  it('an error event after 200 in the stream becomes a ProviderError with kind from its code', async () => {
    r.fake.setScript([
      {
        text: 'partial output here',
        streamError: {
          afterChunks: 3,
          body: {
            id: 'gen-1',
            object: 'chat.completion.chunk',
            error: { code: 502, message: 'Provider returned error', metadata: { provider_name: 'Fake' } },
            choices: [{ index: 0, delta: { content: '' }, finish_reason: 'error' }],
          },
        },
      },
    ]);
    const error = await rejection(collect(r.adapter.stream({ model: '', messages: [user('x')] })));
    expect(error).toMatchObject({ provider: 'openrouter', kind: 'upstream', retryable: true });
    expect(error.message).toContain('Provider returned error');
  });

  it('an error body inside a 200 (non-streamed) is a ProviderError too', async () => {
    r.fake.setScript((_req) => ({
      error: { status: 200, body: { error: { code: 429, message: 'Rate limited upstream' } } },
    }));
    const error = await rejection(r.adapter.chat({ model: '', messages: [user('x')] }));
    expect(error).toMatchObject({ kind: 'rate_limit', retryable: true });
    expect(error.message).toContain('Rate limited upstream');
  });

  it('503 (no provider matches the routing) is overloaded; 402 says credits and is not retryable', async () => {
    r.fake.setScript([{ error: { status: 503 } }, { error: { status: 402 } }]);
    expect(await rejection(r.adapter.chat({ model: '', messages: [user('x')] }))).toMatchObject({
      kind: 'overloaded',
      retryable: true,
    });
    const credits = await rejection(r.adapter.chat({ model: '', messages: [user('x')] }));
    expect(credits).toMatchObject({ kind: 'auth', status: 402, retryable: false });
    expect(credits.message).toContain('credits');
  });
});
