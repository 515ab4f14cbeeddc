import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/store/database.js';
import { tempDir } from './harness.js';

// better-sqlite3 builds SQLite with a 16 MB page cache; the emulator keeps SQLite's own 2 MB, so its
// native memory stays bounded however large the database grows under writes.
const dir = tempDir();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the SQLite page cache', () => {
  it('is bounded to 2 MB (cache_size -2000 KiB) on a database file', () => {
    const db = openDatabase(join(dir, 'ocs.sqlite'));
    try {
      expect(db.pragma('cache_size', { simple: true })).toBe(-2000);
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      db.close();
    }
  });

  it('is bounded on an in-memory database too', () => {
    const db = openDatabase(':memory:');
    try {
      expect(db.pragma('cache_size', { simple: true })).toBe(-2000);
    } finally {
      db.close();
    }
  });
});
