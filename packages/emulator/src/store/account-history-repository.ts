import type { HistoryRecord } from '../domain/account-history.js';
import type { Db } from './database.js';
import { prepared } from './prepared.js';

export class AccountHistoryRepository {
  constructor(private readonly db: Db) {}

  get(id: string): HistoryRecord | undefined {
    const row = prepared(this.db, 'SELECT doc FROM account_history WHERE id = ?').get(id) as
      | { doc: string }
      | undefined;
    return row ? (JSON.parse(row.doc) as HistoryRecord) : undefined;
  }

  exists(id: string): boolean {
    return prepared(this.db, 'SELECT 1 FROM account_history WHERE id = ?').get(id) !== undefined;
  }

  /**
   * Newest first by interaction start; entries without a start come last (as MySQL orders NULLs in
   * DESC), and insertion order breaks ties so that offset pages never overlap.
   */
  listByEntity(entityId: string, limit: number, offset: number): HistoryRecord[] {
    const rows = prepared(
      this.db,
      `SELECT doc FROM account_history WHERE entity_id = ?
         ORDER BY (start_ms IS NULL), start_ms DESC, seq DESC LIMIT ? OFFSET ?`,
    ).all(entityId, limit, offset) as { doc: string }[];
    return rows.map((r) => JSON.parse(r.doc) as HistoryRecord);
  }

  insert(h: HistoryRecord): void {
    prepared(this.db, 'INSERT INTO account_history (id, entity_id, start_ms, doc) VALUES (?, ?, ?, ?)').run(
      h.interactionId,
      h.entityId,
      h.startMs,
      JSON.stringify(h),
    );
  }

  update(h: HistoryRecord): void {
    prepared(this.db, 'UPDATE account_history SET start_ms = ?, doc = ? WHERE id = ?').run(
      h.startMs,
      JSON.stringify(h),
      h.interactionId,
    );
  }

  delete(id: string): boolean {
    return prepared(this.db, 'DELETE FROM account_history WHERE id = ?').run(id).changes > 0;
  }
}
