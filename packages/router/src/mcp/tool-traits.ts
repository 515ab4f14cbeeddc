import type { ToolAnnotations } from '@modelcontextprotocol/client';

/** What the router believes about a tool's effects; drives roles, retries and confirmations. */
export interface ToolTraits {
  readOnly: boolean;
  destructive: boolean;
  /** Safe to repeat after a connection failure left the first attempt's outcome unknown. */
  idempotent: boolean;
}

const UNTRUSTED: ToolTraits = { readOnly: false, destructive: true, idempotent: false };

/**
 * Annotations are hints the server wrote about itself; the spec says clients MUST treat them as
 * untrusted unless the server is trusted. Untrusted servers' tools are therefore all assumed to
 * write and destroy, and are never retried. Missing hints take the spec's pessimistic defaults
 * (destructiveHint true, idempotentHint false).
 */
export function toolTraits(annotations: ToolAnnotations | undefined, trusted: boolean): ToolTraits {
  if (!trusted) return { ...UNTRUSTED };
  const readOnly = annotations?.readOnlyHint === true;
  if (readOnly) return { readOnly: true, destructive: false, idempotent: true };
  return {
    readOnly: false,
    destructive: annotations?.destructiveHint !== false,
    idempotent: annotations?.idempotentHint === true,
  };
}
