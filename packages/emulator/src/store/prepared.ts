import type { Statement } from 'better-sqlite3';
import type { Db } from './database.js';

const cache = new WeakMap<Db, Map<string, Statement>>();

/**
 * The database's compiled statement for `sql`, compiled on first use. better-sqlite3 compiles anew
 * on every `prepare` and frees the native statement only when its JS object is collected, so a
 * statement per query per request cost a compile each time and left native memory waiting on GC.
 * A statement is reusable for `get`, `all` and `run` (the repositories never hold an iterator open).
 */
export function prepared(db: Db, sql: string): Statement {
  let statements = cache.get(db);
  if (!statements) {
    statements = new Map();
    cache.set(db, statements);
  }
  let statement = statements.get(sql);
  if (!statement) {
    statement = db.prepare(sql);
    statements.set(sql, statement);
  }
  return statement;
}
