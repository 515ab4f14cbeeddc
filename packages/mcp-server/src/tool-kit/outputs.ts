import { z } from 'zod';

/**
 * Every tool that returns one entity returns it under its name (`{subscriber}`, `{subscription}`,
 * `{balance}`, `{entry}`, `{offer}`), the entity's own id inside it: one shape for every tool.
 */
export function entityOutput<K extends string, S extends z.ZodType>(key: K, schema: S, description?: string) {
  const output = z.object({ [key]: description ? schema.describe(description) : schema } as { [P in K]: S });
  ENTITY_OUTPUTS.set(output, { key, entity: schema });
  return output;
}

/** What each {@link entityOutput} schema holds: its one key and the entity's schema (before `describe`). */
const ENTITY_OUTPUTS = new WeakMap<z.ZodType, EntityOutput>();

export interface EntityOutput {
  key: string;
  entity: z.ZodType;
}

/** The key and entity schema of an output made by {@link entityOutput}, exactly as made (not extended). */
export function entityOutputOf(output: z.ZodType): EntityOutput | undefined {
  return ENTITY_OUTPUTS.get(output);
}

/** What a delete returns: `{deleted: true, <idKey>}`. */
export function deletedOutput<K extends string>(idKey: K) {
  return z.object({ deleted: z.literal(true), [idKey]: z.string() } as {
    deleted: z.ZodLiteral<true>;
  } & { [P in K]: z.ZodString });
}
