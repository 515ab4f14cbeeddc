import type { SubscriptionRecord } from '../domain/subscription.js';
import type { Db } from './database.js';
import { prepared } from './prepared.js';

export class SubscriptionRepository {
  constructor(private readonly db: Db) {}

  get(id: string): SubscriptionRecord | undefined {
    const row = prepared(this.db, 'SELECT doc FROM subscriptions WHERE id = ?').get(id) as
      | { doc: string }
      | undefined;
    return row ? (JSON.parse(row.doc) as SubscriptionRecord) : undefined;
  }

  /** Subscriptions of a subscriber in creation order. */
  listByOwner(subscriberId: string): SubscriptionRecord[] {
    const rows = prepared(this.db, 'SELECT doc FROM subscriptions WHERE subscriber_id = ? ORDER BY seq').all(
      subscriberId,
    ) as { doc: string }[];
    return rows.map((r) => JSON.parse(r.doc) as SubscriptionRecord);
  }

  idsByOwner(subscriberId: string): string[] {
    const rows = prepared(this.db, 'SELECT id FROM subscriptions WHERE subscriber_id = ? ORDER BY seq').all(
      subscriberId,
    ) as { id: string }[];
    return rows.map((r) => r.id);
  }

  insert(s: SubscriptionRecord): void {
    prepared(this.db, 'INSERT INTO subscriptions (id, subscriber_id, doc) VALUES (?, ?, ?)').run(
      s.subscriptionId,
      s.subscriberId,
      JSON.stringify(s),
    );
  }

  update(s: SubscriptionRecord): void {
    prepared(this.db, 'UPDATE subscriptions SET doc = ? WHERE id = ?').run(
      JSON.stringify(s),
      s.subscriptionId,
    );
  }

  /** Deletes the subscription; its balances go with it (foreign key cascade). */
  delete(id: string): boolean {
    return prepared(this.db, 'DELETE FROM subscriptions WHERE id = ?').run(id).changes > 0;
  }
}
