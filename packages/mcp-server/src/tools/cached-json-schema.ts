import type { z } from 'zod';

/**
 * The SDK converts every tool's zod schemas to JSON Schema on each tools/list (per McpServer, and
 * HTTP builds one McpServer per request). The schemas never change at run time, so this wrapper
 * keeps the conversion result per (direction, target) and hands the SDK the same object each time.
 * Validation is delegated untouched.
 */
export function withCachedJsonSchema<S extends z.ZodType>(schema: S): S {
  const std = schema['~standard'] as S['~standard'] & {
    jsonSchema: { input: (o: { target: string }) => unknown; output: (o: { target: string }) => unknown };
  };
  const cache = new Map<string, unknown>();
  const memo = (io: 'input' | 'output') => (options: { target: string }) => {
    const key = `${io}:${options.target}`;
    if (!cache.has(key)) cache.set(key, std.jsonSchema[io](options));
    return cache.get(key);
  };
  const wrapped = Object.create(schema) as S;
  Object.defineProperty(wrapped, '~standard', {
    value: {
      ...std,
      validate: (value: unknown, options?: unknown) =>
        (std.validate as (v: unknown, o?: unknown) => unknown)(value, options),
      jsonSchema: { input: memo('input'), output: memo('output') },
    },
    enumerable: false,
  });
  return wrapped;
}
