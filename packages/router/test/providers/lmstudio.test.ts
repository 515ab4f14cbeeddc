import { describe, expect, it } from 'vitest';
import { createProvider, loadProvidersConfig } from '../../src/providers/catalogue.js';
import { providerEnvFor, startFakeLmStudio } from '../fakes/index.js';
import { collect, useRig, user, weatherTool } from './harness.js';

describe('lmstudio adapter', () => {
  const r = useRig('lmstudio');

  it('token usage missing from streams (#2, LM Studio #713): usage is null, never NaN, and stream_options is not sent', async () => {
    r.fake.setScript([{ text: 'local model answer' }]);
    const events = await collect(r.adapter.stream({ model: '', messages: [user('hi')] }));
    expect(events.at(-1)).toMatchObject({
      type: 'done',
      result: { content: 'local model answer', usage: null },
    });
    const body = r.fake.requests.at(-1)!.body;
    expect(body.stream).toBe(true);
    expect(body.stream_options).toBeUndefined();
    expect(r.fake.requests.at(-1)!.headers.authorization).toBeUndefined();
  });

  it('plain chat reports usage and tool calls', async () => {
    r.fake.setScript([
      { toolCalls: [{ name: 'get_weather', arguments: { city: 'Bern' } }], usage: { input: 5, output: 2 } },
    ]);
    const result = await r.adapter.chat({ model: '', messages: [user('x')], tools: [weatherTool] });
    expect(result.toolCalls[0]).toMatchObject({ name: 'get_weather', arguments: { city: 'Bern' } });
    expect(result.usage).toMatchObject({ inputTokens: 5, outputTokens: 2, totalTokens: 7 });
  });

  it('without LMSTUDIO_MODEL uses the first model from GET /models; an optional key is sent as bearer', async () => {
    const fake = await startFakeLmStudio([{ text: 'a' }, { text: 'b' }]);
    const env = { ...providerEnvFor('lmstudio', fake), LMSTUDIO_API_KEY: 'lm-key-123456' };
    delete (env as Record<string, string | undefined>).LMSTUDIO_MODEL;
    const adapter = createProvider('lmstudio', loadProvidersConfig(env));
    try {
      expect(adapter.defaultModel).toBeUndefined();
      await adapter.chat({ model: '', messages: [user('x')] });
      await adapter.chat({ model: '', messages: [user('y')] });
      const chats = fake.requests.filter((q) => q.method === 'POST');
      expect(chats.map((q) => q.body.model)).toEqual(['gpt-fake', 'gpt-fake']);
      expect(fake.requests.filter((q) => q.method === 'GET')).toHaveLength(1);
      expect(chats[0]!.headers.authorization).toBe('Bearer lm-key-123456');
    } finally {
      await adapter.close?.();
      await fake.close();
    }
  });
});
