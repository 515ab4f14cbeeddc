import { beforeEach, describe, expect, it } from 'vitest';
import { ProviderError } from '../../src/providers/types.js';
import { FAKE_KEYS } from '../fakes/index.js';
import { collect, eventually, rejection, useRig, user, weatherRound, weatherTool } from './harness.js';

describe('openai adapter', () => {
  const r = useRig('openai');
  beforeEach(() => {
    r.fake.requests.length = 0;
  });

  it('plain chat maps request and response, with bearer auth and cached tokens', async () => {
    r.fake.setScript([{ text: 'Hi there', usage: { input: 100, output: 5, cachedInput: 64 } }]);
    const result = await r.adapter.chat({
      model: '',
      messages: [{ role: 'system', content: 'Be brief' }, user('Hello')],
      temperature: 0.2,
      maxTokens: 50,
    });
    expect(result).toMatchObject({
      model: 'gpt-fake',
      content: 'Hi there',
      toolCalls: [],
      finishReason: 'stop',
      usage: { inputTokens: 100, outputTokens: 5, totalTokens: 105, cachedInputTokens: 64 },
    });
    expect(result.id).toMatch(/^chatcmpl-/);
    const sent = r.fake.requests[0]!;
    expect(sent.path).toBe('/v1/chat/completions');
    expect(sent.headers.authorization).toBe(`Bearer ${FAKE_KEYS.openai}`);
    expect(sent.body).toEqual({
      model: 'gpt-fake',
      messages: [
        { role: 'system', content: 'Be brief' },
        { role: 'user', content: 'Hello' },
      ],
      temperature: 0.2,
      max_completion_tokens: 50,
      stream: false,
    });
  });

  it('token usage missing from streams (#2): asks include_usage and reads the usage-only final chunk', async () => {
    r.fake.setScript([{ text: 'one two three four five', usage: { input: 9, output: 5, cachedInput: 3 } }]);
    const events = await collect(r.adapter.stream({ model: 'gpt-fake', messages: [user('count')] }));
    const texts = events.filter((e) => e.type === 'text').map((e) => (e as { text: string }).text);
    expect(texts.length).toBeGreaterThan(1);
    expect(texts.join('')).toBe('one two three four five');
    const done = events.filter((e) => e.type === 'done');
    expect(done).toHaveLength(1);
    expect(events.at(-1)).toEqual(done[0]);
    expect(done[0]).toMatchObject({
      result: {
        content: 'one two three four five',
        finishReason: 'stop',
        usage: { inputTokens: 9, outputTokens: 5, totalTokens: 14, cachedInputTokens: 3 },
      },
    });
    expect(r.fake.requests[0]!.body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
  });

  it('parallel tool calls stay separate when streamed (#1: index-keyed fragments)', async () => {
    r.fake.setScript([
      {
        toolCalls: [
          { id: 'call_a', name: 'get_weather', arguments: { city: 'Paris', units: { temp: 'C' } } },
          { id: 'call_b', name: 'get_weather', arguments: { city: 'Oslo' } },
        ],
      },
    ]);
    const events = await collect(
      r.adapter.stream({ model: 'gpt-fake', messages: [user('w?')], tools: [weatherTool] }),
    );
    const calls = events.filter((e) => e.type === 'tool_call').map((e) => (e as { call: unknown }).call);
    expect(calls).toEqual([
      { id: 'call_a', name: 'get_weather', arguments: { city: 'Paris', units: { temp: 'C' } } },
      { id: 'call_b', name: 'get_weather', arguments: { city: 'Oslo' } },
    ]);
    const done = events.at(-1) as { type: 'done'; result: { finishReason: string; toolCalls: unknown[] } };
    expect(done.result.finishReason).toBe('tool_calls');
    expect(done.result.toolCalls).toEqual(calls);
  });

  it('maps tool definitions, assistant tool calls and tool results to the chat-completions format', async () => {
    r.fake.setScript([{ toolCalls: [{ id: 'call_1', name: 'get_weather', arguments: { city: 'Rome' } }] }]);
    const result = await r.adapter.chat({
      model: 'gpt-fake',
      messages: [user('weather?'), ...weatherRound('call_0', 'Rome', '{"temp":20}')],
      tools: [weatherTool],
      toolChoice: 'auto',
    });
    expect(result.toolCalls).toEqual([{ id: 'call_1', name: 'get_weather', arguments: { city: 'Rome' } }]);
    expect(result.finishReason).toBe('tool_calls');
    const body = r.fake.requests[0]!.body;
    expect(body.tools).toEqual([
      {
        type: 'function',
        function: {
          name: 'get_weather',
          description: weatherTool.description,
          parameters: weatherTool.inputSchema,
        },
      },
    ]);
    expect(body.tool_choice).toBe('auto');
    expect(body.messages[1]).toEqual({
      role: 'assistant',
      content: null,
      tool_calls: [
        { id: 'call_0', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Rome"}' } },
      ],
    });
    expect(body.messages[2]).toEqual({ role: 'tool', tool_call_id: 'call_0', content: '{"temp":20}' });
  });

  it('retry-after ignored (#4): 429 carries retry-after-ms and is retryable', async () => {
    r.fake.setScript([{ error: { status: 429, headers: { 'retry-after-ms': '1500', 'retry-after': '2' } } }]);
    const error = await rejection(r.adapter.chat({ model: 'gpt-fake', messages: [user('x')] }));
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({
      provider: 'openai',
      kind: 'rate_limit',
      status: 429,
      retryAfterMs: 1500,
      retryable: true,
    });
    expect(error.options.type).toBe('requests');
    expect(error.options.requestId).toMatch(/^req_/);
    expect(error.message).toContain('Fake openai error 429');
  });

  it("the fake sends OpenAI's default 429 hints (retry-after-ms wins over retry-after)", async () => {
    r.fake.setScript([{ error: { status: 429 } }]);
    const error = await rejection(r.adapter.chat({ model: 'gpt-fake', messages: [user('x')] }));
    expect(error).toMatchObject({ kind: 'rate_limit', retryAfterMs: 1200, retryable: true });
  });

  it('429 with retry-after as an HTTP date', async () => {
    const at = new Date(Date.now() + 30_000).toUTCString();
    r.fake.setScript([{ error: { status: 429, headers: { 'retry-after': at } } }]);
    const error = await rejection(r.adapter.chat({ model: 'gpt-fake', messages: [user('x')] }));
    expect(error.retryAfterMs).toBeGreaterThan(20_000);
    expect(error.retryAfterMs).toBeLessThanOrEqual(30_000);
  });

  it('401 is an auth error, not retryable, and the echoed key is redacted', async () => {
    r.fake.setScript([
      {
        error: {
          status: 401,
          body: {
            error: {
              message: `Incorrect API key provided: ${FAKE_KEYS.openai}. You can find your API key at https://platform.openai.com/account/api-keys.`,
              type: 'invalid_request_error',
              param: null,
              code: 'invalid_api_key',
            },
          },
        },
      },
    ]);
    const error = await rejection(r.adapter.chat({ model: 'gpt-fake', messages: [user('x')] }));
    expect(error).toMatchObject({ kind: 'auth', status: 401, retryable: false });
    expect(error.message).toContain('Incorrect API key provided');
    expect(error.message).not.toContain(FAKE_KEYS.openai);
    expect(error.message).not.toContain('FAKEopenai');
  });

  it('a 200 that is not JSON (a proxy page) is a retryable upstream error', async () => {
    r.fake.setScript([{ error: { status: 200, body: '<html>Bad gateway</html>' } }]);
    const error = await rejection(r.adapter.chat({ model: 'gpt-fake', messages: [user('x')] }));
    expect(error).toMatchObject({ kind: 'upstream', retryable: true, status: 200 });
    expect(error.message).toContain('not JSON');
  });

  it('a server that ignores stream:true and answers JSON still yields text, tool calls and one done', async () => {
    const completion = {
      id: 'chatcmpl-json',
      model: 'gpt-fake',
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: 'whole reply',
            tool_calls: [{ id: 'call_j', type: 'function', function: { name: 'f', arguments: '{"a":1}' } }],
          },
          finish_reason: 'tool_calls',
        },
      ],
      usage: { prompt_tokens: 2, completion_tokens: 3, total_tokens: 5 },
    };
    r.fake.setScript([
      { error: { status: 200, body: completion } },
      { error: { status: 200, body: { error: { message: 'in-band failure', type: 'server_error' } } } },
    ]);
    const events = await collect(r.adapter.stream({ model: 'gpt-fake', messages: [user('x')] }));
    expect(events.map((e) => e.type)).toEqual(['text', 'tool_call', 'done']);
    expect(events.at(-1)).toMatchObject({ result: { content: 'whole reply', usage: { totalTokens: 5 } } });
    const error = await rejection(collect(r.adapter.stream({ model: 'gpt-fake', messages: [user('x')] })));
    expect(error).toMatchObject({ kind: 'upstream', retryable: true });
    expect(error.message).toContain('in-band failure');
  });

  it("a caller's deadline (AbortSignal.timeout) is reported as a timeout, and the upstream sees the abort", async () => {
    r.fake.setScript([{ hangBeforeHeaders: true }]);
    const before = r.fake.aborted;
    const error = await rejection(
      r.adapter.chat({ model: 'gpt-fake', messages: [user('x')], signal: AbortSignal.timeout(50) }),
    );
    expect(error).toMatchObject({ kind: 'timeout', retryable: true });
    expect(error.message).toContain('deadline');
    await eventually(() => r.fake.aborted === before + 1);
  });

  it('listModels reads GET /models', async () => {
    expect(await r.adapter.listModels!()).toEqual(['gpt-fake', 'gpt-fake-mini']);
  });

  it('interrupted stream (usage chunk never comes) is an upstream error, not a silent success', async () => {
    r.fake.setScript([{ text: 'a b c d e f', dropAfterChunks: 2 }]);
    const error = await rejection(collect(r.adapter.stream({ model: 'gpt-fake', messages: [user('x')] })));
    expect(error).toBeInstanceOf(ProviderError);
    expect(error.kind === 'connection' || error.kind === 'upstream').toBe(true);
    expect(error.retryable).toBe(true);
  });
});
