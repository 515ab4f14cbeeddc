/**
 * The provider layer's public surface: configuration from the environment and one adapter per
 * provider. Adding a provider is adding a module and one line in `factories`.
 */
import { AnthropicAdapter } from './anthropic.js';
import { createAzureAdapter } from './azure.js';
import type { ProvidersConfig } from './config.js';
import { createLmStudioAdapter } from './lmstudio.js';
import { OllamaAdapter } from './ollama.js';
import { createOpenAIAdapter } from './openai.js';
import { createOpenRouterAdapter } from './openrouter.js';
import { PROVIDER_NAMES, type ProviderAdapter, type ProviderName } from './types.js';

export {
  loadProvidersConfig,
  type ProvidersConfig,
  providerEnvSchema,
  type UpstreamTimeouts,
} from './config.js';
export * from './types.js';

const factories: Record<ProviderName, (config: ProvidersConfig) => ProviderAdapter> = {
  openai: createOpenAIAdapter,
  anthropic: (config) => new AnthropicAdapter(config),
  azure: createAzureAdapter,
  openrouter: createOpenRouterAdapter,
  ollama: (config) => new OllamaAdapter(config),
  lmstudio: createLmStudioAdapter,
};

/** Variables a provider cannot work without; local servers (Ollama, LM Studio) need none. */
const requiredVariables: Record<ProviderName, (keyof ProvidersConfig)[]> = {
  openai: ['OPENAI_API_KEY'],
  anthropic: ['ANTHROPIC_API_KEY'],
  azure: ['AZURE_OPENAI_ENDPOINT', 'AZURE_OPENAI_API_KEY', 'AZURE_OPENAI_DEPLOYMENT'],
  openrouter: ['OPENROUTER_API_KEY'],
  ollama: [],
  lmstudio: [],
};

/**
 * Builds the adapter (with its own keep-alive pool). Throws a plain Error naming the missing
 * variable when a required one is absent: that is a configuration mistake, not an upstream failure.
 */
export function createProvider(name: ProviderName, config: ProvidersConfig): ProviderAdapter {
  const factory = factories[name];
  if (!factory) throw new Error(`Unknown provider "${String(name)}"`);
  const missing = requiredVariables[name].filter((key) => !config[key]);
  if (missing.length > 0) throw new Error(`Provider ${name} needs ${missing.join(', ')}`);
  return factory(config);
}

/** Variables that show an operator chose a local provider that needs none (it has defaults). */
const localVariables: Record<ProviderName, string[]> = {
  openai: [],
  anthropic: [],
  azure: [],
  openrouter: [],
  ollama: ['OLLAMA_HOST', 'OLLAMA_MODEL'],
  lmstudio: ['LMSTUDIO_BASE_URL', 'LMSTUDIO_MODEL', 'LMSTUDIO_API_KEY'],
};

/**
 * The providers requests may pick: the default provider, fallback targets, and every provider whose
 * variables the operator set. A local provider (ollama, lmstudio) counts only when one of its
 * variables is set, so `"provider":"ollama"` never makes the router connect to localhost:11434
 * unless the operator asked for Ollama.
 */
export function enabledProviders(
  env: Record<string, string | undefined>,
  config: ProvidersConfig,
  chosen: readonly ProviderName[],
): ProviderName[] {
  return PROVIDER_NAMES.filter(
    (name) =>
      chosen.includes(name) ||
      (requiredVariables[name].length > 0
        ? isProviderConfigured(name, config)
        : localVariables[name].some((variable) => Boolean(env[variable]?.trim()))),
  );
}

/** Whether every variable the provider requires is set (local providers always count as configured). */
export function isProviderConfigured(name: ProviderName, config: ProvidersConfig): boolean {
  const required = requiredVariables[name];
  return required?.every((key) => Boolean(config[key])) ?? false;
}
