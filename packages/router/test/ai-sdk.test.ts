/**
 * The Vercel AI SDK's `generateObject` over `@ai-sdk/openai-compatible`, pointed at the router: it
 * sends response_format json_schema (structuredOutputs) and reads the object back. Before issue
 * #18 the router dropped response_format, so this only worked by luck of the model.
 */
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { generateObject, generateText } from 'ai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startRouter } from '../src/index.js';
import { startAllFakes } from './support/fake-upstreams.js';

let upstreams: Awaited<ReturnType<typeof startAllFakes>>;
let router: Awaited<ReturnType<typeof startRouter>>;

beforeAll(async () => {
  upstreams = await startAllFakes();
  router = await startRouter({
    env: { ...upstreams.env, LLM_PROVIDER: 'openai', LLM_MAX_RETRIES: '0' },
    port: 0,
    logger: false,
  });
});
afterAll(async () => {
  await router?.close();
  await upstreams?.close();
});

const Plan = z.object({ plan: z.string(), data_left_mb: z.number().int() });

describe('AI SDK over the router', () => {
  const provider = () =>
    createOpenAICompatible({
      name: 'router',
      baseURL: `${router.url}/v1`,
      apiKey: 'unused',
      supportsStructuredOutputs: true,
      includeUsage: true,
    });

  it.each(['ollama/llama3.2', 'anthropic/claude-fake', 'openai/gpt-fake'])(
    'generateObject with a zod schema returns the object (%s)',
    async (model) => {
      const name = model.split('/')[0] as 'ollama' | 'anthropic' | 'openai';
      upstreams.fakes[name].setScript([{ json: { plan: 'Max 5G', data_left_mb: 2048 } }]);
      const { object } = await generateObject({
        model: provider().chatModel(model),
        schema: Plan,
        schemaName: 'plan',
        prompt: 'My plan?',
        maxRetries: 0,
      });
      expect(object).toEqual({ plan: 'Max 5G', data_left_mb: 2048 });
      const sent = upstreams.fakes[name].requests.at(-1)!.body;
      const schema =
        name === 'ollama'
          ? sent.format
          : name === 'anthropic'
            ? sent.output_config.format.schema
            : sent.response_format.json_schema.schema;
      expect(schema).toMatchObject({ type: 'object', required: ['plan', 'data_left_mb'] });
    },
  );

  it('generateText with the options the AI SDK sends (stop, seed, top_p, penalties) reaches the provider', async () => {
    upstreams.fakes.openai.setScript([{ text: 'ok' }]);
    const { text } = await generateText({
      model: provider().chatModel('openai/gpt-fake'),
      prompt: 'hi',
      stopSequences: ['END'],
      seed: 3,
      topP: 0.5,
      presencePenalty: 0.1,
      frequencyPenalty: 0.2,
      maxRetries: 0,
    });
    expect(text).toBe('ok');
    expect(upstreams.fakes.openai.requests.at(-1)!.body).toMatchObject({
      stop: ['END'],
      seed: 3,
      top_p: 0.5,
      presence_penalty: 0.1,
      frequency_penalty: 0.2,
    });
  });
});
