import { createHash } from 'node:crypto';

/**
 * JSON with object keys sorted at every depth, so that equal values always give equal text (and
 * equal digests) whatever order their keys were built in. `undefined` members are left out, as
 * JSON.stringify does.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const member = (value as Record<string, unknown>)[key];
      if (member !== undefined) sorted[key] = sortKeys(member);
    }
    return sorted;
  }
  return value;
}

export const sha256Hex = (text: string): string => createHash('sha256').update(text).digest('hex');

/** Digest of a tool call's (or any request's) arguments: equal arguments, equal digest. */
export const argumentsDigest = (args: unknown): string => sha256Hex(canonicalJson(args ?? {}));
