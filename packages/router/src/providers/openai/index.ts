import { z } from 'zod';
import { baseUrl, defineProvider, secretVariable } from '../definition.js';
import { compatibleAdapter } from '../openai-compatible/adapter.js';
import { openAiCompatibleParameters, parameterSupport } from '../parameters.js';

export const openai = defineProvider({
  name: 'openai',
  env: {
    OPENAI_API_KEY: secretVariable(
      'OpenAI API key (Authorization: Bearer). Required for the openai provider.',
    ),
    OPENAI_BASE_URL: baseUrl('https://api.openai.com/v1').describe('OpenAI API base URL.'),
    OPENAI_MODEL: z.string().min(1).default('gpt-4.1-mini').describe('Default OpenAI model.'),
  },
  required: ['OPENAI_API_KEY'],
  parameters: openAiCompatibleParameters({
    n: parameterSupport.passed('every choice is returned; with stream, n > 1 is refused'),
  }),
  defaultModel: (settings) => settings.OPENAI_MODEL,
  create: (settings, context) =>
    compatibleAdapter(context, {
      name: 'openai',
      baseUrl: settings.OPENAI_BASE_URL,
      headers: { authorization: `Bearer ${settings.OPENAI_API_KEY}` },
      includeStreamUsage: true,
      maxTokensField: 'max_completion_tokens',
    }),
});
