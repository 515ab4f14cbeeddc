import { z } from 'zod';
import { PROVIDER_NAMES, type ProviderName } from '../providers/types.js';

const optionalEnv = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === '' ? undefined : value), schema);

export interface FallbackTarget {
  provider: ProviderName;
  model: string;
}

const KNOWN = new Set<string>(PROVIDER_NAMES);

/** `anthropic:claude-sonnet-4-5,openai:gpt-4.1-mini` -> ordered provider/model pairs. */
const fallbackList = z.string().transform((text, ctx): FallbackTarget[] => {
  const targets: FallbackTarget[] = [];
  for (const raw of text.split(',')) {
    const entry = raw.trim();
    if (!entry) continue;
    const colon = entry.indexOf(':');
    const provider = colon > 0 ? entry.slice(0, colon) : '';
    const model = colon > 0 ? entry.slice(colon + 1).trim() : '';
    if (!KNOWN.has(provider) || !model) {
      ctx.addIssue({
        code: 'custom',
        message: `"${entry.slice(0, 80)}" is not provider:model (providers: ${PROVIDER_NAMES.join(', ')})`,
      });
      return z.NEVER;
    }
    targets.push({ provider: provider as ProviderName, model });
  }
  return targets;
});

/** Retry, fallback and circuit-breaker settings; spread into the router's env schema. */
export const resilienceEnvShape = {
  LLM_MAX_RETRIES: optionalEnv(
    z.coerce.number().int().min(0).max(10).default(2).describe('Retries per provider after the first try.'),
  ),
  LLM_RETRY_BUDGET_MS: optionalEnv(
    z.coerce
      .number()
      .int()
      .min(0)
      .max(600_000)
      .default(30_000)
      .describe('Total time one request may spend on retries and fallbacks, waits included.'),
  ),
  LLM_RETRY_BASE_MS: optionalEnv(
    z.coerce
      .number()
      .int()
      .min(1)
      .max(60_000)
      .default(250)
      .describe('First backoff ceiling; doubles per retry (full jitter), capped at 8 s.'),
  ),
  LLM_FALLBACKS: optionalEnv(
    fallbackList.default([]).describe('Ordered provider:model pairs tried when the primary gives up.'),
  ),
  LLM_BREAKER_FAILURE_RATE: optionalEnv(
    z.coerce.number().min(0.01).max(1).default(0.5).describe('Failure share that opens a breaker.'),
  ),
  LLM_BREAKER_MIN_REQUESTS: optionalEnv(
    z.coerce
      .number()
      .int()
      .min(1)
      .max(10_000)
      .default(10)
      .describe('Calls in the window before it may open.'),
  ),
  LLM_BREAKER_WINDOW_MS: optionalEnv(
    z.coerce
      .number()
      .int()
      .min(1000)
      .max(3_600_000)
      .default(60_000)
      .describe('Rolling window of the breaker.'),
  ),
  LLM_BREAKER_COOLDOWN_MS: optionalEnv(
    z.coerce
      .number()
      .int()
      .min(100)
      .max(3_600_000)
      .default(30_000)
      .describe('Time an open breaker waits before letting one probe through.'),
  ),
};

export interface ResilienceConfig {
  LLM_MAX_RETRIES: number;
  LLM_RETRY_BUDGET_MS: number;
  LLM_RETRY_BASE_MS: number;
  LLM_FALLBACKS: FallbackTarget[];
  LLM_BREAKER_FAILURE_RATE: number;
  LLM_BREAKER_MIN_REQUESTS: number;
  LLM_BREAKER_WINDOW_MS: number;
  LLM_BREAKER_COOLDOWN_MS: number;
}
