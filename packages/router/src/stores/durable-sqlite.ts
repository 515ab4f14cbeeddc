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
  // WAL is kept in the file, so only the first opener switches. The switch needs the file to
  // itself, and SQLite may answer SQLITE_BUSY at once instead of waiting while other connections
  // (two workers starting together, three stores each) have it open: retry it briefly.
  if (db.pragma('journal_mode', { simple: true }) !== 'wal') {
    for (let attempt = 1; ; attempt += 1) {
      try {
        db.pragma('journal_mode = WAL');
        break;
      } catch (error) {
        if ((error as { code?: string }).code !== 'SQLITE_BUSY' || attempt >= WAL_SWITCH_ATTEMPTS)
          throw error;
        Atomics.wait(PAUSE, 0, 0, 10 * attempt);
      }
    }
  }
  db.pragma('synchronous = FULL');
  return db;
}

const WAL_SWITCH_ATTEMPTS = 30;
/** A synchronous pause between attempts (the stores open synchronously at start-up). */
const PAUSE = new Int32Array(new SharedArrayBuffer(4));
