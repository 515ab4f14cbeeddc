import { type ProvidersConfig, providerSecrets, timeoutsFrom } from './config.js';
import { OpenAICompatibleAdapter } from './openai-compatible/adapter.js';
import { joinUrl } from './upstream-http.js';

/**
 * LM Studio's OpenAI-compatible server. No key needed; `stream_options` is not sent because LM
 * Studio does not support it (lmstudio-bug-tracker #713), so streamed usage is usually null.
 */
export function createLmStudioAdapter(config: ProvidersConfig): OpenAICompatibleAdapter {
  const base = config.LMSTUDIO_BASE_URL;
  const apiKey = config.LMSTUDIO_API_KEY;
  return new OpenAICompatibleAdapter(
    {
      name: 'lmstudio',
      baseUrl: base,
      defaultModel: config.LMSTUDIO_MODEL,
      chatUrl: () => joinUrl(base, '/chat/completions'),
      modelsUrl: joinUrl(base, '/models'),
      headers: apiKey ? { authorization: `Bearer ${apiKey}` } : {},
      includeStreamUsage: false,
      maxTokensField: 'max_tokens',
      secrets: providerSecrets(config),
    },
    timeoutsFrom(config),
  );
}
