import { type ProvidersConfig, providerSecrets, timeoutsFrom } from './config.js';
import { OpenAICompatibleAdapter } from './openai-compatible/adapter.js';
import { ProviderError } from './types.js';
import { joinUrl } from './upstream-http.js';

/**
 * OpenRouter: OpenAI-compatible, plus optional attribution headers. Its quirks (`: OPENROUTER
 * PROCESSING` SSE comments, errors inside a 200 body or stream) are handled by the shared adapter;
 * this module only makes the 402 "out of credits" case say so.
 */
export function createOpenRouterAdapter(config: ProvidersConfig): OpenAICompatibleAdapter {
  const apiKey = config.OPENROUTER_API_KEY;
  if (!apiKey) throw new Error('Provider openrouter needs OPENROUTER_API_KEY');
  const base = config.OPENROUTER_BASE_URL;
  const headers: Record<string, string> = { authorization: `Bearer ${apiKey}` };
  if (config.OPENROUTER_APP_URL) headers['http-referer'] = config.OPENROUTER_APP_URL;
  if (config.OPENROUTER_APP_NAME) headers['x-title'] = config.OPENROUTER_APP_NAME;
  return new OpenAICompatibleAdapter(
    {
      name: 'openrouter',
      baseUrl: base,
      defaultModel: config.OPENROUTER_MODEL,
      chatUrl: () => joinUrl(base, '/chat/completions'),
      modelsUrl: joinUrl(base, '/models'),
      headers,
      includeStreamUsage: true,
      maxTokensField: 'max_tokens',
      secrets: providerSecrets(config),
      refineError: (error) =>
        error.status === 402
          ? new ProviderError(
              'openrouter',
              'auth',
              `${error.message} (OpenRouter account is out of credits)`,
              {
                ...error.options,
                cause: error,
              },
            )
          : error,
    },
    timeoutsFrom(config),
  );
}
