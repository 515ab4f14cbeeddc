import { createOpenAI } from '@ai-sdk/openai';
import { generateText, jsonSchema, stepCountIs, streamText, tool } from 'ai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRouter } from '../../src/index.js';
import { startAllFakes } from '../support/fake-upstreams.js';

/**
 * The Vercel AI SDK's default OpenAI model, `openai(model)`, which speaks the Responses API,
 * against the router over a non-OpenAI provider's fake (Anthropic), plain, streamed and with a
 * tool the SDK runs itself between two steps.
 */
let upstreams: Awaited<ReturnType<typeof startAllFakes>>;
let router: Awaited<ReturnType<typeof startRouter>>;
let openai: ReturnType<typeof createOpenAI>;
const paths: string[] = [];

beforeAll(async () => {
  upstreams = await startAllFakes();
  router = await startRouter({
    env: { ...upstreams.env, LLM_PROVIDER: 'anthropic', LLM_MAX_RETRIES: '0' },
    port: 0,
    logger: false,
  });
  openai = createOpenAI({
    baseURL: `${router.url}/v1`,
    apiKey: 'local',
    fetch: (url, init) => {
      paths.push(new URL(String(url)).pathname);
      return fetch(url, init);
    },
  });
});
afterAll(async () => {
  await router?.close();
  await upstreams?.close();
});

describe('AI SDK openai(model) (the Responses API) through the router', () => {
  it('generateText and streamText', async () => {
    upstreams.fakes.anthropic.setScript([
      { text: 'Hello there.', usage: { input: 5, output: 3 } },
      { text: 'Streamed reply.' },
    ]);
    const plain = await generateText({ model: openai('claude-fake'), system: 'Be brief', prompt: 'Hi' });
    expect(plain.text).toBe('Hello there.');
    expect(plain.usage).toMatchObject({ inputTokens: 5, outputTokens: 3, totalTokens: 8 });
    const streamed = streamText({ model: openai('claude-fake'), prompt: 'Hi' });
    expect(await streamed.text).toBe('Streamed reply.');
    expect(paths).toEqual(['/v1/responses', '/v1/responses']);
  });

  it('a tool the SDK executes, continued in a second step', async () => {
    upstreams.fakes.anthropic.setScript([
      { toolCalls: [{ id: 'toolu_1', name: 'get_weather', arguments: { city: 'Oslo' } }] },
      { text: 'Sunny in Oslo.' },
    ]);
    const result = await generateText({
      model: openai('claude-fake'),
      prompt: 'Weather in Oslo?',
      tools: {
        get_weather: tool({
          description: 'Weather for a city',
          inputSchema: jsonSchema<{ city: string }>({
            type: 'object',
            properties: { city: { type: 'string' } },
            required: ['city'],
            additionalProperties: false,
          }),
          execute: async ({ city }) => ({ city, sky: 'sunny' }),
        }),
      },
      stopWhen: stepCountIs(3),
    });
    expect(result.text).toBe('Sunny in Oslo.');
    expect(result.steps).toHaveLength(2);
    const second = JSON.stringify(upstreams.fakes.anthropic.requests.at(-1)?.body);
    expect(second).toContain('tool_result');
    expect(second).toContain('sunny');
  });
});
