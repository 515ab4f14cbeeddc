import type { SubscriberRecord } from '../domain/subscriber.js';
import type { Db } from './database.js';
import { prepared } from './prepared.js';

export class SubscriberRepository {
  constructor(private readonly db: Db) {}

  get(id: string): SubscriberRecord | undefined {
    const row = prepared(this.db, 'SELECT doc FROM subscribers WHERE id = ?').get(id) as
      | { doc: string }
      | undefined;
    return row ? (JSON.parse(row.doc) as SubscriberRecord) : undefined;
  }

  /** A subscriber other than `exceptId` that holds `msisdn` and is not deactivated. */
  liveHolderOf(msisdn: string, exceptId?: string): string | undefined {
    const row = prepared(
      this.db,
      "SELECT id FROM subscribers WHERE msisdn = ? AND state <> 'deactivated' AND id <> ?",
    ).get(msisdn, exceptId ?? '') as { id: string } | undefined;
    return row?.id;
  }

  /** Lookup by MSISDN; when a reused MSISDN matches several rows, the live one wins. */
  idByMsisdn(msisdn: string): string | undefined {
    const row = prepared(
      this.db,
      "SELECT id FROM subscribers WHERE msisdn = ? ORDER BY (state = 'deactivated'), seq LIMIT 1",
    ).get(msisdn) as { id: string } | undefined;
    return row?.id;
  }

  idByImsi(imsi: string): string | undefined {
    const row = prepared(this.db, 'SELECT id FROM subscribers WHERE imsi = ? ORDER BY seq LIMIT 1').get(
      imsi,
    ) as { id: string } | undefined;
    return row?.id;
  }

  /** Exact, case-insensitive name pair; the first created wins when several match. */
  idByName(firstName: string, lastName: string): string | undefined {
    const row = prepared(
      this.db,
      'SELECT id FROM subscribers WHERE first_name = ? AND last_name = ? ORDER BY seq LIMIT 1',
    ).get(firstName, lastName) as { id: string } | undefined;
    return row?.id;
  }

  insert(s: SubscriberRecord): void {
    prepared(
      this.db,
      'INSERT INTO subscribers (id, msisdn, imsi, first_name, last_name, state, doc) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ).run(s.subscriberId, s.msisdn, s.imsi, s.firstName, s.lastName, s.currentState, JSON.stringify(s));
  }

  update(s: SubscriberRecord): void {
    prepared(
      this.db,
      'UPDATE subscribers SET msisdn = ?, imsi = ?, first_name = ?, last_name = ?, state = ?, doc = ? WHERE id = ?',
    ).run(s.msisdn, s.imsi, s.firstName, s.lastName, s.currentState, JSON.stringify(s), s.subscriberId);
  }

  /** Deletes the subscriber; foreign keys cascade to its subscriptions and their balances. */
  delete(id: string): boolean {
    return prepared(this.db, 'DELETE FROM subscribers WHERE id = ?').run(id).changes > 0;
  }

  count(): number {
    return (prepared(this.db, 'SELECT COUNT(*) AS n FROM subscribers').get() as { n: number }).n;
  }
}
