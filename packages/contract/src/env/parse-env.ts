import { z } from 'zod';

/**
 * A service's configuration is wrong. The message names every bad variable and never echoes a
 * value: some are secrets, and a start-up error is printed, logged and pasted into tickets.
 */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * An unset variable and a blank one (empty or only white space) mean the same thing: use the
 * default. This is how `VAR= cmd` and an `.env` line `VAR=` are meant, and a blank value left by a
 * template must not fail a `.min(1)` or turn into `0` through `z.coerce.number()`.
 */
export function isBlank(value: string | undefined): value is undefined {
  return value === undefined || value.trim() === '';
}

/** The variables a schema declares, blank ones dropped; everything else in `env` is ignored. */
export function declaredVariables(
  keys: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): Record<string, string> {
  const present: Record<string, string> = {};
  for (const key of keys) {
    const value = env[key];
    if (!isBlank(value)) present[key] = value;
  }
  return present;
}

/** `zod`'s own rendering of every issue, one per line, prefixed by the service it belongs to. */
export function formatConfigError(service: string, error: z.ZodError): string {
  return `Invalid ${service} configuration:\n${z.prettifyError(error)}`;
}

/**
 * Reads a service's environment once: only the variables its schema declares, blank ones as unset,
 * then the schema (defaults, coercion, cross-field rules). Throws a {@link ConfigError} naming every
 * bad variable.
 */
export function parseEnv<Schema extends z.ZodObject>(
  service: string,
  schema: Schema,
  env: Readonly<Record<string, string | undefined>>,
): z.output<Schema> {
  const parsed = schema.safeParse(declaredVariables(Object.keys(schema.shape), env));
  if (!parsed.success) throw new ConfigError(formatConfigError(service, parsed.error));
  return parsed.data;
}
