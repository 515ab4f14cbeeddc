import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { StateStore } from './state-store.js';

/**
 * The state in one SQLite file: shared by every instance on the host that opens the same file, and
 * kept across restarts. WAL with synchronous=FULL, so a token marked used stays used after kill -9.
 */
export class SqliteStateStore implements StateStore {
  private readonly db: Database.Database;
  private readonly insert: Database.Statement;
  private readonly select: Database.Statement;
  private readonly upsert: Database.Statement;
  private readonly remove: Database.Statement;
  private readonly purge: Database.Statement;
  private lastSweep = 0;

  constructor(
    file: string,
    private readonly now: () => number = Date.now,
  ) {
    mkdirSync(dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(
      'CREATE TABLE IF NOT EXISTS mcp_state (key TEXT PRIMARY KEY, value TEXT NOT NULL, expires_ms INTEGER NOT NULL)',
    );
    // An expired row is replaced as if absent; a live one is kept (single use).
    this.insert = this.db.prepare(
      `INSERT INTO mcp_state (key, value, expires_ms) VALUES (?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_ms = excluded.expires_ms
       WHERE mcp_state.expires_ms <= ?`,
    );
    this.select = this.db.prepare('SELECT value FROM mcp_state WHERE key = ? AND expires_ms > ?');
    this.upsert = this.db.prepare(
      `INSERT INTO mcp_state (key, value, expires_ms) VALUES (?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_ms = excluded.expires_ms`,
    );
    this.remove = this.db.prepare('DELETE FROM mcp_state WHERE key = ?');
    this.purge = this.db.prepare('DELETE FROM mcp_state WHERE expires_ms <= ?');
  }

  async putIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    const now = this.now();
    this.sweep(now);
    return this.insert.run(key, value, now + ttlMs, now).changes === 1;
  }

  async get(key: string): Promise<string | undefined> {
    return (this.select.get(key, this.now()) as { value: string } | undefined)?.value;
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    this.upsert.run(key, value, this.now() + ttlMs);
  }

  async delete(key: string): Promise<void> {
    this.remove.run(key);
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  private sweep(now: number): void {
    if (now - this.lastSweep < 60_000) return;
    this.lastSweep = now;
    this.purge.run(now);
  }
}
