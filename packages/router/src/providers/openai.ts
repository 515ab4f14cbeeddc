import { type ProvidersConfig, providerSecrets, timeoutsFrom } from './config.js';
import { OpenAICompatibleAdapter } from './openai-compatible/adapter.js';
import { joinUrl } from './upstream-http.js';

export function createOpenAIAdapter(config: ProvidersConfig): OpenAICompatibleAdapter {
  const apiKey = config.OPENAI_API_KEY;
  if (!apiKey) throw new Error('Provider openai needs OPENAI_API_KEY');
  const base = config.OPENAI_BASE_URL;
  return new OpenAICompatibleAdapter(
    {
      name: 'openai',
      baseUrl: base,
      defaultModel: config.OPENAI_MODEL,
      chatUrl: () => joinUrl(base, '/chat/completions'),
      modelsUrl: joinUrl(base, '/models'),
      headers: { authorization: `Bearer ${apiKey}` },
      includeStreamUsage: true,
      maxTokensField: 'max_completion_tokens',
      secrets: providerSecrets(config),
    },
    timeoutsFrom(config),
  );
}
