/** Complaint #10 (Helicone #5639): structured output must be translated into each provider's own field. */
import { describe, expect, it } from 'vitest';
import { PROVIDER_NAMES, type ProviderName } from '../../src/providers/catalogue.js';
import { rig, user } from './harness.js';

const schema = { type: 'object', properties: { balance: { type: 'number' } }, required: ['balance'] };

const expected: Record<ProviderName, (body: Record<string, unknown>) => unknown> = {
  openai: (b) => b.response_format,
  azure: (b) => b.response_format,
  openrouter: (b) => b.response_format,
  lmstudio: (b) => b.response_format,
  anthropic: (b) => b.output_config,
  ollama: (b) => b.format,
};

const openAIStyle = { type: 'json_schema', json_schema: { name: 'balance', schema } };
const wanted: Record<ProviderName, unknown> = {
  openai: openAIStyle,
  azure: openAIStyle,
  openrouter: openAIStyle,
  // LM Studio accepts json_schema but not json_object.
  lmstudio: openAIStyle,
  anthropic: { format: { type: 'json_schema', schema } },
  ollama: schema,
};

describe.each(PROVIDER_NAMES)('%s structured output', (name) => {
  it('maps responseFormat to the provider field, and sends nothing when absent', async () => {
    const r = await rig(name);
    try {
      r.fake.setScript([{ text: '{"balance":12.5}' }, { text: 'plain' }]);
      const result = await r.adapter.chat({
        model: '',
        messages: [user('balance?')],
        responseFormat: { type: 'json_schema', name: 'balance', schema },
      });
      expect(JSON.parse(result.content)).toEqual({ balance: 12.5 });
      expect(expected[name](r.fake.requests[0]!.body)).toEqual(wanted[name]);
      await r.adapter.chat({ model: '', messages: [user('x')] });
      expect(expected[name](r.fake.requests[1]!.body)).toBeUndefined();
    } finally {
      await r.close();
    }
  });
});
