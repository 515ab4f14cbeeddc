import { z } from 'zod';

/** A base URL; a trailing slash is dropped so paths can be appended uniformly. */
const baseUrl = (fallback: string) =>
  z
    .url({ protocol: /^https?$/ })
    .default(fallback)
    .transform((url) => url.replace(/\/+$/, ''));
const optionalUrl = z
  .url({ protocol: /^https?$/ })
  .optional()
  .transform((url) => url?.replace(/\/+$/, ''));
const secret = z.string().min(1).optional();
const timeoutMs = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/**
 * Every environment variable the provider layer reads. Descriptions and defaults feed the README
 * and `.env.example`; a provider counts as configured when its required variables are set.
 */
export const providerEnvSchema = z.object({
  OPENAI_API_KEY: secret.describe(
    'OpenAI API key (Authorization: Bearer). Required for the openai provider.',
  ),
  OPENAI_BASE_URL: baseUrl('https://api.openai.com/v1').describe('OpenAI API base URL.'),
  OPENAI_MODEL: z.string().min(1).default('gpt-4.1-mini').describe('Default OpenAI model.'),

  ANTHROPIC_API_KEY: secret.describe('Anthropic API key (x-api-key). Required for the anthropic provider.'),
  ANTHROPIC_BASE_URL: baseUrl('https://api.anthropic.com').describe(
    'Anthropic API base URL, without /v1 (the adapter appends /v1/messages).',
  ),
  ANTHROPIC_MODEL: z.string().min(1).default('claude-sonnet-4-5').describe('Default Anthropic model.'),

  AZURE_OPENAI_ENDPOINT: optionalUrl.describe(
    'Azure OpenAI resource endpoint, e.g. https://my-resource.openai.azure.com. Required for the azure provider.',
  ),
  AZURE_OPENAI_API_KEY: secret.describe('Azure OpenAI key, sent as the api-key header. Required for azure.'),
  AZURE_OPENAI_DEPLOYMENT: z
    .string()
    .min(1)
    .optional()
    .describe(
      'Azure deployment name (the name you gave the deployment, not the model name). Required for azure.',
    ),
  AZURE_OPENAI_API_VERSION: z
    .string()
    .min(1)
    .optional()
    .describe(
      'Set (e.g. 2024-10-21) to use the classic /openai/deployments/{deployment}/chat/completions?api-version= URL; unset uses the v1 API (/openai/v1/chat/completions, deployment as model).',
    ),

  OPENROUTER_API_KEY: secret.describe('OpenRouter API key (Authorization: Bearer). Required for openrouter.'),
  OPENROUTER_BASE_URL: baseUrl('https://openrouter.ai/api/v1').describe('OpenRouter API base URL.'),
  OPENROUTER_MODEL: z.string().min(1).default('openai/gpt-4.1-mini').describe('Default OpenRouter model.'),
  OPENROUTER_APP_URL: z
    .string()
    .min(1)
    .optional()
    .describe('App URL sent as HTTP-Referer (OpenRouter attribution).'),
  OPENROUTER_APP_NAME: z
    .string()
    .min(1)
    .optional()
    .describe('App name sent as X-Title (OpenRouter attribution).'),

  OLLAMA_HOST: baseUrl('http://localhost:11434').describe('Ollama server URL (native API, no auth).'),
  OLLAMA_MODEL: z.string().min(1).default('llama3.2').describe('Default Ollama model.'),

  LMSTUDIO_BASE_URL: baseUrl('http://localhost:1234/v1').describe('LM Studio OpenAI-compatible base URL.'),
  LMSTUDIO_MODEL: z
    .string()
    .min(1)
    .optional()
    .describe('Default LM Studio model; unset uses the first model listed by GET /models.'),
  LMSTUDIO_API_KEY: secret.describe('Optional LM Studio API key (Authorization: Bearer).'),

  LLM_CONNECT_TIMEOUT_MS: timeoutMs(10_000).describe('TCP/TLS connect timeout for every provider, in ms.'),
  LLM_FIRST_BYTE_TIMEOUT_MS: timeoutMs(60_000).describe(
    'Time allowed until the upstream response headers arrive, in ms.',
  ),
  LLM_IDLE_TIMEOUT_MS: timeoutMs(60_000).describe(
    'Longest silence allowed between two body chunks of an upstream response (streams included), in ms.',
  ),
});

export type ProvidersConfig = z.output<typeof providerEnvSchema>;

/**
 * Validates the provider environment. Empty strings count as unset (docker-compose and .env files
 * produce them). The error names the bad variable but never echoes its value, which may be a secret.
 */
export function loadProvidersConfig(env: Record<string, string | undefined>): ProvidersConfig {
  const known = Object.keys(providerEnvSchema.shape);
  const present: Record<string, string> = {};
  for (const key of known) {
    const value = env[key];
    if (value !== undefined && value.trim() !== '') present[key] = value.trim();
  }
  const parsed = providerEnvSchema.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid provider configuration: ${problems.join('; ')}`);
  }
  return parsed.data;
}

/**
 * Every provider key configured, whichever provider is answering: an upstream (or a proxy in
 * front of it) may echo any of them, and each is redacted from every error.
 */
export function providerSecrets(config: ProvidersConfig): string[] {
  return [
    config.OPENAI_API_KEY,
    config.ANTHROPIC_API_KEY,
    config.AZURE_OPENAI_API_KEY,
    config.OPENROUTER_API_KEY,
    config.LMSTUDIO_API_KEY,
  ].filter((secret): secret is string => Boolean(secret));
}

export interface UpstreamTimeouts {
  connectMs: number;
  firstByteMs: number;
  idleMs: number;
}

export function timeoutsFrom(config: ProvidersConfig): UpstreamTimeouts {
  return {
    connectMs: config.LLM_CONNECT_TIMEOUT_MS,
    firstByteMs: config.LLM_FIRST_BYTE_TIMEOUT_MS,
    idleMs: config.LLM_IDLE_TIMEOUT_MS,
  };
}
