import { describe, expect, it } from 'vitest';
import { collect, rejection, useRig, user, weatherRound, weatherTool } from './harness.js';

describe('ollama adapter', () => {
  const r = useRig('ollama');

  it('sends stream:false explicitly and maps options, tools and tool messages', async () => {
    r.fake.setScript([{ text: 'native', usage: { input: 26, output: 3 } }]);
    const result = await r.adapter.chat({
      model: '',
      messages: [{ role: 'system', content: 'sys' }, user('q'), ...weatherRound('call_1', 'Oslo', 'cold')],
      tools: [weatherTool],
      temperature: 0.1,
      maxTokens: 64,
    });
    expect(result).toMatchObject({
      model: 'llama3.2',
      content: 'native',
      finishReason: 'stop',
      usage: { inputTokens: 26, outputTokens: 3, totalTokens: 29 },
    });
    const sent = r.fake.requests.at(-1)!;
    expect(sent.path).toBe('/api/chat');
    expect(sent.body).toEqual({
      model: 'llama3.2',
      messages: [
        { role: 'system', content: 'sys' },
        { role: 'user', content: 'q' },
        {
          role: 'assistant',
          content: '',
          tool_calls: [{ function: { name: 'get_weather', arguments: { city: 'Oslo' } } }],
        },
        { role: 'tool', content: 'cold', tool_name: 'get_weather' },
      ],
      tools: [
        {
          type: 'function',
          function: {
            name: 'get_weather',
            description: weatherTool.description,
            parameters: weatherTool.inputSchema,
          },
        },
      ],
      stream: false,
      options: { temperature: 0.1, num_predict: 64 },
    });
  });

  it('NDJSON stream with lines split across chunks: text in order, usage from the done line', async () => {
    r.fake.setScript([
      { text: 'several words of streamed text', usage: { input: 8, output: 6 }, finishReason: 'length' },
    ]);
    const events = await collect(r.adapter.stream({ model: '', messages: [user('x')] }));
    expect(events.flatMap((e) => (e.type === 'text' ? [e.text] : [])).join('')).toBe(
      'several words of streamed text',
    );
    expect(events.at(-1)).toMatchObject({
      type: 'done',
      result: { finishReason: 'length', usage: { inputTokens: 8, outputTokens: 6, totalTokens: 14 } },
    });
    expect(r.fake.requests.at(-1)!.body.stream).toBe(true);
  });

  it('tool calls without ids (#10): ids are generated, arguments stay objects', async () => {
    r.fake.setScript([
      {
        toolCalls: [
          { name: 'get_weather', arguments: { city: 'Paris' } },
          { name: 'get_weather', arguments: { city: 'Oslo' } },
        ],
      },
      { toolCalls: [{ name: 'get_weather', arguments: { city: 'Rome' } }] },
    ]);
    const events = await collect(
      r.adapter.stream({ model: '', messages: [user('x')], tools: [weatherTool] }),
    );
    const calls = events.flatMap((e) => (e.type === 'tool_call' ? [e.call] : []));
    expect(calls.map((c) => c.arguments)).toEqual([{ city: 'Paris' }, { city: 'Oslo' }]);
    for (const call of calls) expect(call.id).toMatch(/^call_[A-Za-z0-9_-]{8,}$/);
    expect(new Set(calls.map((c) => c.id)).size).toBe(2);
    expect(events.at(-1)).toMatchObject({ result: { finishReason: 'tool_calls' } });
    const plain = await r.adapter.chat({ model: '', messages: [user('x')], tools: [weatherTool] });
    expect(plain.toolCalls[0]).toMatchObject({ name: 'get_weather', arguments: { city: 'Rome' } });
    expect(plain.toolCalls[0]!.id).toMatch(/^call_/);
    expect(plain.finishReason).toBe('tool_calls');
  });

  it('keeps ids when Ollama (>= 0.12.10) sends them', async () => {
    r.fake.setScript([
      { toolCalls: [{ id: 'call_ollama', name: 'get_weather', arguments: { city: 'Nice' } }] },
    ]);
    const result = await r.adapter.chat({ model: '', messages: [user('x')], tools: [weatherTool] });
    expect(result.toolCalls[0]!.id).toBe('call_ollama');
  });

  it('an {"error"} line mid-stream is a ProviderError; an HTTP error body keeps its message', async () => {
    r.fake.setScript([
      {
        text: 'some words then failure',
        streamError: { afterChunks: 2, body: { error: 'model runner crashed' } },
      },
      { error: { status: 404 } },
    ]);
    const mid = await rejection(collect(r.adapter.stream({ model: '', messages: [user('x')] })));
    expect(mid).toMatchObject({ provider: 'ollama', kind: 'upstream', retryable: true });
    expect(mid.message).toContain('model runner crashed');
    const http = await rejection(r.adapter.chat({ model: 'missing', messages: [user('x')] }));
    expect(http).toMatchObject({ kind: 'bad_request', status: 404, retryable: false });
    expect(http.message).toContain('not found, try pulling it first');
  });

  it('listModels reads GET /api/tags', async () => {
    expect(await r.adapter.listModels!()).toEqual(['llama3.2:latest', 'qwen3:8b']);
  });
});
