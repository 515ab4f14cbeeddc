import type { BalanceRecord } from '../domain/balance.js';
import type { Db } from './database.js';
import { prepared } from './prepared.js';

export class BalanceRepository {
  constructor(private readonly db: Db) {}

  listBySubscription(subscriptionId: string): BalanceRecord[] {
    const rows = prepared(this.db, 'SELECT doc FROM balances WHERE subscription_id = ? ORDER BY seq').all(
      subscriptionId,
    ) as { doc: string }[];
    return rows.map((r) => JSON.parse(r.doc) as BalanceRecord);
  }

  insert(b: BalanceRecord): void {
    prepared(this.db, 'INSERT INTO balances (id, subscription_id, doc) VALUES (?, ?, ?)').run(
      b.balanceId,
      b.subscriptionId,
      JSON.stringify(b),
    );
  }

  deleteBySubscription(subscriptionId: string): number {
    return prepared(this.db, 'DELETE FROM balances WHERE subscription_id = ?').run(subscriptionId).changes;
  }

  count(): number {
    return (prepared(this.db, 'SELECT COUNT(*) AS n FROM balances').get() as { n: number }).n;
  }
}
