import { z } from 'zod';
import type { ProviderAdapter } from './model.js';
import type { ParameterTable } from './parameters.js';

/**
 * What a provider folder declares about itself. The router derives everything else from the list
 * of these in `index.ts`: the provider names, the env schema and its docs, the required-variable
 * check, the secrets redacted from logs and errors.
 */
export interface ProviderDefinition<
  Name extends string = string,
  Env extends z.ZodRawShape = z.ZodRawShape,
  Required extends keyof z.output<z.ZodObject<Env>> & string = keyof z.output<z.ZodObject<Env>> & string,
> {
  name: Name;
  /** Every variable the provider reads, each described; secrets made with {@link secretVariable}. */
  env: Env;
  /** Variables it cannot work without. A provider that needs none (a local server) has defaults. */
  required: readonly Required[];
  /**
   * For a provider that requires nothing: the variables whose presence shows the operator chose it,
   * so that naming it in a request never makes the router dial localhost unasked.
   */
  chosenBy?: readonly (keyof z.output<z.ZodObject<Env>> & string)[];
  /**
   * What the provider does with each Chat Completions parameter (passed, mapped or refused): the
   * adapter enforces it, fallbacks consult it and the README table is generated from it.
   */
  parameters: ParameterTable;
  /** The model used when a request names none. */
  defaultModel(settings: z.output<z.ZodObject<Env>>): string | undefined;
  /** Builds the adapter; its required variables are known to be set. */
  create(settings: Settings<Env, Required>, context: ProviderContext): ProviderAdapter;
}

/** A provider's own variables, its required ones no longer optional. */
export type Settings<Env extends z.ZodRawShape, Required extends PropertyKey> = z.output<z.ZodObject<Env>> & {
  [Key in Required & keyof z.output<z.ZodObject<Env>>]-?: NonNullable<z.output<z.ZodObject<Env>>[Key]>;
};

export interface ProviderContext {
  timeouts: UpstreamTimeouts;
  /** Every provider secret configured: an upstream (or a proxy) may echo any of them. */
  secrets: string[];
  defaultModel: string | undefined;
  /** The definition's parameter table, handed to the adapter it builds. */
  parameters: ParameterTable;
}

export interface UpstreamTimeouts {
  connectMs: number;
  firstByteMs: number;
  idleMs: number;
}

/** Keeps the literal name and the variable names for the derived types. */
export function defineProvider<
  const Name extends string,
  Env extends z.ZodRawShape,
  const Required extends keyof z.output<z.ZodObject<Env>> & string = never,
>(definition: ProviderDefinition<Name, Env, Required>): ProviderDefinition<Name, Env, Required> {
  return definition;
}

/** A base URL; a trailing slash is dropped so paths can be appended uniformly. */
export const baseUrl = (fallback: string) =>
  z
    .url({ protocol: /^https?$/ })
    .default(fallback)
    .transform((url) => url.replace(/\/+$/, ''));

export const optionalUrl = z
  .url({ protocol: /^https?$/ })
  .optional()
  .transform((url) => url?.replace(/\/+$/, ''));

export const optionalText = (description: string) => z.string().min(1).optional().describe(description);

const SECRET = { secret: true } as const;

/** A key or token: redacted from logs and from every upstream error. */
export const secretVariable = (description: string) =>
  z
    .string()
    .min(1)
    .optional()
    .meta({ description, ...SECRET });

export function isSecretVariable(schema: z.ZodType): boolean {
  return z.globalRegistry.get(schema)?.secret === true;
}

const timeoutMs = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/** Variables shared by every provider. */
export const transportEnvShape = {
  LLM_CONNECT_TIMEOUT_MS: timeoutMs(10_000).describe('TCP/TLS connect timeout for every provider, in ms.'),
  LLM_FIRST_BYTE_TIMEOUT_MS: timeoutMs(60_000).describe(
    'Time allowed until the upstream response headers arrive, in ms.',
  ),
  LLM_IDLE_TIMEOUT_MS: timeoutMs(60_000).describe(
    'Longest silence allowed between two body chunks of an upstream response (streams included), in ms.',
  ),
};

export function timeoutsFrom(config: z.output<z.ZodObject<typeof transportEnvShape>>): UpstreamTimeouts {
  return {
    connectMs: config.LLM_CONNECT_TIMEOUT_MS,
    firstByteMs: config.LLM_FIRST_BYTE_TIMEOUT_MS,
    idleMs: config.LLM_IDLE_TIMEOUT_MS,
  };
}
