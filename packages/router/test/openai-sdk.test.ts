import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRouter } from '../src/index.js';
import { startAllFakes } from './support/fake-upstreams.js';
import { createTestRouter, json, parseSse } from './support/test-router.js';

// biome-ignore lint/suspicious/noExplicitAny: raw SSE chunks are probed loosely
type Chunk = Record<string, any>;

/** The official openai SDK pointed at the router's OpenAI-compatible endpoints. */
let upstreams: Awaited<ReturnType<typeof startAllFakes>>;
let router: Awaited<ReturnType<typeof startRouter>>;
let client: OpenAI;

beforeAll(async () => {
  upstreams = await startAllFakes();
  // No retries: this file checks how a single upstream error maps to SDK errors.
  router = await startRouter({
    env: { ...upstreams.env, LLM_PROVIDER: 'openai', LLM_MAX_RETRIES: '0' },
    port: 0,
    logger: false,
  });
  client = new OpenAI({ baseURL: `${router.url}/v1`, apiKey: 'router-does-not-check', maxRetries: 0 });
});
afterAll(async () => {
  await router?.close();
  await upstreams?.close();
});

const weatherTool = {
  type: 'function' as const,
  function: {
    name: 'get_weather',
    description: 'Weather for a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
};

describe('/v1/chat/completions with the openai SDK', () => {
  it('plain completion, default provider', async () => {
    upstreams.fakes.openai.setScript([{ text: 'Hi!', usage: { input: 9, output: 2, cachedInput: 4 } }]);
    const completion = await client.chat.completions.create({
      model: 'gpt-fake',
      messages: [
        { role: 'system', content: 'Be brief' },
        { role: 'user', content: 'Hello' },
      ],
      temperature: 0.1,
      max_tokens: 20,
    });
    expect(completion.object).toBe('chat.completion');
    expect(completion.choices[0]?.message.content).toBe('Hi!');
    expect(completion.choices[0]?.finish_reason).toBe('stop');
    expect(completion.usage).toMatchObject({
      prompt_tokens: 9,
      completion_tokens: 2,
      total_tokens: 11,
      prompt_tokens_details: { cached_tokens: 4 },
    });
    const sent = upstreams.fakes.openai.requests.at(-1)?.body;
    expect(sent).toMatchObject({ model: 'gpt-fake', temperature: 0.1 });
  });

  it('"provider/model" routes to another provider (Anthropic, translated back to OpenAI format)', async () => {
    upstreams.fakes.anthropic.setScript([{ text: 'From Claude' }]);
    const completion = await client.chat.completions.create({
      model: 'anthropic/claude-fake',
      messages: [{ role: 'user', content: 'Hello' }],
    });
    expect(completion.choices[0]?.message.content).toBe('From Claude');
    expect(upstreams.fakes.anthropic.requests.at(-1)?.body.model).toBe('claude-fake');
  });

  it('streams with include_usage', async () => {
    upstreams.fakes.openrouter.setScript([{ text: 'alpha beta gamma', usage: { input: 5, output: 3 } }]);
    const stream = await client.chat.completions.create({
      model: 'openrouter/openai/gpt-fake',
      messages: [{ role: 'user', content: 'go' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let finish: string | null | undefined;
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toBe('alpha beta gamma');
    expect(finish).toBe('stop');
    expect(usage).toMatchObject({ prompt_tokens: 5, completion_tokens: 3, total_tokens: 8 });
  });

  it('passes tools through and returns tool_calls (plain and streamed)', async () => {
    const call = { id: 'toolu_1', name: 'get_weather', arguments: { city: 'Oslo' } };
    upstreams.fakes.anthropic.setScript([
      { toolCalls: [call] },
      { toolCalls: [call, { ...call, id: 'toolu_2', arguments: { city: 'Rome' } }] },
    ]);
    const completion = await client.chat.completions.create({
      model: 'anthropic/claude-fake',
      messages: [{ role: 'user', content: 'Weather in Oslo?' }],
      tools: [weatherTool],
      tool_choice: 'auto',
    });
    expect(completion.choices[0]?.finish_reason).toBe('tool_calls');
    const toolCall = completion.choices[0]?.message.tool_calls?.[0];
    expect(toolCall).toMatchObject({ id: 'toolu_1', type: 'function', function: { name: 'get_weather' } });
    expect(JSON.parse((toolCall as { function: { arguments: string } }).function.arguments)).toEqual({
      city: 'Oslo',
    });
    expect(upstreams.fakes.anthropic.requests.at(-1)?.body.tools[0]).toMatchObject({
      name: 'get_weather',
      input_schema: weatherTool.function.parameters,
    });

    const stream = client.chat.completions.stream({
      model: 'anthropic/claude-fake',
      messages: [{ role: 'user', content: 'Weather in Oslo and Rome?' }],
      tools: [weatherTool],
    });
    const final = await stream.finalChatCompletion();
    const calls = final.choices[0]?.message.tool_calls ?? [];
    expect(calls.map((c) => (c as { function: { arguments: string } }).function.arguments)).toEqual([
      '{"city":"Oslo"}',
      '{"city":"Rome"}',
    ]);
    expect(final.choices[0]?.finish_reason).toBe('tool_calls');
  });

  it('sends tool results back to the provider', async () => {
    upstreams.fakes.openai.setScript([{ text: 'It is sunny.' }]);
    await client.chat.completions.create({
      model: 'gpt-fake',
      messages: [
        { role: 'user', content: 'Weather?' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            {
              id: 'call_9',
              type: 'function',
              function: { name: 'get_weather', arguments: '{"city":"Oslo"}' },
            },
          ],
        },
        { role: 'tool', tool_call_id: 'call_9', content: 'sunny' },
      ],
      tools: [weatherTool],
    });
    const sent = upstreams.fakes.openai.requests.at(-1)?.body;
    expect(sent.messages[1].tool_calls[0]).toMatchObject({ id: 'call_9', function: { name: 'get_weather' } });
    expect(sent.messages[2]).toMatchObject({ role: 'tool', tool_call_id: 'call_9', content: 'sunny' });
  });

  it('lists models and maps errors to SDK errors', async () => {
    const models = await client.models.list();
    expect(models.data.map((m) => m.id)).toContain('ollama/llama3.2');
    upstreams.fakes.openai.setScript([{ error: { status: 429, headers: { 'retry-after': '1' } } }]);
    const error = await client.chat.completions
      .create({ model: 'gpt-fake', messages: [{ role: 'user', content: 'x' }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    const unknown = await client.chat.completions
      .create({ model: 'x', provider: 'nope', messages: [{ role: 'user', content: 'x' }] } as never)
      .catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(OpenAI.BadRequestError);
  });
});

describe('/v1/chat/completions edge cases (scripted adapter)', () => {
  it('400 (as OpenAI answers it) for invalid bodies, including unparsable tool arguments', async () => {
    const { app } = createTestRouter();
    const cases: [unknown, string][] = [
      [{ messages: [{ role: 'user', content: 'x' }] }, 'model'],
      [{ model: 'm', messages: [] }, 'messages'],
      [{ model: 'm', messages: [{ role: 'robot', content: 'x' }] }, 'messages.0.role'],
      [{ model: 'm', messages: [{ role: 'user', content: 'x' }], temperature: 'hot' }, 'temperature'],
      [
        {
          model: 'm',
          messages: [
            {
              role: 'assistant',
              content: null,
              tool_calls: [{ id: 'a', function: { name: 'f', arguments: '{oops' } }],
            },
          ],
        },
        'messages.0.tool_calls.0.function.arguments',
      ],
    ];
    for (const [body, path] of cases) {
      const res = await app.request('/v1/chat/completions', json(body));
      expect(res.status).toBe(400);
      const { error } = await res.json();
      expect(error).toMatchObject({ type: 'invalid_request_error', code: 'validation_error' });
      expect(error.issues.map((i: { path: string }) => i.path)).toContain(path);
    }
  });

  it('streams tool calls, content parts and a mid-stream error in OpenAI framing', async () => {
    const { app, adapters } = createTestRouter();
    adapters.openai.next = {
      chunks: ['a'],
      toolCalls: [{ id: 't1', name: 'f', arguments: {} }],
      usage: null,
    };
    const res = await app.request(
      '/v1/chat/completions',
      json({
        model: 'openai/m',
        messages: [
          { role: 'developer', content: [{ type: 'text', text: 'sys' }] },
          { role: 'user', content: 'x' },
        ],
        stream: true,
        stream_options: { include_usage: true },
        tools: [{ type: 'function', function: { name: 'f' } }],
        tool_choice: { type: 'function', function: { name: 'f' } },
        max_completion_tokens: 9,
      }),
    );
    const frames = parseSse(await res.text()).map((f) => f.data as Chunk);
    expect(frames.at(-1)).toBe('[DONE]');
    expect(frames[0]?.choices[0].delta).toEqual({ role: 'assistant', content: '' });
    expect(frames.some((f) => f.choices?.[0]?.delta.tool_calls?.[0]?.id === 't1')).toBe(true);
    expect(adapters.openai.requests[0]).toMatchObject({
      toolChoice: { name: 'f' },
      maxTokens: 9,
      messages: [
        { role: 'system', content: 'sys' },
        { role: 'user', content: 'x' },
      ],
    });

    const { ProviderError } = await import('../src/providers/types.js');
    adapters.openai.next = { chunks: ['a'], streamError: new ProviderError('openai', 'upstream', 'cut') };
    const broken = await app.request(
      '/v1/chat/completions',
      json({ model: 'm', messages: [{ role: 'user', content: 'x' }], stream: true }),
    );
    const last = parseSse(await broken.text()).at(-1)?.data as Chunk;
    expect(last.error).toMatchObject({ type: 'api_error', code: 'upstream_error', provider: 'openai' });
  });
});
