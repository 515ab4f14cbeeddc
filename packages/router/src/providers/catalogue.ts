/**
 * Everything the router knows about its providers, derived from the list in `index.ts`: nothing
 * here names a provider.
 */
import { parseEnv } from '@ocsai/contract';
import { z } from 'zod';
import { isSecretVariable, type ProviderDefinition, timeoutsFrom, transportEnvShape } from './definition.js';
import { PROVIDERS } from './index.js';
import type { ProviderAdapter } from './model.js';

type Listed = (typeof PROVIDERS)[number];
export type ProviderName = Listed['name'];

export const PROVIDER_NAMES = PROVIDERS.map((provider) => provider.name) as unknown as readonly [
  ProviderName,
  ...ProviderName[],
];

type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void
  ? I
  : never;
type ProvidersShape = UnionToIntersection<Listed['env']> & typeof transportEnvShape;

/**
 * Every environment variable the provider layer reads, provider by provider in list order, then the
 * shared transport timeouts. Descriptions and defaults feed the README and `.env.example`.
 */
export const providerEnvSchema = z.object({
  ...Object.assign({}, ...PROVIDERS.map((provider) => provider.env)),
  ...transportEnvShape,
} as ProvidersShape);

export type ProvidersConfig = z.output<typeof providerEnvSchema>;

/** The variables flagged secret: redacted from logs (logger.ts) and from every upstream error. */
export const SECRET_VARIABLES: readonly string[] = Object.entries(providerEnvSchema.shape)
  .filter(([, schema]) => isSecretVariable(schema))
  .map(([name]) => name);

const byName = new Map<string, ProviderDefinition>(
  PROVIDERS.map((provider) => [provider.name, provider as unknown as ProviderDefinition]),
);

/** Validates the provider environment; blank counts as unset, the error never echoes a value. */
export function loadProvidersConfig(env: Readonly<Record<string, string | undefined>>): ProvidersConfig {
  return parseEnv('provider', providerEnvSchema, env);
}

/**
 * Every provider key configured, whichever provider is answering: an upstream (or a proxy in
 * front of it) may echo any of them, and each is redacted from every error.
 */
export function providerSecrets(config: ProvidersConfig): string[] {
  const values = config as Record<string, unknown>;
  return SECRET_VARIABLES.map((name) => values[name]).filter(
    (secret): secret is string => typeof secret === 'string' && secret.length > 0,
  );
}

function missingVariables(definition: ProviderDefinition, config: ProvidersConfig): string[] {
  const values = config as Record<string, unknown>;
  return definition.required.filter((key) => !values[key]);
}

/**
 * Builds the adapter (with its own keep-alive pool). Throws a plain Error naming the missing
 * variable when a required one is absent: that is a configuration mistake, not an upstream failure.
 * This is the one place required variables are checked.
 */
export function createProvider(name: ProviderName, config: ProvidersConfig): ProviderAdapter {
  const definition = byName.get(name);
  if (!definition) throw new Error(`Unknown provider "${String(name)}"`);
  const missing = missingVariables(definition, config);
  if (missing.length > 0) throw new Error(`Provider ${name} needs ${missing.join(', ')}`);
  return definition.create(config as never, {
    timeouts: timeoutsFrom(config),
    secrets: providerSecrets(config),
    defaultModel: definition.defaultModel(config as never),
    parameters: definition.parameters,
  });
}

/** Whether every variable the provider requires is set (local providers always count as configured). */
export function isProviderConfigured(name: ProviderName, config: ProvidersConfig): boolean {
  const definition = byName.get(name);
  return definition !== undefined && missingVariables(definition, config).length === 0;
}

/**
 * The providers requests may pick: the default provider, fallback targets, and every provider whose
 * variables the operator set. A provider that requires nothing (ollama, lmstudio) counts only when
 * one of its `chosenBy` variables is set, so `"provider":"ollama"` never makes the router connect to
 * localhost:11434 unless the operator asked for Ollama.
 */
export function enabledProviders(
  env: Readonly<Record<string, string | undefined>>,
  config: ProvidersConfig,
  chosen: readonly ProviderName[],
): ProviderName[] {
  return PROVIDER_NAMES.filter((name) => {
    if (chosen.includes(name)) return true;
    const definition = byName.get(name) as ProviderDefinition;
    if (definition.required.length > 0) return isProviderConfigured(name, config);
    return (definition.chosenBy ?? []).some((variable) => Boolean(env[variable]?.trim()));
  });
}
