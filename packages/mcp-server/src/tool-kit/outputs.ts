import { z } from 'zod';

/**
 * Every tool that returns one entity returns it under its name (`{subscriber}`, `{subscription}`,
 * `{balance}`, `{entry}`, `{offer}`), the entity's own id inside it: one shape for every tool.
 */
export function entityOutput<K extends string, S extends z.ZodType>(key: K, schema: S, description?: string) {
  return z.object({ [key]: description ? schema.describe(description) : schema } as { [P in K]: S });
}

/** What a delete returns: `{deleted: true, <idKey>}`. */
export function deletedOutput<K extends string>(idKey: K) {
  return z.object({ deleted: z.literal(true), [idKey]: z.string() } as {
    deleted: z.ZodLiteral<true>;
  } & { [P in K]: z.ZodString });
}
