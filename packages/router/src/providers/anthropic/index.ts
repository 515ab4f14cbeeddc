import { z } from 'zod';
import { baseUrl, defineProvider, secretVariable } from '../definition.js';
import { AnthropicAdapter } from './adapter.js';

export const anthropic = defineProvider({
  name: 'anthropic',
  env: {
    ANTHROPIC_API_KEY: secretVariable('Anthropic API key (x-api-key). Required for the anthropic provider.'),
    ANTHROPIC_BASE_URL: baseUrl('https://api.anthropic.com').describe(
      'Anthropic API base URL, without /v1 (the adapter appends /v1/messages).',
    ),
    ANTHROPIC_MODEL: z.string().min(1).default('claude-sonnet-4-5').describe('Default Anthropic model.'),
  },
  required: ['ANTHROPIC_API_KEY'],
  defaultModel: (settings) => settings.ANTHROPIC_MODEL,
  create: (settings, { timeouts, secrets }) =>
    new AnthropicAdapter({
      apiKey: settings.ANTHROPIC_API_KEY,
      baseUrl: settings.ANTHROPIC_BASE_URL,
      defaultModel: settings.ANTHROPIC_MODEL,
      timeouts,
      secrets,
    }),
});
