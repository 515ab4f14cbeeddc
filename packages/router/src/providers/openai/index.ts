import { z } from 'zod';
import { baseUrl, defineProvider, secretVariable } from '../definition.js';
import { OpenAICompatibleAdapter } from '../openai-compatible/adapter.js';
import { joinUrl } from '../upstream-http.js';

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
  defaultModel: (settings) => settings.OPENAI_MODEL,
  create: (settings, { timeouts, secrets, defaultModel }) =>
    new OpenAICompatibleAdapter(
      {
        name: 'openai',
        baseUrl: settings.OPENAI_BASE_URL,
        defaultModel,
        chatUrl: () => joinUrl(settings.OPENAI_BASE_URL, '/chat/completions'),
        modelsUrl: joinUrl(settings.OPENAI_BASE_URL, '/models'),
        headers: { authorization: `Bearer ${settings.OPENAI_API_KEY}` },
        includeStreamUsage: true,
        maxTokensField: 'max_completion_tokens',
        secrets,
      },
      timeouts,
    ),
});
