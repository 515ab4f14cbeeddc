// The resolve hook of register.mjs: one line per ES module resolution, with the importer.
import { appendFileSync } from 'node:fs';

/** @type {string} */
let out;

/** @param {{ out: string }} data */
export function initialize(data) {
  out = data.out;
}

/**
 * @param {string} specifier
 * @param {{ parentURL?: string }} context
 * @param {(specifier: string, context: unknown) => Promise<{ url: string }>} nextResolve
 */
export async function resolve(specifier, context, nextResolve) {
  const result = await nextResolve(specifier, context);
  appendFileSync(out, `${JSON.stringify({ esm: result.url, parent: context.parentURL ?? null })}\n`);
  return result;
}
