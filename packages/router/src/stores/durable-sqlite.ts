import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import type Database from 'better-sqlite3';

// Loaded on the first open, not at start-up: with ROUTER_STORE=memory or redis (the defaults of a
// single router and of a fleet) the native addon is never needed, and loading it cost every start.
const load = createRequire(import.meta.url);

/**
 * Opens a SQLite file for writes that must survive kill -9 once acknowledged: WAL for concurrent
 * readers, synchronous=FULL, and a busy timeout because the router's stores may hold separate
 * connections to the same file.
 */
export function openDurableSqlite(file: string): Database.Database {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const Sqlite = load('better-sqlite3') as typeof Database;
  const db = new Sqlite(file);
  // The busy timeout first: switching to WAL takes a lock, and several workers (each with one
  // connection per store) open the file at the same moment.
  db.pragma('busy_timeout = 5000');
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  return db;
}
