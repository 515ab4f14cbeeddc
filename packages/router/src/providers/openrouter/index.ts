import { z } from 'zod';
import { baseUrl, defineProvider, optionalText, secretVariable } from '../definition.js';
import { ProviderError } from '../model.js';
import { compatibleAdapter } from '../openai-compatible/adapter.js';
import { openAiCompatibleParameters, parameterSupport } from '../parameters.js';

/**
 * OpenRouter: OpenAI-compatible, plus optional attribution headers. Its quirks (`: OPENROUTER
 * PROCESSING` SSE comments, errors inside a 200 body or stream) are handled by the shared adapter;
 * this module only makes the 402 "out of credits" case say so.
 */
export const openrouter = defineProvider({
  name: 'openrouter',
  env: {
    OPENROUTER_API_KEY: secretVariable(
      'OpenRouter API key (Authorization: Bearer). Required for openrouter.',
    ),
    OPENROUTER_BASE_URL: baseUrl('https://openrouter.ai/api/v1').describe('OpenRouter API base URL.'),
    OPENROUTER_MODEL: z.string().min(1).default('openai/gpt-4.1-mini').describe('Default OpenRouter model.'),
    OPENROUTER_APP_URL: optionalText('App URL sent as HTTP-Referer (OpenRouter attribution).'),
    OPENROUTER_APP_NAME: optionalText('App name sent as X-Title (OpenRouter attribution).'),
  },
  required: ['OPENROUTER_API_KEY'],
  parameters: openAiCompatibleParameters({
    max_tokens: parameterSupport.mapped('max_tokens'),
    reasoning_effort: parameterSupport.mapped('reasoning.effort'),
    metadata: parameterSupport.refused('OpenRouter has no request metadata'),
    service_tier: parameterSupport.refused('OpenRouter picks the upstream tier itself'),
  }),
  defaultModel: (settings) => settings.OPENROUTER_MODEL,
  create: (settings, context) => {
    const headers: Record<string, string> = { authorization: `Bearer ${settings.OPENROUTER_API_KEY}` };
    if (settings.OPENROUTER_APP_URL) headers['http-referer'] = settings.OPENROUTER_APP_URL;
    if (settings.OPENROUTER_APP_NAME) headers['x-title'] = settings.OPENROUTER_APP_NAME;
    return compatibleAdapter(context, {
      name: 'openrouter',
      baseUrl: settings.OPENROUTER_BASE_URL,
      headers,
      includeStreamUsage: true,
      reasoningEffort: 'reasoning.effort',
      maxTokensField: 'max_tokens',
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
    });
  },
});
