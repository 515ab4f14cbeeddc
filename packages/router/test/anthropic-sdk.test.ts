import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRouter } from '../src/index.js';
import { PROVIDER_NAMES, type ProviderName } from '../src/providers/types.js';
import { FAKE_KEYS } from './fakes/index.js';
import { startAllFakes } from './support/fake-upstreams.js';

/** The official @anthropic-ai/sdk pointed at the router's /v1/messages, over every provider's fake. */
let upstreams: Awaited<ReturnType<typeof startAllFakes>>;
let router: Awaited<ReturnType<typeof startRouter>>;
let client: Anthropic;

beforeAll(async () => {
  upstreams = await startAllFakes();
  // No retries: one scripted upstream error maps to one SDK error.
  router = await startRouter({
    env: { ...upstreams.env, LLM_PROVIDER: 'openai', LLM_MAX_RETRIES: '0' },
    port: 0,
    logger: false,
  });
  client = new Anthropic({ baseURL: router.url, apiKey: 'router-loopback-key', maxRetries: 0 });
});
afterAll(async () => {
  await router?.close();
  await upstreams?.close();
});

const MODEL: Record<ProviderName, string> = {
  openai: 'gpt-fake',
  anthropic: 'claude-fake',
  azure: 'my-gpt4o-deployment',
  openrouter: 'openai/gpt-fake',
  ollama: 'llama3.2',
  lmstudio: 'qwen-fake',
};

const weatherTool: Anthropic.Tool = {
  name: 'get_weather',
  description: 'Weather for a city',
  input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};

const question: Anthropic.MessageParam = { role: 'user', content: 'Weather in Oslo?' };

/** The model asks for the tool, then answers from its result. */
function scriptToolRoundTrip(name: ProviderName) {
  upstreams.fakes[name].setScript([
    { toolCalls: [{ id: 'call_w1', name: 'get_weather', arguments: { city: 'Oslo' } }] },
    { text: 'Sunny in Oslo.', usage: { input: 30, output: 4 } },
  ]);
}

function toolResultTurn(first: Anthropic.Message): Anthropic.MessageParam[] {
  const toolUse = first.content.find((block) => block.type === 'tool_use');
  if (toolUse?.type !== 'tool_use') throw new Error('no tool_use block');
  return [
    question,
    { role: 'assistant', content: first.content },
    { role: 'user', content: [{ type: 'tool_result', tool_use_id: toolUse.id, content: 'sunny, 21 C' }] },
  ];
}

describe.each(PROVIDER_NAMES)('/v1/messages with @anthropic-ai/sdk via %s', (name) => {
  const model = `${name}/${MODEL[name]}`;

  it('messages.create: tool_use from the model, tool_result back, final answer', async () => {
    scriptToolRoundTrip(name);
    const first = await client.messages.create({
      model,
      max_tokens: 256,
      system: 'Be brief.',
      messages: [question],
      tools: [weatherTool],
    });
    expect(first.type).toBe('message');
    expect(first.stop_reason).toBe('tool_use');
    expect(first.content.find((block) => block.type === 'tool_use')).toMatchObject({
      type: 'tool_use',
      name: 'get_weather',
      input: { city: 'Oslo' },
    });
    expect(first._request_id).toBeTruthy();

    const second = await client.messages.create({
      model,
      max_tokens: 256,
      messages: toolResultTurn(first),
      tools: [weatherTool],
    });
    expect(second.stop_reason).toBe('end_turn');
    expect(second.content).toEqual([expect.objectContaining({ type: 'text', text: 'Sunny in Oslo.' })]);
    expect(second.usage.output_tokens).toBe(4);
    // The tool result reached the provider in its own terms.
    const sent = upstreams.fakes[name].requests.at(-1)?.body;
    expect(JSON.stringify(sent)).toContain('sunny, 21 C');
    expect(JSON.stringify(sent)).toContain('get_weather');
  });

  it('messages.stream: the SDK accumulates text and tool input into finalMessage()', async () => {
    scriptToolRoundTrip(name);
    const stream = client.messages.stream({
      model,
      max_tokens: 256,
      messages: [question],
      tools: [weatherTool],
    });
    const jsonDeltas: string[] = [];
    stream.on('inputJson', (partial) => jsonDeltas.push(partial));
    const first = await stream.finalMessage();
    expect(first.stop_reason).toBe('tool_use');
    expect(first.content.find((block) => block.type === 'tool_use')).toMatchObject({
      name: 'get_weather',
      input: { city: 'Oslo' },
    });
    expect(jsonDeltas.join('')).toContain('Oslo');

    const texts: string[] = [];
    const second = client.messages
      .stream({ model, max_tokens: 256, messages: toolResultTurn(first), tools: [weatherTool] })
      .on('text', (text) => texts.push(text));
    const final = await second.finalMessage();
    expect(final.content).toEqual([expect.objectContaining({ type: 'text', text: 'Sunny in Oslo.' })]);
    expect(texts.join('')).toBe('Sunny in Oslo.');
    expect(final.stop_reason).toBe('end_turn');
    // LM Studio streams report no usage; everyone else's totals arrive in message_delta.
    if (name !== 'lmstudio') expect(final.usage.output_tokens).toBe(4);
    expect(JSON.stringify(upstreams.fakes[name].requests.at(-1)?.body)).toContain('sunny, 21 C');
  });
});

describe('/v1/messages on the anthropic provider is a pass-through', () => {
  const body = {
    model: 'anthropic/claude-fake',
    max_tokens: 1024,
    system: [
      { type: 'text' as const, text: 'Long cached context', cache_control: { type: 'ephemeral' as const } },
    ],
    thinking: { type: 'enabled' as const, budget_tokens: 2048 },
    messages: [
      { role: 'user' as const, content: 'First question' },
      {
        role: 'assistant' as const,
        content: [
          { type: 'thinking' as const, thinking: 'Let me think.', signature: 'sig-abc' },
          { type: 'redacted_thinking' as const, data: 'opaque' },
          { type: 'text' as const, text: 'First answer' },
        ],
      },
      {
        role: 'user' as const,
        content: [
          { type: 'text' as const, text: 'Second question', cache_control: { type: 'ephemeral' as const } },
        ],
      },
    ],
    top_k: 5,
    // A field the router does not model: Anthropic is the upstream, so it goes through.
    some_future_field: { keep: true },
  };

  it('sends the exact body (model resolved), the betas and the router key; returns the message unchanged', async () => {
    const fake = upstreams.fakes.anthropic;
    fake.setScript([{ text: 'Cached answer' }]);
    const message = await client.messages.create(body as never, {
      headers: { 'anthropic-beta': 'prompt-caching-2024-07-31,interleaved-thinking-2025-05-14' },
    });
    expect(message.content).toEqual([{ type: 'text', text: 'Cached answer' }]);
    const sent = fake.requests.at(-1)!;
    expect(sent.body).toEqual({ ...body, model: 'claude-fake' });
    expect(sent.headers['anthropic-beta']).toBe('prompt-caching-2024-07-31,interleaved-thinking-2025-05-14');
    expect(sent.headers['x-api-key']).toBe(FAKE_KEYS.anthropic);
    expect(sent.headers.authorization).toBeUndefined();
  });

  it('streams the upstream events back unchanged', async () => {
    const fake = upstreams.fakes.anthropic;
    fake.setScript([{ text: 'alpha beta gamma', usage: { input: 10, output: 3, cachedInput: 6 } }]);
    const stream = client.messages.stream(body as never);
    const events: string[] = [];
    stream.on('streamEvent', (event) => events.push(event.type));
    const final = await stream.finalMessage();
    expect(final.content).toEqual([{ type: 'text', text: 'alpha beta gamma' }]);
    expect(final.usage).toMatchObject({ input_tokens: 4, cache_read_input_tokens: 6, output_tokens: 3 });
    expect(events[0]).toBe('message_start');
    expect(events.at(-1)).toBe('message_stop');
    const sent = fake.requests.at(-1)!;
    expect(sent.body).toEqual({ ...body, model: 'claude-fake', stream: true });
  });

  it('keeps the query of the beta endpoint (?beta=true, as Claude Code sends it)', async () => {
    const fake = upstreams.fakes.anthropic;
    fake.setScript([{ text: 'ok' }]);
    const res = await fetch(`${router.url}/v1/messages?beta=true`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': 'k', 'anthropic-version': '2023-06-01' },
      body: JSON.stringify({ model: 'anthropic/claude-fake', max_tokens: 5, messages: [question] }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('request-id')).toBeTruthy();
    expect(fake.requests.at(-1)?.path).toBe('/v1/messages?beta=true');
  });

  it('count_tokens is forwarded to Anthropic', async () => {
    const fake = upstreams.fakes.anthropic;
    const { max_tokens: _, ...countBody } = body;
    const count = await client.messages.countTokens(countBody as never);
    expect(count.input_tokens).toBe(42);
    const sent = fake.requests.at(-1)!;
    expect(sent.path).toBe('/v1/messages/count_tokens');
    expect(sent.body).toEqual({ ...countBody, model: 'claude-fake' });
  });
});

describe('/v1/messages errors with the SDK error classes', () => {
  it('upstream 429 is a RateLimitError with request-id; an unknown provider a BadRequestError', async () => {
    upstreams.fakes.openai.setScript([{ error: { status: 429, headers: { 'retry-after': '1' } } }]);
    const limited = await client.messages
      .create({ model: 'openai/gpt-fake', max_tokens: 10, messages: [question] })
      .catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(Anthropic.RateLimitError);
    expect((limited as InstanceType<typeof Anthropic.APIError>).requestID).toBeTruthy();
    expect((limited as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({
      type: 'error',
      error: { type: 'rate_limit_error' },
    });

    const unknown = await client.messages
      .create({ model: 'x', provider: 'nope', max_tokens: 10, messages: [question] } as never)
      .catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(Anthropic.BadRequestError);
  });

  it.each([
    [{ top_k: 3 }, 'top_k'],
    [{ tools: [{ type: 'web_search_20250305', name: 'web_search' }] }, 'web_search'],
    [
      {
        messages: [
          {
            role: 'user',
            content: [{ type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'AA==' } }],
          },
        ],
      },
      'messages.0.content.0.type',
    ],
    [{ container: 'c-1' }, 'container'],
    [{ metadata: { user_id: 'u', tenant: 't' } }, 'metadata.tenant'],
    [
      { context_management: { edits: [{ type: 'clear_tool_uses_20250919' }] } },
      'context_management.edits.0.type',
    ],
  ])('a field openai cannot honour is a 400 naming it: %j', async (extra, field) => {
    const error = await client.messages
      .create({ model: 'openai/gpt-fake', max_tokens: 10, messages: [question], ...extra } as never)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.BadRequestError);
    expect((error as Error).message).toContain(field);
    expect((error as Error).message).toContain('openai');
  });

  it('a missing max_tokens is a 400 invalid_request_error naming it', async () => {
    const error = await client.messages
      .create({ model: 'openai/gpt-fake', messages: [question] } as never)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.BadRequestError);
    expect((error as Error).message).toContain('max_tokens');
  });

  it('a failure after the stream started arrives as event: error and the SDK throws', async () => {
    upstreams.fakes.openai.setScript([
      { text: 'partial answer here', streamError: { afterChunks: 2, body: { error: { message: 'boom' } } } },
    ]);
    const stream = client.messages.stream({ model: 'openai/gpt-fake', max_tokens: 10, messages: [question] });
    const error = await stream.finalMessage().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.APIError);
    expect((error as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({
      type: 'error',
      error: { type: 'api_error' },
    });
  });

  it('count_tokens on a provider without a counting endpoint is a 400 naming it', async () => {
    const error = await client.messages
      .countTokens({ model: 'ollama/llama3.2', messages: [question] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.BadRequestError);
    expect((error as Error).message).toContain('ollama');
  });
});
