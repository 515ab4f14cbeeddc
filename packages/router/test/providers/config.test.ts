import { describe, expect, it } from 'vitest';
import {
  createProvider,
  isProviderConfigured,
  loadProvidersConfig,
  PROVIDER_NAMES,
  providerEnvSchema,
} from '../../src/providers/catalogue.js';

describe('provider configuration', () => {
  it('defaults: public base URLs, default models, timeouts; local providers count as configured', () => {
    const config = loadProvidersConfig({});
    expect(config).toMatchObject({
      OPENAI_BASE_URL: 'https://api.openai.com/v1',
      ANTHROPIC_BASE_URL: 'https://api.anthropic.com',
      OPENROUTER_BASE_URL: 'https://openrouter.ai/api/v1',
      OLLAMA_HOST: 'http://localhost:11434',
      LMSTUDIO_BASE_URL: 'http://localhost:1234/v1',
      OPENAI_MODEL: 'gpt-4.1-mini',
      ANTHROPIC_MODEL: 'claude-sonnet-4-5',
      OLLAMA_MODEL: 'llama3.2',
      LLM_CONNECT_TIMEOUT_MS: 10_000,
      LLM_FIRST_BYTE_TIMEOUT_MS: 60_000,
      LLM_IDLE_TIMEOUT_MS: 60_000,
    });
    expect(config.LMSTUDIO_MODEL).toBeUndefined();
    expect(PROVIDER_NAMES.filter((name) => isProviderConfigured(name, config))).toEqual([
      'ollama',
      'lmstudio',
    ]);
  });

  it('every variable is described (for README / .env.example generation)', () => {
    for (const [key, schema] of Object.entries(providerEnvSchema.shape)) {
      expect(schema.description, key).toBeTruthy();
    }
  });

  it('empty strings count as unset and trailing slashes are dropped', () => {
    const config = loadProvidersConfig({ OPENAI_API_KEY: '', OPENAI_BASE_URL: 'http://127.0.0.1:9/v1/' });
    expect(config.OPENAI_API_KEY).toBeUndefined();
    expect(config.OPENAI_BASE_URL).toBe('http://127.0.0.1:9/v1');
  });

  it('a bad variable is named in the error, its value is not echoed', () => {
    expect(() => loadProvidersConfig({ OLLAMA_HOST: 'not a url secretvalue' })).toThrow(/OLLAMA_HOST/);
    expect(() => loadProvidersConfig({ OLLAMA_HOST: 'not a url secretvalue' })).not.toThrow(/secretvalue/);
    expect(() => loadProvidersConfig({ LLM_IDLE_TIMEOUT_MS: '-5' })).toThrow(/LLM_IDLE_TIMEOUT_MS/);
  });

  it('createProvider names the missing variable in a plain Error', () => {
    const config = loadProvidersConfig({});
    expect(() => createProvider('openai', config)).toThrow('Provider openai needs OPENAI_API_KEY');
    expect(() => createProvider('anthropic', config)).toThrow(/ANTHROPIC_API_KEY/);
    expect(() => createProvider('openrouter', config)).toThrow(/OPENROUTER_API_KEY/);
    expect(() => createProvider('azure', loadProvidersConfig({ AZURE_OPENAI_API_KEY: 'k' }))).toThrow(
      'Provider azure needs AZURE_OPENAI_ENDPOINT, AZURE_OPENAI_DEPLOYMENT',
    );
    expect(() => createProvider('nope' as never, config)).toThrow(/Unknown provider/);
  });

  it('creates every provider when configured, with base URL and default model', async () => {
    const config = loadProvidersConfig({
      OPENAI_API_KEY: 'k1',
      ANTHROPIC_API_KEY: 'k2',
      AZURE_OPENAI_ENDPOINT: 'https://res.openai.azure.com/',
      AZURE_OPENAI_API_KEY: 'k3',
      AZURE_OPENAI_DEPLOYMENT: 'dep',
      OPENROUTER_API_KEY: 'k4',
    });
    for (const name of PROVIDER_NAMES) {
      expect(isProviderConfigured(name, config)).toBe(true);
      const adapter = createProvider(name, config);
      expect(adapter.name).toBe(name);
      expect(adapter.baseUrl).toMatch(/^https?:\/\//);
      await adapter.close?.();
    }
    expect(createProvider('azure', config).defaultModel).toBe('dep');
  });
});
