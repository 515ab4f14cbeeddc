import {
  EXPIRED_GRACE_MS,
  type PendingConfirmation,
  type PendingConfirmationStore,
  type TakeResult,
} from './pending-confirmation-store.js';

/** Process-local: pending confirmations die with the process (fine for tests and one instance). */
export class MemoryPendingConfirmationStore implements PendingConfirmationStore {
  readonly kind = 'memory';
  readonly #entries = new Map<string, string>();

  async put(entry: PendingConfirmation): Promise<void> {
    this.#purge(entry.createdAt);
    // Stored as JSON so a caller holding the object cannot change the stored state.
    this.#entries.set(entry.id, JSON.stringify(entry));
  }

  async peek<State>(id: string): Promise<PendingConfirmation<State> | undefined> {
    const raw = this.#entries.get(id);
    return raw === undefined ? undefined : (JSON.parse(raw) as PendingConfirmation<State>);
  }

  async take<State>(id: string, userId: string, now = Date.now()): Promise<TakeResult<State>> {
    const raw = this.#entries.get(id);
    if (raw === undefined) return { status: 'not_found' };
    const entry = JSON.parse(raw) as PendingConfirmation<State>;
    if (entry.userId !== userId) return { status: 'not_found' };
    this.#entries.delete(id);
    return entry.expiresAt <= now ? { status: 'expired', entry } : { status: 'ok', entry };
  }

  async close(): Promise<void> {
    this.#entries.clear();
  }

  #purge(now: number): void {
    for (const [id, raw] of this.#entries) {
      const { expiresAt } = JSON.parse(raw) as PendingConfirmation;
      if (expiresAt + EXPIRED_GRACE_MS <= now) this.#entries.delete(id);
    }
  }
}
