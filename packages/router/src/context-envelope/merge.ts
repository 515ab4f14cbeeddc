import type { ContextEnvelope, ReferenceDoc } from './envelope.js';

/**
 * Merges an overlay envelope onto a base one: the overlay wins field by field, facts are unioned
 * by value and docs by id (an overlay doc replaces the base doc with the same id). Used both for
 * PATCH /context and for combining a stored context with the one sent in /ask.
 */
export function mergeEnvelopes(base: ContextEnvelope | undefined, overlay: ContextEnvelope): ContextEnvelope {
  if (!base) return overlay;
  const merged: ContextEnvelope = {};
  if (base.identity || overlay.identity) merged.identity = { ...base.identity, ...overlay.identity };
  if (base.tools || overlay.tools) merged.tools = { ...base.tools, ...overlay.tools };
  if (base.memory || overlay.memory) {
    const memory = { ...base.memory, ...overlay.memory };
    const facts = unionFacts(base.memory?.facts, overlay.memory?.facts);
    if (facts) memory.facts = facts;
    merged.memory = memory;
  }
  const docs = unionDocs(base.docs, overlay.docs);
  if (docs) merged.docs = docs;
  return merged;
}

function unionFacts(base: string[] | undefined, overlay: string[] | undefined): string[] | undefined {
  if (!base) return overlay;
  if (!overlay) return base;
  return [...new Set([...base, ...overlay])];
}

function unionDocs(
  base: ReferenceDoc[] | undefined,
  overlay: ReferenceDoc[] | undefined,
): ReferenceDoc[] | undefined {
  if (!base) return overlay;
  if (!overlay) return base;
  const byId = new Map(base.map((doc) => [doc.id, doc]));
  for (const doc of overlay) byId.set(doc.id, doc);
  return [...byId.values()];
}
