import type Database from 'better-sqlite3';
import { openDurableSqlite } from '../durable-sqlite.js';
import {
  EXPIRED_GRACE_MS,
  type PendingConfirmation,
  type PendingConfirmationStore,
  type TakeResult,
} from './pending-confirmation-store.js';

interface Row {
  id: string;
  user_id: string;
  created_at: number;
  expires_at: number;
  state: string;
}

/**
 * Pending confirmations in SQLite (the router's database file, its own table), so an approval
 * still works after a router restart. `take` is one DELETE ... RETURNING, hence atomic.
 */
export class SqlitePendingConfirmationStore implements PendingConfirmationStore {
  readonly kind = 'sqlite';
  readonly #db: Database.Database;
  readonly #insert: Database.Statement<[string, string, number, number, string]>;
  readonly #take: Database.Statement<[string, string], Row>;
  readonly #peek: Database.Statement<[string], Row>;
  readonly #purge: Database.Statement<[number]>;

  constructor(file: string) {
    this.#db = openDurableSqlite(file);
    this.#db.exec(`CREATE TABLE IF NOT EXISTS pending_confirmation (
      id TEXT PRIMARY KEY,
      user_id TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      expires_at INTEGER NOT NULL,
      state TEXT NOT NULL
    ) STRICT`);
    this.#insert = this.#db.prepare(
      'INSERT INTO pending_confirmation (id, user_id, created_at, expires_at, state) VALUES (?, ?, ?, ?, ?)',
    );
    this.#take = this.#db.prepare(
      'DELETE FROM pending_confirmation WHERE id = ? AND user_id = ? RETURNING id, user_id, created_at, expires_at, state',
    );
    this.#peek = this.#db.prepare(
      'SELECT id, user_id, created_at, expires_at, state FROM pending_confirmation WHERE id = ?',
    );
    this.#purge = this.#db.prepare('DELETE FROM pending_confirmation WHERE expires_at <= ?');
  }

  async put(entry: PendingConfirmation): Promise<void> {
    this.#purge.run(entry.createdAt - EXPIRED_GRACE_MS);
    this.#insert.run(entry.id, entry.userId, entry.createdAt, entry.expiresAt, JSON.stringify(entry.state));
  }

  async peek<State>(id: string): Promise<PendingConfirmation<State> | undefined> {
    const row = this.#peek.get(id);
    return row ? entryOf<State>(row) : undefined;
  }

  async take<State>(id: string, userId: string, now = Date.now()): Promise<TakeResult<State>> {
    const row = this.#take.get(id, userId);
    if (!row) return { status: 'not_found' };
    const entry = entryOf<State>(row);
    return entry.expiresAt <= now ? { status: 'expired', entry } : { status: 'ok', entry };
  }

  async close(): Promise<void> {
    if (this.#db.open) this.#db.close();
  }
}

function entryOf<State>(row: Row): PendingConfirmation<State> {
  return {
    id: row.id,
    userId: row.user_id,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    state: JSON.parse(row.state) as State,
  };
}
