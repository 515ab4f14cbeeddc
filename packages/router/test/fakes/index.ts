/** Fake LLM upstreams for tests, one per provider, all driven by the script model in script.ts. */
import type { ProviderName } from '../../src/providers/catalogue.js';
import { startFakeAnthropic } from './anthropic.js';
import { startFakeOllama } from './ollama.js';
import {
  startFakeAzure,
  startFakeLmStudio,
  startFakeOpenAI,
  startFakeOpenRouter,
} from './openai-compatible.js';
import type { FakeScript, FakeServer } from './script.js';

export * from './script.js';
export {
  startFakeAnthropic,
  startFakeAzure,
  startFakeLmStudio,
  startFakeOllama,
  startFakeOpenAI,
  startFakeOpenRouter,
};

/** The fake upstream of each provider, for tests that loop over all six. */
export const startFakeFor: Record<ProviderName, (script?: FakeScript) => Promise<FakeServer>> = {
  openai: startFakeOpenAI,
  anthropic: startFakeAnthropic,
  azure: startFakeAzure,
  openrouter: startFakeOpenRouter,
  ollama: startFakeOllama,
  lmstudio: startFakeLmStudio,
};

/** Keys the fakes are configured with; tests assert none of them leaks into an error. */
export const FAKE_KEYS = {
  openai: 'sk-proj-FAKEopenaiKEY0123456789',
  anthropic: 'sk-ant-api03-FAKEanthropicKEY0123456789',
  azure: 'fakeazurekey0123456789abcdef',
  openrouter: 'sk-or-v1-FAKEopenrouterKEY0123456789',
  lmstudio: 'lm-studio-fake-key',
} as const;

export interface FakeEnvOptions {
  /** Azure only: set AZURE_OPENAI_API_VERSION to use the classic deployment URL. */
  azureApiVersion?: string;
  /** Small timeouts for timeout tests. */
  timeouts?: { connectMs?: number; firstByteMs?: number; idleMs?: number };
}

/** Environment variables that point the router's provider at a fake. */
export function providerEnvFor(
  name: ProviderName,
  fake: FakeServer,
  options: FakeEnvOptions = {},
): Record<string, string> {
  const env: Record<string, string> = {};
  switch (name) {
    case 'openai':
      Object.assign(env, {
        OPENAI_API_KEY: FAKE_KEYS.openai,
        OPENAI_BASE_URL: fake.url,
        OPENAI_MODEL: 'gpt-fake',
      });
      break;
    case 'anthropic':
      Object.assign(env, {
        ANTHROPIC_API_KEY: FAKE_KEYS.anthropic,
        ANTHROPIC_BASE_URL: fake.url,
        ANTHROPIC_MODEL: 'claude-fake',
      });
      break;
    case 'azure':
      Object.assign(env, {
        AZURE_OPENAI_ENDPOINT: fake.url,
        AZURE_OPENAI_API_KEY: FAKE_KEYS.azure,
        AZURE_OPENAI_DEPLOYMENT: 'my-gpt4o-deployment',
        ...(options.azureApiVersion && { AZURE_OPENAI_API_VERSION: options.azureApiVersion }),
      });
      break;
    case 'openrouter':
      Object.assign(env, {
        OPENROUTER_API_KEY: FAKE_KEYS.openrouter,
        OPENROUTER_BASE_URL: fake.url,
        OPENROUTER_MODEL: 'openai/gpt-fake',
      });
      break;
    case 'ollama':
      Object.assign(env, { OLLAMA_HOST: fake.url, OLLAMA_MODEL: 'llama3.2' });
      break;
    case 'lmstudio':
      Object.assign(env, { LMSTUDIO_BASE_URL: fake.url, LMSTUDIO_MODEL: 'qwen-fake' });
      break;
  }
  if (options.timeouts?.connectMs) env.LLM_CONNECT_TIMEOUT_MS = String(options.timeouts.connectMs);
  if (options.timeouts?.firstByteMs) env.LLM_FIRST_BYTE_TIMEOUT_MS = String(options.timeouts.firstByteMs);
  if (options.timeouts?.idleMs) env.LLM_IDLE_TIMEOUT_MS = String(options.timeouts.idleMs);
  return env;
}
