/**
 * The fakes are only worth something if they speak the real wire format: each is checked with the
 * provider's official SDK, which must parse plain, streamed and tool-call responses and raise its
 * own error classes.
 */
import Anthropic from '@anthropic-ai/sdk';
import { Ollama } from 'ollama';
import OpenAI, { AzureOpenAI } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FAKE_KEYS,
  type FakeServer,
  type FakeTurn,
  startFakeAnthropic,
  startFakeAzure,
  startFakeLmStudio,
  startFakeOllama,
  startFakeOpenAI,
  startFakeOpenRouter,
} from '../fakes/index.js';
import { rejection } from './harness.js';

const toolTurn: FakeTurn = {
  toolCalls: [
    { id: 'call_1', name: 'get_weather', arguments: { city: 'Paris' } },
    { id: 'call_2', name: 'get_weather', arguments: { city: 'Oslo' } },
  ],
};
const tools = [
  {
    type: 'function' as const,
    function: {
      name: 'get_weather',
      parameters: { type: 'object', properties: { city: { type: 'string' } } },
    },
  },
];

async function openAIChecks(fake: FakeServer, client: OpenAI, model: string, streamUsage: boolean) {
  fake.setScript([
    { text: 'plain answer', usage: { input: 10, output: 2, cachedInput: 4 } },
    { text: 'streamed answer in pieces', usage: { input: 8, output: 4 } },
    toolTurn,
    toolTurn,
  ]);
  const plain = await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }] });
  expect(plain.choices[0]!.message.content).toBe('plain answer');
  expect(plain.usage?.prompt_tokens_details?.cached_tokens).toBe(4);

  const stream = await client.chat.completions.create({
    model,
    messages: [{ role: 'user', content: 'hi' }],
    stream: true,
    stream_options: { include_usage: true },
  });
  let text = '';
  let usage: OpenAI.CompletionUsage | null | undefined;
  for await (const chunk of stream) {
    text += chunk.choices[0]?.delta.content ?? '';
    if (chunk.usage) usage = chunk.usage;
  }
  expect(text).toBe('streamed answer in pieces');
  if (streamUsage) expect(usage?.completion_tokens).toBe(4);
  else expect(usage).toBeUndefined();

  const withTools = await client.chat.completions.create({
    model,
    messages: [{ role: 'user', content: 'w' }],
    tools,
  });
  const calls = withTools.choices[0]!.message.tool_calls ?? [];
  expect(calls.map((c) => (c.type === 'function' ? JSON.parse(c.function.arguments) : null))).toEqual([
    { city: 'Paris' },
    { city: 'Oslo' },
  ]);

  // The SDK's own stream helper assembles tool-call fragments by index.
  const runner = client.chat.completions.stream({ model, messages: [{ role: 'user', content: 'w' }], tools });
  const final = await runner.finalChatCompletion();
  expect(final.choices[0]!.message.tool_calls?.map((c) => c.id)).toEqual(['call_1', 'call_2']);
  expect(final.choices[0]!.finish_reason).toBe('tool_calls');
}

describe('fake OpenAI with the openai SDK', () => {
  let fake: FakeServer;
  beforeAll(async () => {
    fake = await startFakeOpenAI();
  });
  afterAll(() => fake.close());

  it('parses plain, streamed and tool-call responses', async () => {
    await openAIChecks(
      fake,
      new OpenAI({ apiKey: FAKE_KEYS.openai, baseURL: fake.url, maxRetries: 0 }),
      'gpt-fake',
      true,
    );
  });

  it('raises RateLimitError with retry-after-ms, and honours it when retrying', async () => {
    fake.setScript([{ error: { status: 429, headers: { 'retry-after-ms': '20' } } }]);
    const error = await rejection(
      new OpenAI({ apiKey: FAKE_KEYS.openai, baseURL: fake.url, maxRetries: 0 }).chat.completions.create({
        model: 'gpt-fake',
        messages: [{ role: 'user', content: 'x' }],
      }),
    );
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect(error.status).toBe(429);
    expect(error.headers.get('retry-after-ms')).toBe('20');
    expect(error.code).toBe('rate_limit_exceeded');

    fake.setScript([
      { error: { status: 429, headers: { 'retry-after-ms': '20' } } },
      { text: 'after retry' },
    ]);
    const before = fake.requests.length;
    const retried = await new OpenAI({
      apiKey: FAKE_KEYS.openai,
      baseURL: fake.url,
      maxRetries: 1,
    }).chat.completions.create({
      model: 'gpt-fake',
      messages: [{ role: 'user', content: 'x' }],
    });
    expect(retried.choices[0]!.message.content).toBe('after retry');
    expect(fake.requests.length - before).toBe(2);
  });

  it('raises AuthenticationError on 401', async () => {
    fake.setScript([{ error: { status: 401 } }]);
    const client = new OpenAI({ apiKey: 'bad', baseURL: fake.url, maxRetries: 0 });
    const error = await rejection(
      client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'x' }] }),
    );
    expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
  });
});

describe('fake Azure with the openai SDK', () => {
  let fake: FakeServer;
  beforeAll(async () => {
    fake = await startFakeAzure();
  });
  afterAll(() => fake.close());

  it('classic deployment URL via AzureOpenAI', async () => {
    const client = new AzureOpenAI({
      endpoint: fake.url,
      apiKey: FAKE_KEYS.azure,
      apiVersion: '2024-10-21',
      deployment: 'my-gpt4o-deployment',
      maxRetries: 0,
    });
    await openAIChecks(fake, client, 'gpt-4o', true);
    expect(fake.requests.at(-1)!.path).toBe(
      '/openai/deployments/my-gpt4o-deployment/chat/completions?api-version=2024-10-21',
    );
    expect(fake.requests.at(-1)!.headers['api-key']).toBe(FAKE_KEYS.azure);
  });

  it('v1 URL via the plain client with an api-key header; DeploymentNotFound is a NotFoundError', async () => {
    const client = new OpenAI({
      apiKey: FAKE_KEYS.azure,
      baseURL: `${fake.url}/openai/v1`,
      defaultHeaders: { 'api-key': FAKE_KEYS.azure },
      maxRetries: 0,
    });
    await openAIChecks(fake, client, 'my-gpt4o-deployment', true);
    expect(fake.requests.at(-1)!.path).toBe('/openai/v1/chat/completions');
    fake.setScript([{ error: { status: 404 } }]);
    const error = await rejection(
      client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }] }),
    );
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    expect(error.code).toBe('DeploymentNotFound');
  });
});

describe('fake OpenRouter and LM Studio with the openai SDK', () => {
  let openrouter: FakeServer;
  let lmstudio: FakeServer;
  beforeAll(async () => {
    [openrouter, lmstudio] = await Promise.all([startFakeOpenRouter(), startFakeLmStudio()]);
  });
  afterAll(() => Promise.all([openrouter.close(), lmstudio.close()]));

  it('OpenRouter: comments skipped, usage sent, 402 raises an APIError with status 402', async () => {
    const client = new OpenAI({ apiKey: FAKE_KEYS.openrouter, baseURL: openrouter.url, maxRetries: 0 });
    await openAIChecks(openrouter, client, 'openai/gpt-fake', true);
    openrouter.setScript([{ error: { status: 402 } }]);
    const error = await rejection(
      client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'x' }] }),
    );
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect(error.status).toBe(402);
  });

  it('OpenRouter: an error after 200 in the stream makes the SDK throw', async () => {
    const client = new OpenAI({ apiKey: FAKE_KEYS.openrouter, baseURL: openrouter.url, maxRetries: 0 });
    openrouter.setScript([
      {
        text: 'a b c d',
        streamError: { afterChunks: 3, body: { error: { code: 502, message: 'Provider returned error' } } },
      },
    ]);
    const stream = await client.chat.completions.create({
      model: 'm',
      messages: [{ role: 'user', content: 'x' }],
      stream: true,
    });
    const error = await rejection(
      (async () => {
        for await (const _chunk of stream) {
          // drain
        }
      })(),
    );
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect(error.message).toContain('Provider returned error');
  });

  it('LM Studio: parses responses; streamed usage is absent even when asked for', async () => {
    await openAIChecks(
      lmstudio,
      new OpenAI({ apiKey: 'lm-studio', baseURL: lmstudio.url, maxRetries: 0 }),
      'qwen',
      false,
    );
  });
});

describe('fake Anthropic with the @anthropic-ai/sdk', () => {
  let fake: FakeServer;
  let client: Anthropic;
  beforeAll(async () => {
    fake = await startFakeAnthropic();
    client = new Anthropic({ apiKey: FAKE_KEYS.anthropic, baseURL: fake.url, maxRetries: 0 });
  });
  afterAll(() => fake.close());

  it('parses plain, streamed (cumulative usage) and parallel tool_use responses', async () => {
    fake.setScript([
      { text: 'plain', usage: { input: 20, output: 3, cachedInput: 5 } },
      { text: 'streamed in pieces here', usage: { input: 20, output: 9 } },
      { text: 'tools', ...toolTurn },
    ]);
    const plain = await client.messages.create({
      model: 'claude-fake',
      max_tokens: 100,
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(plain.content[0]).toMatchObject({ type: 'text', text: 'plain' });
    expect(plain.usage).toMatchObject({ input_tokens: 15, cache_read_input_tokens: 5, output_tokens: 3 });

    const stream = client.messages.stream({
      model: 'claude-fake',
      max_tokens: 100,
      messages: [{ role: 'user', content: 'hi' }],
    });
    const texts: string[] = [];
    stream.on('text', (t) => texts.push(t));
    const streamed = await stream.finalMessage();
    expect(texts.length).toBeGreaterThan(1);
    expect(texts.join('')).toBe('streamed in pieces here');
    expect(streamed.usage.output_tokens).toBe(9);

    const toolStream = client.messages.stream({
      model: 'claude-fake',
      max_tokens: 100,
      messages: [{ role: 'user', content: 'w' }],
      tools: [{ name: 'get_weather', input_schema: { type: 'object' } }],
    });
    const final = await toolStream.finalMessage();
    expect(final.stop_reason).toBe('tool_use');
    expect(
      final.content.filter((b) => b.type === 'tool_use').map((b) => (b.type === 'tool_use' ? b.input : null)),
    ).toEqual([{ city: 'Paris' }, { city: 'Oslo' }]);
  });

  it('raises OverloadedError on 529 and RateLimitError on 429; a stream error event throws', async () => {
    fake.setScript([
      { error: { status: 529 } },
      { error: { status: 429, headers: { 'retry-after': '4' } } },
      {
        text: 'a b c',
        streamError: {
          afterChunks: 3,
          body: { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } },
        },
      },
    ]);
    const request = {
      model: 'claude-fake',
      max_tokens: 10,
      messages: [{ role: 'user' as const, content: 'x' }],
    };
    const overloaded = await rejection(client.messages.create(request));
    expect(overloaded).toBeInstanceOf(Anthropic.OverloadedError);
    expect(overloaded.status).toBe(529);
    const limited = await rejection(client.messages.create(request));
    expect(limited).toBeInstanceOf(Anthropic.RateLimitError);
    expect(limited.headers.get('retry-after')).toBe('4');
    const midStream = await rejection(client.messages.stream(request).finalMessage());
    expect(midStream).toBeInstanceOf(Anthropic.APIError);
    expect(String(midStream.message)).toContain('Overloaded');
  });
});

describe('fake Ollama with the ollama SDK', () => {
  let fake: FakeServer;
  let client: Ollama;
  beforeAll(async () => {
    fake = await startFakeOllama();
    client = new Ollama({ host: fake.url });
  });
  afterAll(() => fake.close());

  it('parses plain, NDJSON-streamed and tool-call responses', async () => {
    fake.setScript([
      { text: 'plain', usage: { input: 7, output: 2 } },
      { text: 'streamed over several lines' },
      toolTurn,
    ]);
    const plain = await client.chat({
      model: 'llama3.2',
      messages: [{ role: 'user', content: 'hi' }],
      stream: false,
    });
    expect(plain.message.content).toBe('plain');
    expect(plain.prompt_eval_count).toBe(7);
    let text = '';
    let done = false;
    for await (const part of await client.chat({
      model: 'llama3.2',
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
    })) {
      text += part.message.content;
      done ||= part.done;
    }
    expect(text).toBe('streamed over several lines');
    expect(done).toBe(true);
    const withTools = await client.chat({
      model: 'llama3.2',
      messages: [{ role: 'user', content: 'w' }],
      stream: false,
    });
    expect(withTools.message.tool_calls?.map((c) => c.function.arguments)).toEqual([
      { city: 'Paris' },
      { city: 'Oslo' },
    ]);
    expect((await client.list()).models.map((m) => m.name)).toContain('llama3.2:latest');
  });

  it('raises ResponseError with the status on HTTP errors and throws on an error line mid-stream', async () => {
    fake.setScript([
      { error: { status: 404 } },
      { text: 'a b c d', streamError: { afterChunks: 2, body: { error: 'runner crashed' } } },
    ]);
    const http = await rejection(
      client.chat({ model: 'missing', messages: [{ role: 'user', content: 'x' }], stream: false }),
    );
    expect(http.name).toBe('ResponseError');
    expect(http.status_code).toBe(404);
    const mid = await rejection(
      (async () => {
        for await (const _part of await client.chat({
          model: 'm',
          messages: [{ role: 'user', content: 'x' }],
          stream: true,
        })) {
          // drain
        }
      })(),
    );
    expect(String(mid.message)).toContain('runner crashed');
  });
});
