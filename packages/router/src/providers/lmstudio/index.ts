import { baseUrl, defineProvider, optionalText, secretVariable } from '../definition.js';
import { compatibleAdapter } from '../openai-compatible/adapter.js';
import { openAiCompatibleParameters, parameterSupport } from '../parameters.js';

/**
 * LM Studio's OpenAI-compatible server. No key needed; `stream_options` is not sent because LM
 * Studio does not support it (lmstudio-bug-tracker #713), so streamed usage is usually null.
 */
export const lmstudio = defineProvider({
  name: 'lmstudio',
  env: {
    LMSTUDIO_BASE_URL: baseUrl('http://localhost:1234/v1').describe('LM Studio OpenAI-compatible base URL.'),
    LMSTUDIO_MODEL: optionalText(
      'Default LM Studio model; unset uses the first model listed by GET /models.',
    ),
    LMSTUDIO_API_KEY: secretVariable('Optional LM Studio API key (Authorization: Bearer).'),
  },
  required: [],
  chosenBy: ['LMSTUDIO_BASE_URL', 'LMSTUDIO_MODEL', 'LMSTUDIO_API_KEY'],
  parameters: openAiCompatibleParameters({
    max_tokens: parameterSupport.mapped('max_tokens'),
    response_format: parameterSupport.mapped(
      'json_schema passed; json_object, which LM Studio lacks, is sent as a json_schema any object matches',
    ),
    logprobs: parameterSupport.refused('LM Studio returns no log probabilities'),
    top_logprobs: parameterSupport.refused('LM Studio returns no log probabilities'),
    user: parameterSupport.refused('LM Studio has no end-user field'),
    metadata: parameterSupport.refused('LM Studio has no request metadata'),
    service_tier: parameterSupport.refused('LM Studio has no service tiers'),
  }),
  defaultModel: (settings) => settings.LMSTUDIO_MODEL,
  create: (settings, context) =>
    compatibleAdapter(context, {
      name: 'lmstudio',
      baseUrl: settings.LMSTUDIO_BASE_URL,
      headers: settings.LMSTUDIO_API_KEY ? { authorization: `Bearer ${settings.LMSTUDIO_API_KEY}` } : {},
      includeStreamUsage: false,
      jsonObject: 'object_schema',
      maxTokensField: 'max_tokens',
    }),
});
