import type { ContextEnvelope, PriorTurn } from '../../context-envelope/envelope.js';

/**
 * Per-user context storage. One implementation per backend (sqlite.ts, memory.ts; redis later),
 * chosen by ROUTER_STORE. Async throughout so a networked backend fits the same interface.
 * Writes resolve only once durable on the backend's own terms.
 */
export interface ContextStore {
  readonly kind: string;
  get(userId: string): Promise<ContextEnvelope | undefined>;
  /** Replaces the stored envelope. */
  put(userId: string, envelope: ContextEnvelope): Promise<ContextEnvelope>;
  /** Merges onto the stored envelope (see mergeEnvelopes), creating it when absent. */
  patch(userId: string, patch: ContextEnvelope): Promise<ContextEnvelope>;
  /** true when something was deleted. */
  delete(userId: string): Promise<boolean>;
  /** Appends to memory.messages atomically, keeping only the newest `max` messages. */
  appendMessages(userId: string, messages: PriorTurn[], max: number): Promise<void>;
  /** Throws when the backend cannot serve requests. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Shared by the backends so they bound memory the same way. */
export function withAppendedMessages(
  envelope: ContextEnvelope | undefined,
  userId: string,
  messages: PriorTurn[],
  max: number,
): ContextEnvelope {
  const base: ContextEnvelope = envelope ?? { identity: { user_id: userId } };
  const all = [...(base.memory?.messages ?? []), ...messages];
  const kept = max > 0 ? all.slice(-max) : [];
  return { ...base, memory: { ...base.memory, messages: kept } };
}
