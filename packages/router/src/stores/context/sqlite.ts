import type Database from 'better-sqlite3';
import type { ContextEnvelope, PriorTurn } from '../../context-envelope/envelope.js';
import { mergeEnvelopes } from '../../context-envelope/merge.js';
import { openDurableSqlite } from '../durable-sqlite.js';
import { type ContextStore, withAppendedMessages } from './context-store.js';

/**
 * Default store: one row per user in a SQLite file. WAL for concurrent reads, synchronous=FULL so
 * a write that has been acknowledged survives kill -9 and power loss. better-sqlite3 is
 * synchronous, so each read-modify-write runs inside one transaction and is atomic.
 */
export class SqliteContextStore implements ContextStore {
  readonly kind = 'sqlite';
  readonly #db: Database.Database;
  readonly #select: Database.Statement<[string], { envelope: string }>;
  readonly #upsert: Database.Statement<[string, string, number]>;
  readonly #remove: Database.Statement<[string]>;
  readonly #patch: (userId: string, patch: ContextEnvelope) => ContextEnvelope;
  readonly #append: (userId: string, messages: PriorTurn[], max: number) => void;

  constructor(file: string) {
    this.#db = openDurableSqlite(file);
    this.#db.exec(`CREATE TABLE IF NOT EXISTS user_context (
      user_id TEXT PRIMARY KEY,
      envelope TEXT NOT NULL,
      updated_at INTEGER NOT NULL
    ) STRICT`);
    this.#select = this.#db.prepare('SELECT envelope FROM user_context WHERE user_id = ?');
    this.#upsert = this.#db.prepare(
      `INSERT INTO user_context (user_id, envelope, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (user_id) DO UPDATE SET envelope = excluded.envelope, updated_at = excluded.updated_at`,
    );
    this.#remove = this.#db.prepare('DELETE FROM user_context WHERE user_id = ?');
    this.#patch = this.#db.transaction((userId: string, patch: ContextEnvelope) => {
      const merged = mergeEnvelopes(this.#read(userId), patch);
      this.#write(userId, merged);
      return merged;
    });
    this.#append = this.#db.transaction((userId: string, messages: PriorTurn[], max: number) => {
      this.#write(userId, withAppendedMessages(this.#read(userId), userId, messages, max));
    });
  }

  #read(userId: string): ContextEnvelope | undefined {
    const row = this.#select.get(userId);
    return row ? (JSON.parse(row.envelope) as ContextEnvelope) : undefined;
  }

  #write(userId: string, envelope: ContextEnvelope): void {
    this.#upsert.run(userId, JSON.stringify(envelope), Date.now());
  }

  async get(userId: string): Promise<ContextEnvelope | undefined> {
    return this.#read(userId);
  }

  async put(userId: string, envelope: ContextEnvelope): Promise<ContextEnvelope> {
    this.#write(userId, envelope);
    return envelope;
  }

  async patch(userId: string, patch: ContextEnvelope): Promise<ContextEnvelope> {
    return this.#patch(userId, patch);
  }

  async delete(userId: string): Promise<boolean> {
    return this.#remove.run(userId).changes > 0;
  }

  async appendMessages(userId: string, messages: PriorTurn[], max: number): Promise<void> {
    this.#append(userId, messages, max);
  }

  async ping(): Promise<void> {
    this.#db.prepare('SELECT 1').get();
  }

  async close(): Promise<void> {
    if (this.#db.open) this.#db.close();
  }
}
