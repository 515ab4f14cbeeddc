import type { ContextEnvelope, PriorTurn } from '../../context-envelope/envelope.js';
import { mergeEnvelopes } from '../../context-envelope/merge.js';
import { type ContextStore, withAppendedMessages } from './context-store.js';

/** Process-local store for tests and throwaway runs; nothing survives a restart. */
export class MemoryContextStore implements ContextStore {
  readonly kind = 'memory';
  readonly #contexts = new Map<string, ContextEnvelope>();

  async get(userId: string): Promise<ContextEnvelope | undefined> {
    const found = this.#contexts.get(userId);
    return found ? structuredClone(found) : undefined;
  }

  async put(userId: string, envelope: ContextEnvelope): Promise<ContextEnvelope> {
    this.#contexts.set(userId, structuredClone(envelope));
    return envelope;
  }

  async patch(userId: string, patch: ContextEnvelope): Promise<ContextEnvelope> {
    const merged = mergeEnvelopes(this.#contexts.get(userId), structuredClone(patch));
    this.#contexts.set(userId, merged);
    return structuredClone(merged);
  }

  async delete(userId: string): Promise<boolean> {
    return this.#contexts.delete(userId);
  }

  async appendMessages(userId: string, messages: PriorTurn[], max: number): Promise<void> {
    this.#contexts.set(userId, withAppendedMessages(this.#contexts.get(userId), userId, messages, max));
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {
    this.#contexts.clear();
  }
}
