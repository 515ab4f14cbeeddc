import { beforeEach, describe, expect, it } from 'vitest';
import { FAKE_KEYS } from '../fakes/index.js';
import { collect, rejection, useRig, user, weatherTool } from './harness.js';

describe('anthropic adapter', () => {
  const r = useRig('anthropic');
  beforeEach(() => {
    r.fake.requests.length = 0;
  });

  it('system goes top-level, max_tokens defaults, auth and version headers are sent', async () => {
    r.fake.setScript([{ text: 'Bonjour' }]);
    const result = await r.adapter.chat({
      model: '',
      messages: [
        { role: 'system', content: 'Be brief' },
        { role: 'system', content: 'Be kind' },
        user('Hello'),
      ],
      temperature: 0.5,
    });
    expect(result).toMatchObject({ model: 'claude-fake', content: 'Bonjour', finishReason: 'stop' });
    expect(result.id).toMatch(/^msg_01/);
    const sent = r.fake.requests[0]!;
    expect(sent.path).toBe('/v1/messages');
    expect(sent.headers['x-api-key']).toBe(FAKE_KEYS.anthropic);
    expect(sent.headers['anthropic-version']).toBe('2023-06-01');
    expect(sent.headers.authorization).toBeUndefined();
    expect(sent.body).toEqual({
      model: 'claude-fake',
      max_tokens: 4096,
      system: 'Be brief\n\nBe kind',
      messages: [{ role: 'user', content: 'Hello' }],
      temperature: 0.5,
    });
  });

  it('wrong cost for cached tokens (#3): input counts cache reads and writes, cachedInputTokens = cache reads', async () => {
    r.fake.setScript([{ text: 'ok', usage: { input: 1000, output: 20, cachedInput: 900 } }]);
    const result = await r.adapter.chat({ model: '', messages: [user('x')], maxTokens: 100 });
    expect(result.usage).toEqual({
      inputTokens: 1000,
      outputTokens: 20,
      totalTokens: 1020,
      cachedInputTokens: 900,
    });
    expect(r.fake.requests[0]!.body.max_tokens).toBe(100);
  });

  it('streamed output_tokens is cumulative: the latest value is taken, never summed', async () => {
    r.fake.setScript([{ text: 'one two three four', usage: { input: 50, output: 42, cachedInput: 10 } }]);
    const events = await collect(r.adapter.stream({ model: '', messages: [user('x')] }));
    const texts = events.flatMap((e) => (e.type === 'text' ? [e.text] : []));
    expect(texts.join('')).toBe('one two three four');
    expect(events.filter((e) => e.type === 'done')).toHaveLength(1);
    const done = events.at(-1);
    expect(done).toMatchObject({
      type: 'done',
      result: {
        usage: { inputTokens: 50, outputTokens: 42, totalTokens: 92, cachedInputTokens: 10 },
        finishReason: 'stop',
      },
    });
    expect(r.fake.requests[0]!.body.stream).toBe(true);
  });

  it('parallel tool_use blocks keep their own index (#1) and arguments arrive as objects', async () => {
    r.fake.setScript([
      {
        text: 'Checking both.',
        toolCalls: [
          { id: 'toolu_a', name: 'get_weather', arguments: { city: 'Paris' } },
          { id: 'toolu_b', name: 'get_weather', arguments: { city: 'Oslo', days: 3 } },
        ],
      },
    ]);
    const events = await collect(
      r.adapter.stream({ model: '', messages: [user('x')], tools: [weatherTool] }),
    );
    const calls = events.flatMap((e) => (e.type === 'tool_call' ? [e.call] : []));
    expect(calls).toEqual([
      { id: 'toolu_a', name: 'get_weather', arguments: { city: 'Paris' } },
      { id: 'toolu_b', name: 'get_weather', arguments: { city: 'Oslo', days: 3 } },
    ]);
    expect(events.at(-1)).toMatchObject({
      result: { finishReason: 'tool_calls', content: 'Checking both.' },
    });

    r.fake.setScript([{ toolCalls: [{ id: 'toolu_c', name: 'get_weather', arguments: { city: 'Rome' } }] }]);
    const plain = await r.adapter.chat({ model: '', messages: [user('x')], tools: [weatherTool] });
    expect(plain.toolCalls).toEqual([{ id: 'toolu_c', name: 'get_weather', arguments: { city: 'Rome' } }]);
    expect(plain.finishReason).toBe('tool_calls');
  });

  it('maps tools, tool_choice, tool_use history and merges consecutive tool results into one user message', async () => {
    r.fake.setScript([{ text: 'done' }]);
    await r.adapter.chat({
      model: 'claude-x',
      messages: [
        user('weather in two cities?'),
        {
          role: 'assistant',
          content: 'Let me check.',
          toolCalls: [
            { id: 'toolu_1', name: 'get_weather', arguments: { city: 'Paris' } },
            { id: 'toolu_2', name: 'get_weather', arguments: { city: 'Oslo' } },
          ],
        },
        { role: 'tool', toolCallId: 'toolu_1', name: 'get_weather', content: '20C' },
        { role: 'tool', toolCallId: 'toolu_2', name: 'get_weather', content: 'city unknown', isError: true },
      ],
      tools: [weatherTool],
      toolChoice: 'required',
    });
    const body = r.fake.requests[0]!.body;
    expect(body.tools).toEqual([
      { name: 'get_weather', description: weatherTool.description, input_schema: weatherTool.inputSchema },
    ]);
    expect(body.tool_choice).toEqual({ type: 'any' });
    expect(body.messages).toEqual([
      { role: 'user', content: 'weather in two cities?' },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'Let me check.' },
          { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } },
          { type: 'tool_use', id: 'toolu_2', name: 'get_weather', input: { city: 'Oslo' } },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'toolu_1', content: '20C' },
          { type: 'tool_result', tool_use_id: 'toolu_2', content: 'city unknown', is_error: true },
        ],
      },
    ]);
  });

  it('max_tokens stop reason maps to length', async () => {
    r.fake.setScript([{ text: 'trunc', finishReason: 'length' }]);
    expect((await r.adapter.chat({ model: '', messages: [user('x')] })).finishReason).toBe('length');
  });

  it('529 not treated as retryable (#5): overloaded_error is kind overloaded, retryable, retry-after read', async () => {
    r.fake.setScript([{ error: { status: 529, headers: { 'retry-after': '3' } } }]);
    const error = await rejection(r.adapter.chat({ model: '', messages: [user('x')] }));
    expect(error).toMatchObject({ kind: 'overloaded', status: 529, retryable: true, retryAfterMs: 3000 });
    expect(error.options.type).toBe('overloaded_error');
    expect(error.message).toContain('Overloaded');
    expect(error.options.requestId).toMatch(/^req_011/);
  });

  it("Anthropic's retry-after ignored (#4): 429 rate_limit_error carries retry-after", async () => {
    r.fake.setScript([{ error: { status: 429, headers: { 'retry-after': '12' } } }]);
    const error = await rejection(r.adapter.chat({ model: '', messages: [user('x')] }));
    expect(error).toMatchObject({ kind: 'rate_limit', retryable: true, retryAfterMs: 12_000 });
  });

  it('default 429 from the fake: retry-after seconds read', async () => {
    r.fake.setScript([{ error: { status: 429 } }]);
    const error = await rejection(r.adapter.chat({ model: '', messages: [user('x')] }));
    expect(error).toMatchObject({ kind: 'rate_limit', retryable: true, retryAfterMs: 5000 });
  });

  it('429 enforced_spend_limit_reached is not retryable', async () => {
    r.fake.setScript([
      {
        error: {
          status: 429,
          body: {
            type: 'error',
            error: {
              type: 'rate_limit_error',
              message: 'You have reached your specified workspace API usage limits.',
              details: { error_code: 'enforced_spend_limit_reached' },
            },
          },
        },
      },
    ]);
    const error = await rejection(r.adapter.chat({ model: '', messages: [user('x')] }));
    expect(error).toMatchObject({ kind: 'rate_limit', status: 429, retryable: false });
  });

  it('overload as 200 then an error event (#5) is a retryable overloaded ProviderError', async () => {
    r.fake.setScript([
      {
        text: 'partial answer here',
        streamError: {
          afterChunks: 3,
          body: { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } },
        },
      },
    ]);
    const seen: string[] = [];
    const error = await rejection(
      (async () => {
        for await (const event of r.adapter.stream({ model: '', messages: [user('x')] }))
          seen.push(event.type);
      })(),
    );
    expect(error).toMatchObject({ provider: 'anthropic', kind: 'overloaded', retryable: true });
    expect(error.options.type).toBe('overloaded_error');
    expect(seen).not.toContain('done');
  });

  it('a stream cut before message_stop is an error, not a truncated success', async () => {
    r.fake.setScript([{ text: 'a b c d', dropAfterChunks: 4 }]);
    const error = await rejection(collect(r.adapter.stream({ model: '', messages: [user('x')] })));
    expect(error.retryable).toBe(true);
  });
});
