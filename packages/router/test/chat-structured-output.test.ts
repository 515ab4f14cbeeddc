/**
 * Structured output through the router on all six providers, with the official openai SDK's
 * `chat.completions.parse` and a zod schema; each fake answers in its provider's own
 * structured-output terms (Anthropic through output_config or a forced tool). The router checks
 * every answer: one that does not parse or match is a 502 naming the provider.
 */
import OpenAI from 'openai';
import { zodResponseFormat } from 'openai/helpers/zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startRouter } from '../src/index.js';
import { PROVIDER_NAMES, type ProviderName } from '../src/providers/types.js';
import type { FakeTurn } from './fakes/index.js';
import { startAllFakes } from './support/fake-upstreams.js';

let upstreams: Awaited<ReturnType<typeof startAllFakes>>;
let router: Awaited<ReturnType<typeof startRouter>>;
let client: OpenAI;

beforeAll(async () => {
  upstreams = await startAllFakes();
  router = await startRouter({
    env: { ...upstreams.env, LLM_PROVIDER: 'openai', LLM_MAX_RETRIES: '0' },
    port: 0,
    logger: false,
  });
  client = new OpenAI({ baseURL: `${router.url}/v1`, apiKey: 'unused', maxRetries: 0 });
});
afterAll(async () => {
  await router?.close();
  await upstreams?.close();
});

const MODELS: Record<ProviderName, string> = {
  openai: 'openai/gpt-fake',
  anthropic: 'anthropic/claude-fake',
  azure: 'azure/my-gpt4o-deployment',
  openrouter: 'openrouter/openai/gpt-fake',
  ollama: 'ollama/llama3.2',
  lmstudio: 'lmstudio/qwen-fake',
};

const Balance = z.object({
  subscriber: z.string(),
  balance: z.number(),
  currency: z.enum(['EUR', 'USD']),
  bundles: z.array(z.object({ name: z.string(), remaining_mb: z.number().int() })),
  note: z.string().nullable(),
});
const answer = {
  subscriber: '+3312345678',
  balance: 12.5,
  currency: 'EUR',
  bundles: [{ name: 'data-5gb', remaining_mb: 4096 }],
  note: null,
};
const format = zodResponseFormat(Balance, 'balance');

/** Where each provider's request carries the schema, as its real API expects it. */
function schemaSent(provider: ProviderName, body: Record<string, unknown>): unknown {
  switch (provider) {
    case 'anthropic':
      return (body.output_config as { format: { schema: unknown } }).format.schema;
    case 'ollama':
      return body.format;
    default:
      return (body.response_format as { json_schema: { schema: unknown } }).json_schema.schema;
  }
}

describe.each(PROVIDER_NAMES)('chat.completions.parse over %s', (provider) => {
  it('returns the parsed object, plain and streamed, and sends the schema in the provider terms', async () => {
    const fake = upstreams.fakes[provider];
    fake.setScript([{ json: answer }, { json: answer }]);
    const completion = await client.chat.completions.parse({
      model: MODELS[provider],
      messages: [{ role: 'user', content: 'Balance of +3312345678?' }],
      response_format: format,
    });
    expect(completion.choices[0]?.message.parsed).toEqual(answer);
    const sent = fake.requests.at(-1)!.body;
    expect(schemaSent(provider, sent)).toEqual(format.json_schema.schema);
    if (provider !== 'anthropic' && provider !== 'ollama')
      expect(sent.response_format.json_schema).toMatchObject({ name: 'balance', strict: true });

    const stream = client.chat.completions.stream({
      model: MODELS[provider],
      messages: [{ role: 'user', content: 'Balance of +3312345678?' }],
      response_format: format,
    });
    const final = await stream.finalChatCompletion();
    expect(final.choices[0]?.message.parsed).toEqual(answer);
  });
});

describe('Anthropic models without output_config: a forced tool', () => {
  it('claude-3* answers through one forced tool, turned back into the message content', async () => {
    const fake = upstreams.fakes.anthropic;
    fake.setScript([{ json: answer }, { json: answer }]);
    const completion = await client.chat.completions.parse({
      model: 'anthropic/claude-3-5-haiku-latest',
      messages: [{ role: 'user', content: 'Balance?' }],
      response_format: format,
    });
    expect(completion.choices[0]?.message.parsed).toEqual(answer);
    expect(completion.choices[0]?.message.tool_calls ?? []).toEqual([]);
    expect(completion.choices[0]?.finish_reason).toBe('stop');
    const sent = fake.requests.at(-1)!.body;
    expect(sent.output_config).toBeUndefined();
    expect(sent.tools).toEqual([
      expect.objectContaining({ name: 'structured_output', input_schema: format.json_schema.schema }),
    ]);
    expect(sent.tool_choice).toEqual({ type: 'tool', name: 'structured_output' });

    const final = await client.chat.completions
      .stream({
        model: 'anthropic/claude-3-5-haiku-latest',
        messages: [{ role: 'user', content: 'Balance?' }],
        response_format: format,
      })
      .finalChatCompletion();
    expect(final.choices[0]?.message.parsed).toEqual(answer);
  });

  it('refuses response_format together with tools there, naming both', async () => {
    const error = await client.chat.completions
      .create({
        model: 'anthropic/claude-3-5-haiku-latest',
        messages: [{ role: 'user', content: 'Balance?' }],
        response_format: format,
        tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'object' } } }],
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect((error as Error).message).toMatch(/response_format.*not supported by anthropic/);
  });
});

async function post(body: Record<string, unknown>) {
  const res = await fetch(`${router.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return {
    status: res.status,
    body: (await res.json()) as { error: { message: string; param?: string | null } },
  };
}

describe('the router checks every structured answer', () => {
  const bad: [string, FakeTurn, RegExp][] = [
    ['text that is not JSON', { text: 'The balance is 12.5 EUR' }, /not JSON/],
    [
      'JSON that does not match',
      { json: { ...answer, balance: 'twelve' } },
      /does not match the schema balance.*balance/,
    ],
    ['a missing required field', { json: { subscriber: 'x' } }, /does not match/],
    ['an answer cut off at the token limit', { text: '{"subscriber":', finishReason: 'length' }, /cut off/],
  ];
  it.each(PROVIDER_NAMES)('%s: a bad answer is a 502 naming the provider', async (provider) => {
    for (const [, turn, message] of bad) {
      upstreams.fakes[provider].setScript([turn]);
      const res = await post({
        model: MODELS[provider],
        messages: [{ role: 'user', content: 'x' }],
        response_format: format,
      });
      expect(res.status).toBe(502);
      expect(res.body.error.message).toContain(provider);
      expect(res.body.error.message).toMatch(message);
    }
  });

  it('json_object must be a JSON object (an array is not)', async () => {
    upstreams.fakes.openai.setScript([{ text: '[1,2]' }, { text: '{"a":1}' }]);
    const request = {
      model: MODELS.openai,
      messages: [{ role: 'user', content: 'x' }],
      response_format: { type: 'json_object' },
    };
    const refused = await post(request);
    expect(refused.status).toBe(502);
    expect(refused.body.error.message).toMatch(/openai answered with JSON that is not an object/);
    const accepted = await client.chat.completions.create(request as never);
    expect((accepted as OpenAI.ChatCompletion).choices[0]?.message.content).toBe('{"a":1}');
  });

  it('a streamed answer that does not match ends with an error event, never a clean finish', async () => {
    upstreams.fakes.ollama.setScript([{ text: 'not json at all' }]);
    const res = await fetch(`${router.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        model: MODELS.ollama,
        messages: [{ role: 'user', content: 'x' }],
        response_format: format,
        stream: true,
      }),
    });
    const text = await res.text();
    expect(text).toMatch(/ollama answered with text that is not JSON/);
    expect(text).not.toContain('"finish_reason":"stop"');
  });

  it('a schema the router cannot check is refused up front (400 naming the field)', async () => {
    const res = await post({
      model: MODELS.openai,
      messages: [{ role: 'user', content: 'x' }],
      response_format: {
        type: 'json_schema',
        json_schema: {
          name: 'cond',
          // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then keywords, not a promise
          schema: { type: 'object', if: { required: ['a'] }, then: { required: ['b'] } },
        },
      },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('response_format.json_schema.schema');
  });
});

describe('unknown fields', () => {
  it('are refused with a 400 naming the field unless the operator allows them', async () => {
    const before = upstreams.fakes.openai.requests.length;
    const res = await post({
      model: MODELS.openai,
      messages: [{ role: 'user', content: 'x' }],
      prediction: {},
    });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('Unknown parameter: prediction');
    expect(upstreams.fakes.openai.requests.length).toBe(before);
    const sdkError = await client.chat.completions
      .create({ model: MODELS.openai, messages: [{ role: 'user', content: 'x' }], store: true })
      .catch((e: unknown) => e);
    expect(sdkError).toBeInstanceOf(OpenAI.BadRequestError);
  });

  it("inside a message too: a participant name or a refusal is refused naming its path, an SDK's empty echo fields pass", async () => {
    const before = upstreams.fakes.openai.requests.length;
    for (const [message, field] of [
      [{ role: 'user', content: 'x', name: 'alice' }, 'name'],
      [{ role: 'assistant', content: null, refusal: 'I will not' }, 'refusal'],
      [{ role: 'system', content: 'x', cache_control: { type: 'ephemeral' } }, 'cache_control'],
    ] as const) {
      const res = await post({ model: MODELS.openai, messages: [message] });
      expect(res.status).toBe(400);
      expect(res.body.error.param).toMatch(/^messages\.0/);
      expect(res.body.error.message).toContain(field);
    }
    expect(upstreams.fakes.openai.requests.length).toBe(before);

    // What the openai SDK hands back as an assistant message, sent back as history, is accepted.
    upstreams.fakes.openai.setScript([{ text: 'fine' }]);
    const echoed = await post({
      model: MODELS.openai,
      messages: [
        { role: 'user', content: 'hi' },
        {
          role: 'assistant',
          content: 'hello',
          refusal: null,
          annotations: [],
          audio: null,
          function_call: null,
        },
        { role: 'user', content: 'again' },
      ],
    });
    expect(echoed.status).toBe(200);
    const sent = upstreams.fakes.openai.requests.at(-1)?.body as { messages: Record<string, unknown>[] };
    expect(sent.messages[1]).toEqual({ role: 'assistant', content: 'hello' });
  });
});
