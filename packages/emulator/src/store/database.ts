import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

export type Db = Database.Database;

/**
 * Ordered schema migrations; index + 1 is the version recorded in `schema_version`. Entities are
 * stored as JSON documents next to the columns that queries and constraints need.
 */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE subscribers (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    msisdn TEXT NOT NULL,
    imsi TEXT,
    first_name TEXT COLLATE NOCASE,
    last_name TEXT COLLATE NOCASE,
    state TEXT NOT NULL,
    doc TEXT NOT NULL
  );
  -- MSISDN uniqueness applies only among subscribers that are not deactivated.
  CREATE UNIQUE INDEX subscribers_live_msisdn ON subscribers(msisdn) WHERE state <> 'deactivated';
  CREATE INDEX subscribers_msisdn ON subscribers(msisdn);
  CREATE INDEX subscribers_imsi ON subscribers(imsi);
  CREATE INDEX subscribers_name ON subscribers(first_name, last_name);

  CREATE TABLE subscriptions (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    subscriber_id TEXT NOT NULL REFERENCES subscribers(id) ON DELETE CASCADE,
    doc TEXT NOT NULL
  );
  CREATE INDEX subscriptions_owner ON subscriptions(subscriber_id, seq);

  CREATE TABLE balances (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    subscription_id TEXT NOT NULL REFERENCES subscriptions(id) ON DELETE CASCADE,
    doc TEXT NOT NULL
  );
  CREATE INDEX balances_owner ON balances(subscription_id, seq);

  -- No foreign key: history outlives the entities it describes.
  CREATE TABLE account_history (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    entity_id TEXT NOT NULL,
    start_ms INTEGER,
    doc TEXT NOT NULL
  );
  CREATE INDEX account_history_entity ON account_history(entity_id, start_ms, seq);

  -- Responses to POSTs that carried a client X-Transaction-ID, replayed on retry.
  CREATE TABLE replays (
    method TEXT NOT NULL,
    path TEXT NOT NULL,
    transaction_id TEXT NOT NULL,
    created_ms INTEGER NOT NULL,
    status INTEGER NOT NULL,
    body TEXT,
    PRIMARY KEY (method, path, transaction_id)
  );
  CREATE INDEX replays_age ON replays(created_ms);
  `,
  // What the replayed request was: a repeat of the transaction id with another body is refused
  // instead of being answered with the first request's response. Rows from before have none and
  // are never replayed to anyone.
  `
  ALTER TABLE replays ADD COLUMN request_digest TEXT;
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * Opens (creating the directory if needed) and migrates the database. WAL with synchronous=FULL
 * makes every committed transaction durable before the HTTP response is sent, so an acknowledged
 * write survives kill -9 and power loss.
 */
export function openDatabase(file: string): Db {
  if (file !== ':memory:' && !file.startsWith('file:')) mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  // SQLite's own default page cache (2 MB). better-sqlite3 builds SQLite with 16 MB
  // (SQLITE_DEFAULT_CACHE_SIZE=-16000), which the emulator's native heap filled as writes grew the
  // database: peak RSS under the bench's writes 98-100 -> 85-88 MB, requests/s within the rounds' spread
  // (bench/ab-launch-emulator.mjs, docs/benchmarks.md).
  db.pragma('cache_size = -2000');
  migrate(db);
  return db;
}

function migrate(db: Db): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
  const row = db.prepare('SELECT MAX(version) AS version FROM schema_version').get() as {
    version: number | null;
  };
  const current = row.version ?? 0;
  if (current > SCHEMA_VERSION) {
    throw new Error(`database schema version ${current} is newer than this emulator (${SCHEMA_VERSION})`);
  }
  db.transaction(() => {
    for (let v = current; v < SCHEMA_VERSION; v++) {
      db.exec(MIGRATIONS[v] ?? '');
      db.prepare('INSERT INTO schema_version (version) VALUES (?)').run(v + 1);
    }
  })();
}
