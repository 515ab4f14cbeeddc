import { MAX_MEMORY_RESPONSES, type ResponseStore, type StoredResponse } from './response-store.js';

interface Entry {
  principalId: string;
  expiresAt: number;
  /** JSON, so a caller holding the object cannot change the stored copy. */
  raw: string;
}

/** Process-local: stored responses die with the process (tests and throwaway runs). */
export class MemoryResponseStore implements ResponseStore {
  readonly kind = 'memory';
  // Insertion order is expiry order (one TTL for all), so the first entries are the ones to drop.
  readonly #entries = new Map<string, Entry>();
  readonly #maxEntries: number;

  constructor(options: { maxEntries?: number } = {}) {
    this.#maxEntries = options.maxEntries ?? MAX_MEMORY_RESPONSES;
  }

  async put(entry: StoredResponse): Promise<void> {
    this.#entries.delete(entry.id);
    for (const [id, stored] of this.#entries) {
      if (this.#entries.size < this.#maxEntries && stored.expiresAt > entry.createdAt) break;
      this.#entries.delete(id);
    }
    this.#entries.set(entry.id, {
      principalId: entry.principalId,
      expiresAt: entry.expiresAt,
      raw: JSON.stringify(entry),
    });
  }

  async get(id: string, principalId: string, now = Date.now()): Promise<StoredResponse | undefined> {
    const stored = this.#entries.get(id);
    if (!stored || stored.principalId !== principalId || stored.expiresAt <= now) return undefined;
    return JSON.parse(stored.raw) as StoredResponse;
  }

  async delete(id: string, principalId: string): Promise<boolean> {
    if (this.#entries.get(id)?.principalId !== principalId) return false;
    return this.#entries.delete(id);
  }

  async close(): Promise<void> {
    this.#entries.clear();
  }
}
