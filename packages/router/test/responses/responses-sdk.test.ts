import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRouter } from '../../src/index.js';
import { PROVIDER_NAMES, type ProviderName } from '../../src/providers/types.js';
import { startAllFakes } from '../support/fake-upstreams.js';

/**
 * The official openai SDK's Responses client against the router, over every provider's
 * byte-faithful fake: plain, streamed (the SDK's own event parsing and finalResponse()), and a
 * function tool round trip continued both by previous_response_id and by resending the items.
 */
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
  client = new OpenAI({ baseURL: `${router.url}/v1`, apiKey: 'local', maxRetries: 0 });
});
afterAll(async () => {
  await router?.close();
  await upstreams?.close();
});

const MODEL: Record<ProviderName, string> = {
  openai: 'openai/gpt-fake',
  anthropic: 'anthropic/claude-fake',
  azure: 'azure/my-gpt4o-deployment',
  openrouter: 'openrouter/openai/gpt-fake',
  ollama: 'ollama/llama3.2',
  lmstudio: 'lmstudio/qwen-fake',
};

const weatherTool = {
  type: 'function' as const,
  name: 'get_weather',
  description: 'Weather for a city',
  parameters: {
    type: 'object',
    properties: { city: { type: 'string' } },
    required: ['city'],
    additionalProperties: false,
  },
  strict: true,
};

const sentTo = (name: ProviderName) => JSON.stringify(upstreams.fakes[name].requests.at(-1)?.body);

describe.each(PROVIDER_NAMES)('responses via %s', (name) => {
  it('responses.create answers with output_text and usage', async () => {
    upstreams.fakes[name].setScript([{ text: 'The balance is 5 EUR.', usage: { input: 20, output: 6 } }]);
    const response = await client.responses.create({
      model: MODEL[name],
      instructions: 'Be brief',
      input: 'What is my balance?',
      max_output_tokens: 64,
      temperature: 0.2,
    });
    expect(response.object).toBe('response');
    expect(response.status).toBe('completed');
    expect(response.output_text).toBe('The balance is 5 EUR.');
    expect(response.usage).toMatchObject({ input_tokens: 20, output_tokens: 6, total_tokens: 26 });
    const sent = sentTo(name);
    expect(sent).toContain('Be brief');
    expect(sent).toContain('What is my balance?');
    expect(sent).toContain('64');
  });

  it('responses.stream: the SDK parses every event and finalResponse() is the completed response', async () => {
    upstreams.fakes[name].setScript([{ text: 'one two three four', usage: { input: 3, output: 4 } }]);
    const stream = client.responses.stream({ model: MODEL[name], input: 'count' });
    const types: string[] = [];
    let deltas = '';
    for await (const event of stream) {
      types.push(event.type);
      if (event.type === 'response.output_text.delta') deltas += event.delta;
    }
    const final = await stream.finalResponse();
    expect(deltas).toBe('one two three four');
    expect(final.output_text).toBe('one two three four');
    expect(final.status).toBe('completed');
    // LM Studio's streams report no usage, so its response says null rather than inventing some.
    expect(final.usage?.total_tokens).toBe(name === 'lmstudio' ? undefined : 7);
    expect(types.slice(0, 4)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
    ]);
    expect(types.slice(-4)).toEqual([
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
  });

  it('function tool round trip: the model asks, the client answers by previous_response_id, then by items', async () => {
    upstreams.fakes[name].setScript([
      { toolCalls: [{ id: 'call_w1', name: 'get_weather', arguments: { city: 'Oslo' } }] },
      { text: 'Sunny, 21 degrees in Oslo.' },
      { text: 'Still sunny in Oslo.' },
    ]);
    const asked = await client.responses.create({
      model: MODEL[name],
      input: 'Weather in Oslo?',
      tools: [weatherTool],
      tool_choice: 'auto',
    });
    const call = asked.output.find((item) => item.type === 'function_call');
    expect(call).toMatchObject({ type: 'function_call', name: 'get_weather', status: 'completed' });
    if (call?.type !== 'function_call') throw new Error('no function call');
    expect(JSON.parse(call.arguments)).toEqual({ city: 'Oslo' });
    expect(sentTo(name)).toContain('get_weather');

    const output = { type: 'function_call_output' as const, call_id: call.call_id, output: '{"temp_c":21}' };
    const answered = await client.responses.create({
      model: MODEL[name],
      previous_response_id: asked.id,
      input: [output],
      tools: [weatherTool],
    });
    expect(answered.output_text).toBe('Sunny, 21 degrees in Oslo.');
    expect(answered.previous_response_id).toBe(asked.id);
    // The provider got the whole conversation in its own terms: question, call, result.
    const continued = sentTo(name);
    expect(continued).toContain('Weather in Oslo?');
    expect(continued).toContain('temp_c');
    expect(continued).toContain('Oslo');

    // Stateless: the client resends the items itself, with nothing stored.
    const resent = await client.responses.create({
      model: MODEL[name],
      input: [{ role: 'user', content: 'Weather in Oslo?' }, call, output],
      tools: [weatherTool],
      store: false,
    });
    expect(resent.output_text).toBe('Still sunny in Oslo.');
    expect(sentTo(name)).toContain('temp_c');
  });

  it('a streamed function call arrives as function_call_arguments events and in finalResponse()', async () => {
    upstreams.fakes[name].setScript([
      { toolCalls: [{ id: 'call_s1', name: 'get_weather', arguments: { city: 'Bergen' } }] },
    ]);
    const stream = client.responses.stream({ model: MODEL[name], input: 'Weather?', tools: [weatherTool] });
    let argumentsDone: string | undefined;
    stream.on('response.function_call_arguments.done', (event) => {
      argumentsDone = event.arguments;
    });
    const final = await stream.finalResponse();
    expect(JSON.parse(argumentsDone ?? '{}')).toEqual({ city: 'Bergen' });
    const call = final.output.find((item) => item.type === 'function_call');
    expect(call).toMatchObject({ name: 'get_weather', arguments: argumentsDone });
  });
});

describe('structured output through responses.parse', () => {
  it('text.format json_schema reaches the provider and the SDK parses the JSON answer', async () => {
    upstreams.fakes.openai.setScript([{ text: '{"city":"Oslo","temp_c":21}' }]);
    const parsed = await client.responses.parse({
      model: MODEL.openai,
      input: 'Weather?',
      text: {
        format: {
          type: 'json_schema',
          name: 'weather',
          strict: true,
          schema: {
            type: 'object',
            properties: { city: { type: 'string' }, temp_c: { type: 'number' } },
            required: ['city', 'temp_c'],
            additionalProperties: false,
          },
        },
      },
    });
    expect(parsed.output_parsed).toEqual({ city: 'Oslo', temp_c: 21 });
    expect(upstreams.fakes.openai.requests.at(-1)?.body.response_format).toMatchObject({
      type: 'json_schema',
      // strict reaches the ChatRequest (responses-route.test.ts); the codec sends it once it maps it.
      json_schema: { name: 'weather', schema: { required: ['city', 'temp_c'] } },
    });
  });
});
