import type Database from 'better-sqlite3';
import { openDurableSqlite } from '../durable-sqlite.js';
import type { ResponseStore, StoredResponse } from './response-store.js';

interface Row {
  id: string;
  principal_id: string;
  created_at: number;
  expires_at: number;
  conversation: string;
  response: string;
}

/**
 * Stored responses in SQLite (the router's database file, their own table), so a
 * previous_response_id still works after a restart. Expired rows are purged on each write.
 */
export class SqliteResponseStore implements ResponseStore {
  readonly kind = 'sqlite';
  readonly #db: Database.Database;
  readonly #insert: Database.Statement<[string, string, number, number, string, string]>;
  readonly #select: Database.Statement<[string, string, number], Row>;
  readonly #remove: Database.Statement<[string, string]>;
  readonly #purge: Database.Statement<[number]>;

  constructor(file: string) {
    this.#db = openDurableSqlite(file);
    this.#db.exec(`CREATE TABLE IF NOT EXISTS stored_response (
      id TEXT PRIMARY KEY,
      principal_id TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      expires_at INTEGER NOT NULL,
      conversation TEXT NOT NULL,
      response TEXT NOT NULL
    ) STRICT`);
    this.#insert = this.#db.prepare(
      'INSERT OR REPLACE INTO stored_response (id, principal_id, created_at, expires_at, conversation, response) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.#select = this.#db.prepare(
      'SELECT * FROM stored_response WHERE id = ? AND principal_id = ? AND expires_at > ?',
    );
    this.#remove = this.#db.prepare('DELETE FROM stored_response WHERE id = ? AND principal_id = ?');
    this.#purge = this.#db.prepare('DELETE FROM stored_response WHERE expires_at <= ?');
  }

  async put(entry: StoredResponse): Promise<void> {
    this.#purge.run(entry.createdAt);
    this.#insert.run(
      entry.id,
      entry.principalId,
      entry.createdAt,
      entry.expiresAt,
      JSON.stringify(entry.conversation),
      JSON.stringify(entry.response),
    );
  }

  async get(id: string, principalId: string, now = Date.now()): Promise<StoredResponse | undefined> {
    const row = this.#select.get(id, principalId, now);
    if (!row) return undefined;
    return {
      id: row.id,
      principalId: row.principal_id,
      createdAt: row.created_at,
      expiresAt: row.expires_at,
      conversation: JSON.parse(row.conversation),
      response: JSON.parse(row.response),
    };
  }

  async delete(id: string, principalId: string): Promise<boolean> {
    return this.#remove.run(id, principalId).changes > 0;
  }

  async close(): Promise<void> {
    if (this.#db.open) this.#db.close();
  }
}
