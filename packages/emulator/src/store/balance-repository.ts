import type { BalanceRecord } from '../domain/balance.js';
import type { Db } from './database.js';

export class BalanceRepository {
  constructor(private readonly db: Db) {}

  listBySubscription(subscriptionId: string): BalanceRecord[] {
    const rows = this.db
      .prepare('SELECT doc FROM balances WHERE subscription_id = ? ORDER BY seq')
      .all(subscriptionId) as { doc: string }[];
    return rows.map((r) => JSON.parse(r.doc) as BalanceRecord);
  }

  insert(b: BalanceRecord): void {
    this.db
      .prepare('INSERT INTO balances (id, subscription_id, doc) VALUES (?, ?, ?)')
      .run(b.balanceId, b.subscriptionId, JSON.stringify(b));
  }

  deleteBySubscription(subscriptionId: string): number {
    return this.db.prepare('DELETE FROM balances WHERE subscription_id = ?').run(subscriptionId).changes;
  }

  count(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM balances').get() as { n: number }).n;
  }
}
