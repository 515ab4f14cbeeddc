import type { z } from 'zod';

type Json = Record<string, unknown>;

/**
 * Rewrites what zod emits into the JSON Schema every client dialect reads the same way (the
 * Inspector's `--strict` portability rules):
 * - `additionalProperties: {}` (a loose object, or a record of unknown values) becomes `true`,
 *   which means exactly the same and is not an untyped schema;
 * - `type: ["string", "number"]` becomes `anyOf` with one `type` per branch, since single-type
 *   dialects (the OpenAPI subset used for Gemini function declarations) reject a type array.
 */
export function portable(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(portable);
  if (typeof node !== 'object' || node === null) return node;
  const out: Json = {};
  for (const [key, value] of Object.entries(node as Json)) {
    if (key === 'additionalProperties' && isEmptySchema(value)) out[key] = true;
    else if (key === 'properties' || key === '$defs' || key === 'definitions' || key === 'patternProperties')
      out[key] = Object.fromEntries(Object.entries(value as Json).map(([k, v]) => [k, portable(v)]));
    else if (typeof value === 'object') out[key] = portable(value);
    else out[key] = value;
  }
  if (Array.isArray(out.type)) {
    const { type, ...rest } = out;
    return { ...rest, anyOf: (type as string[]).map((t) => ({ type: t })) };
  }
  return out;
}

const isEmptySchema = (value: unknown) =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 0;

/**
 * The SDK converts every tool's zod schemas to JSON Schema on each tools/list (per McpServer, and
 * HTTP builds one McpServer per request). The schemas never change at run time, so this wrapper
 * keeps the {@link portable} conversion result per (direction, target) and hands the SDK the same
 * object each time. Validation is delegated untouched.
 */
export function withCachedJsonSchema<S extends z.ZodType>(schema: S): S {
  const std = schema['~standard'] as S['~standard'] & {
    jsonSchema: { input: (o: { target: string }) => unknown; output: (o: { target: string }) => unknown };
  };
  const cache = new Map<string, unknown>();
  const memo = (io: 'input' | 'output') => (options: { target: string }) => {
    const key = `${io}:${options.target}`;
    if (!cache.has(key)) cache.set(key, portable(std.jsonSchema[io](options)));
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
