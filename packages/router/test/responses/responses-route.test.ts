import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { attachConfirmation } from '../../src/completion/answer-confirmation.js';
import { ResponseEventWriter } from '../../src/http/openai/responses/response-events.js';
import { responseObject } from '../../src/http/openai/responses/response-object.js';
import { ProviderError } from '../../src/providers/types.js';
import { createTestRouter, json, parseSse } from '../support/test-router.js';

// biome-ignore lint/suspicious/noExplicitAny: wire bodies are probed loosely
type Json = Record<string, any>;

/** POST /v1/responses over the scripted adapter: the mapping, the refusals, the events, the store. */
function setup() {
  const router = createTestRouter();
  const client = new OpenAI({
    apiKey: 'unused',
    baseURL: 'http://router.test/v1',
    maxRetries: 0,
    fetch: async (url, init) => router.app.request(String(url), init as RequestInit),
  });
  return { ...router, client };
}

const post = (app: ReturnType<typeof setup>['app'], body: unknown) =>
  app.request('/v1/responses', json(body));

describe('POST /v1/responses: request mapping', () => {
  it('maps input items, instructions, tools and every generation control onto the ChatRequest', async () => {
    const { app, adapters } = setup();
    // text.format asks for JSON, and the router checks the answer against it.
    adapters.anthropic.next = { chunks: ['{"sky":', '"sunny"}'] };
    const res = await post(app, {
      model: 'anthropic/claude-x',
      instructions: 'Be brief',
      input: [
        { role: 'developer', content: 'house rules' },
        {
          role: 'user',
          content: [
            { type: 'input_text', text: 'Weather in ' },
            { type: 'input_text', text: 'Oslo?' },
          ],
        },
        { type: 'function_call', call_id: 'c1', name: 'get_weather', arguments: '{"city":"Oslo"}' },
        { type: 'function_call', call_id: 'c2', name: 'get_time', arguments: '' },
        { type: 'function_call_output', call_id: 'c1', output: 'sunny' },
        { type: 'function_call_output', call_id: 'c2', output: [{ type: 'input_text', text: 'noon' }] },
        {
          type: 'message',
          role: 'assistant',
          id: 'msg_1',
          status: 'completed',
          content: [{ type: 'output_text', text: 'Sunny at noon.', annotations: [] }],
        },
        { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Thanks' }] },
      ],
      tools: [
        {
          type: 'function',
          name: 'get_weather',
          description: 'Weather',
          parameters: { type: 'object', properties: { city: { type: 'string' } } },
          strict: true,
        },
      ],
      tool_choice: { type: 'function', name: 'get_weather' },
      temperature: 0.3,
      top_p: 0.9,
      max_output_tokens: 50,
      parallel_tool_calls: false,
      safety_identifier: 'user-7',
      metadata: { ticket: 'T-1' },
      reasoning: { effort: 'low' },
      service_tier: 'flex',
      text: { format: { type: 'json_schema', name: 'answer', schema: { type: 'object' }, strict: true } },
    });
    expect(res.status).toBe(200);
    expect(adapters.anthropic.requests[0]).toMatchObject({
      model: 'claude-x',
      messages: [
        { role: 'system', content: 'Be brief' },
        { role: 'system', content: 'house rules' },
        { role: 'user', content: 'Weather in Oslo?' },
        {
          role: 'assistant',
          content: '',
          toolCalls: [
            { id: 'c1', name: 'get_weather', arguments: { city: 'Oslo' } },
            { id: 'c2', name: 'get_time', arguments: {} },
          ],
        },
        { role: 'tool', toolCallId: 'c1', name: 'get_weather', content: 'sunny' },
        { role: 'tool', toolCallId: 'c2', name: 'get_time', content: 'noon' },
        { role: 'assistant', content: 'Sunny at noon.' },
        { role: 'user', content: 'Thanks' },
      ],
      tools: [
        {
          name: 'get_weather',
          description: 'Weather',
          inputSchema: { type: 'object', properties: { city: { type: 'string' } } },
        },
      ],
      toolChoice: { name: 'get_weather' },
      temperature: 0.3,
      topP: 0.9,
      maxTokens: 50,
      parallelToolCalls: false,
      user: 'user-7',
      metadata: { ticket: 'T-1' },
      reasoningEffort: 'low',
      serviceTier: 'flex',
      responseFormat: { type: 'json_schema', name: 'answer', schema: { type: 'object' }, strict: true },
    });
    const body = (await res.json()) as Json;
    expect(body).toMatchObject({
      object: 'response',
      status: 'completed',
      instructions: 'Be brief',
      max_output_tokens: 50,
      temperature: 0.3,
      top_p: 0.9,
      parallel_tool_calls: false,
      metadata: { ticket: 'T-1' },
      safety_identifier: 'user-7',
      tool_choice: { type: 'function', name: 'get_weather' },
      store: true,
      usage: {
        input_tokens: 10,
        output_tokens: 5,
        total_tokens: 15,
        input_tokens_details: { cached_tokens: 0 },
        output_tokens_details: { reasoning_tokens: 0 },
      },
    });
    expect(body.id).toMatch(/^resp_[0-9a-f]{48}$/);
  });

  it('a string input is one user message; json_object and user map too', async () => {
    const { app, adapters } = setup();
    await post(app, { model: 'm', input: 'Hi', user: 'u1', text: { format: { type: 'json_object' } } });
    expect(adapters.openai.requests[0]).toMatchObject({
      messages: [{ role: 'user', content: 'Hi' }],
      user: 'u1',
      responseFormat: { type: 'json_object' },
    });
  });

  it.each([
    [{ tools: [{ type: 'web_search' }] }, 'tools.0.type'],
    [{ background: true }, 'background'],
    [{ conversation: 'conv_1' }, 'conversation'],
    [{ include: ['reasoning.encrypted_content'] }, 'include'],
    [{ prompt: { id: 'pmpt_1' } }, 'prompt'],
    [{ prompt_cache_key: 'k' }, 'prompt_cache_key'],
    [{ truncation: 'auto' }, 'truncation'],
    [{ top_logprobs: 3 }, 'top_logprobs'],
    [{ reasoning: { summary: 'auto' } }, 'reasoning.summary'],
    [{ text: { verbosity: 'low' } }, 'text.verbosity'],
    [{ stream_options: { include_obfuscation: true } }, 'stream_options.include_obfuscation'],
    [{ tool_choice: { type: 'web_search_preview' } }, 'tool_choice'],
    [{ frobnicate: 1 }, 'frobnicate'],
    [{ input: [{ type: 'web_search_call', id: 'ws_1' }] }, 'input.0.type'],
    [
      { input: [{ role: 'user', content: [{ type: 'input_image', image_url: 'x' }] }] },
      'input.0.content.0.type',
    ],
    [{ input: [{ type: 'function_call_output', call_id: 'nope', output: 'x' }] }, 'input.0.call_id'],
    [{ input: [{ type: 'function_call', call_id: 'c', name: 'f', arguments: '[1]' }] }, 'input.0.arguments'],
    [{ temperature: 3 }, 'temperature'],
    [{ user: 'a', safety_identifier: 'b' }, 'safety_identifier'],
  ])('refuses %j with 400 naming %s, never dropping it', async (fields, param) => {
    const { app, adapters } = setup();
    const res = await post(app, { model: 'm', input: 'x', ...fields });
    expect(res.status).toBe(400);
    const { error } = (await res.json()) as Json;
    expect(error).toMatchObject({ type: 'invalid_request_error', code: 'validation_error', param });
    expect(error.message).toContain(param);
    expect(adapters.openai.requests).toHaveLength(0);
  });

  it('accepts the "off" values of the fields it cannot honour', async () => {
    const { app } = setup();
    const res = await post(app, {
      model: 'm',
      input: 'x',
      background: false,
      include: [],
      truncation: 'disabled',
      top_logprobs: 0,
      conversation: null,
      stream_options: { include_obfuscation: false },
    });
    expect(res.status).toBe(200);
  });
});

describe('POST /v1/responses: the response object', () => {
  it('renders text and function calls as output items, incomplete on length', async () => {
    const { app, adapters } = setup();
    adapters.openai.next = {
      chunks: ['Let me check.'],
      toolCalls: [{ id: 'call_9', name: 'get_weather', arguments: { city: 'Oslo' } }],
    };
    const body = (await (await post(app, { model: 'm', input: 'x' })).json()) as Json;
    expect(body.output).toMatchObject([
      {
        type: 'message',
        role: 'assistant',
        status: 'completed',
        content: [{ type: 'output_text', text: 'Let me check.', annotations: [] }],
      },
      {
        type: 'function_call',
        call_id: 'call_9',
        name: 'get_weather',
        arguments: '{"city":"Oslo"}',
        status: 'completed',
      },
    ]);
    adapters.openai.next = { chunks: ['cut'], finishReason: 'length' };
    const cut = (await (await post(app, { model: 'm', input: 'x' })).json()) as Json;
    expect(cut).toMatchObject({ status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } });
  });

  it('renders a held confirmation in the confirmation field, in the object and in response.completed', () => {
    const confirmation = {
      id: 'conf_1',
      tool: 'top_up',
      server: 'ocs',
      arguments: { amount: 5 },
      message: 'Top up 5 EUR?',
      expires_at: '2026-12-01T15:00:00.000Z',
    };
    const result = attachConfirmation(
      { model: 'm', content: 'Shall I top up 5 EUR?', toolCalls: [], finishReason: 'stop', usage: null },
      confirmation,
    );
    const frame = { id: 'resp_1', createdAt: 1, model: 'm', body: { input: 'x' }, store: true };
    expect(responseObject(frame, { status: 'completed', result, output: [] }).confirmation).toEqual(
      confirmation,
    );
    const writer = new ResponseEventWriter(frame);
    const { frames, response } = writer.finish(result);
    const completed = parseSse(frames).at(-1)?.data as Json;
    expect(completed.type).toBe('response.completed');
    expect(completed.response.confirmation).toEqual(confirmation);
    expect(response.output[0]).toMatchObject({ content: [{ text: 'Shall I top up 5 EUR?' }] });
    const plain = { model: 'm', content: 'x', toolCalls: [], finishReason: 'stop' as const, usage: null };
    expect(responseObject(frame, { status: 'completed', result: plain, output: [] })).not.toHaveProperty(
      'confirmation',
    );
  });
});

describe('POST /v1/responses: streaming', () => {
  it('sends the typed events in OpenAI order, with increasing sequence numbers', async () => {
    const { app, adapters } = setup();
    adapters.openai.next = {
      chunks: ['Hel', 'lo'],
      toolCalls: [{ id: 'call_1', name: 'f', arguments: { a: 1 } }],
    };
    const res = await post(app, { model: 'm', input: 'x', stream: true });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const events = parseSse(await res.text());
    expect(events.map((e) => e.event)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.output_item.added',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.done',
      'response.output_item.done',
      'response.completed',
    ]);
    const data = events.map((e) => e.data as Json);
    expect(data.map((d) => d.type)).toEqual(events.map((e) => e.event));
    expect(data.map((d) => d.sequence_number)).toEqual(data.map((_, index) => index));
    expect(data[0]?.response).toMatchObject({ status: 'in_progress', output: [], usage: null });
    expect(data[6]).toMatchObject({ text: 'Hello', output_index: 0, content_index: 0 });
    expect(data[11]).toMatchObject({ name: 'f', arguments: '{"a":1}', output_index: 1 });
    const completed = data.at(-1)?.response;
    expect(completed).toMatchObject({ status: 'completed', usage: { total_tokens: 15 } });
    expect(completed.output.map((item: Json) => item.id)).toEqual([data[2]?.item.id, data[9]?.item.id]);
  });

  it('a failure before the first event is a plain HTTP error; after it, error then response.failed', async () => {
    const { app, adapters, client } = setup();
    adapters.openai.next = {
      error: new ProviderError('openai', 'rate_limit', 'slow down', {
        type: 'rate_limit_exceeded',
        retryAfterMs: 2000,
      }),
    };
    const limited = await post(app, { model: 'm', input: 'x', stream: true });
    expect(limited.status).toBe(429);
    expect(((await limited.json()) as Json).error).toMatchObject({
      type: 'rate_limit_error',
      code: 'rate_limit_exceeded',
    });

    adapters.openai.next = {
      chunks: ['par'],
      streamError: new ProviderError('openai', 'upstream', 'cut', { type: 'server_error' }),
    };
    const events = parseSse(await (await post(app, { model: 'm', input: 'x', stream: true })).text());
    expect(events.slice(-2).map((e) => e.event)).toEqual(['error', 'response.failed']);
    expect(events.at(-2)?.data).toMatchObject({ type: 'error', code: 'server_error', param: null });
    expect(events.at(-1)?.data).toMatchObject({
      response: { status: 'failed', error: { code: 'server_error' } },
    });

    // The SDK's own stream helper: the error event rejects finalResponse().
    adapters.openai.next = { chunks: ['par'], streamError: new ProviderError('openai', 'upstream', 'cut') };
    const stream = client.responses.stream({ model: 'm', input: 'x' });
    await expect(stream.finalResponse()).rejects.toBeTruthy();
  });
});

describe('stored responses', () => {
  it('previous_response_id continues, store:false keeps nothing, GET and DELETE are principal-scoped', async () => {
    const { adapters, client } = setup();
    adapters.openai.next = { chunks: ['First answer'] };
    const first = await client.responses.create({ model: 'm', input: 'one', instructions: 'not carried' });
    adapters.openai.next = { chunks: ['Second answer'] };
    await client.responses.create({ model: 'm', input: 'two', previous_response_id: first.id });
    expect(adapters.openai.requests[1]?.messages).toEqual([
      { role: 'user', content: 'one' },
      { role: 'assistant', content: 'First answer' },
      { role: 'user', content: 'two' },
    ]);
    expect((await client.responses.retrieve(first.id)).output_text).toBe('First answer');

    // item_reference: an output item of a stored response stands for itself (as the AI SDK sends it).
    adapters.openai.next = { chunks: ['ok'] };
    await client.responses.create({
      model: 'm',
      input: [
        { role: 'user', content: 'one' },
        { type: 'item_reference', id: first.output[0]?.id ?? '' },
      ],
    });
    expect(adapters.openai.requests[2]?.messages).toEqual([
      { role: 'user', content: 'one' },
      { role: 'assistant', content: 'First answer' },
    ]);

    const unstored = await client.responses.create({ model: 'm', input: 'x', store: false });
    expect((unstored as unknown as Json).store).toBe(false);
    await expect(client.responses.retrieve(unstored.id)).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    await expect(
      client.responses.create({ model: 'm', input: 'x', previous_response_id: unstored.id }),
    ).rejects.toMatchObject({
      status: 404,
      param: 'previous_response_id',
      code: 'previous_response_not_found',
    });

    await client.responses.delete(first.id);
    await expect(client.responses.retrieve(first.id)).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    await expect(client.responses.delete(first.id)).rejects.toBeInstanceOf(OpenAI.NotFoundError);
  });
});
