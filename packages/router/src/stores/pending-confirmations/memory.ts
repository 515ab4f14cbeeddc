import { RouterError } from '../../errors.js';
import {
  EXPIRED_GRACE_MS,
  MAX_MEMORY_PENDING_CONFIRMATION_CHARS,
  MAX_MEMORY_PENDING_CONFIRMATIONS,
  type PendingConfirmation,
  type PendingConfirmationStore,
  type TakeResult,
} from './pending-confirmation-store.js';

interface Entry {
  /** After it (expiry plus the grace) the entry is forgotten. */
  forgetAt: number;
  /** JSON, so a caller holding the object cannot change the stored state. */
  raw: string;
}

/**
 * Process-local: pending confirmations die with the process (fine for tests and one instance).
 * At most `maxEntries`, and at most `maxChars` of stored JSON (each holds its conversation, so the
 * count alone does not bound the memory): when full, a new confirmation is refused rather than an
 * older one dropped, since each is a question a human was asked and may still answer.
 */
export class MemoryPendingConfirmationStore implements PendingConfirmationStore {
  readonly kind = 'memory';
  // Insertion order is creation order, so the entries to forget are at the front: the purge stops
  // at the first one still kept and never reads the rest (an entry whose tool gave it a shorter
  // expiry than the one before it waits for that one, at most the confirmation TTL).
  readonly #entries = new Map<string, Entry>();
  readonly #maxEntries: number;
  readonly #maxChars: number;
  #chars = 0;

  constructor(options: { maxEntries?: number; maxChars?: number } = {}) {
    this.#maxEntries = options.maxEntries ?? MAX_MEMORY_PENDING_CONFIRMATIONS;
    this.#maxChars = options.maxChars ?? MAX_MEMORY_PENDING_CONFIRMATION_CHARS;
  }

  async put(entry: PendingConfirmation): Promise<void> {
    this.#purge(entry.createdAt);
    const raw = JSON.stringify(entry);
    const replaced = this.#entries.get(entry.id)?.raw.length ?? 0;
    const full =
      replaced === 0 && this.#entries.size >= this.#maxEntries
        ? `${this.#maxEntries} are waiting for an answer`
        : this.#chars - replaced + raw.length > this.#maxChars
          ? `the ${this.#entries.size} waiting for an answer hold ${this.#chars} of its ${this.#maxChars} characters and this one needs ${raw.length}`
          : undefined;
    if (full)
      throw new RouterError(
        503,
        'confirmation_store_full',
        `The router cannot hold another confirmation in its in-process store (ROUTER_STORE=memory): ${full}, so the tool call that needs one was not run. Repeat the request once pending confirmations are answered or have expired, or run the router with ROUTER_STORE=sqlite or redis.`,
        { retryAfterSeconds: 60 },
      );
    this.#chars += raw.length - replaced;
    this.#entries.set(entry.id, { forgetAt: entry.expiresAt + EXPIRED_GRACE_MS, raw });
  }

  async peek<State>(id: string): Promise<PendingConfirmation<State> | undefined> {
    const raw = this.#entries.get(id)?.raw;
    return raw === undefined ? undefined : (JSON.parse(raw) as PendingConfirmation<State>);
  }

  async take<State>(id: string, userId: string, now = Date.now()): Promise<TakeResult<State>> {
    const raw = this.#entries.get(id)?.raw;
    if (raw === undefined) return { status: 'not_found' };
    const entry = JSON.parse(raw) as PendingConfirmation<State>;
    if (entry.userId !== userId) return { status: 'not_found' };
    this.#forget(id, raw);
    return entry.expiresAt <= now ? { status: 'expired', entry } : { status: 'ok', entry };
  }

  async close(): Promise<void> {
    this.#entries.clear();
    this.#chars = 0;
  }

  #forget(id: string, raw: string): void {
    this.#entries.delete(id);
    this.#chars -= raw.length;
  }

  #purge(now: number): void {
    for (const [id, entry] of this.#entries) {
      if (entry.forgetAt > now) return;
      this.#forget(id, entry.raw);
    }
  }
}
