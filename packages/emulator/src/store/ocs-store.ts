import { AccountHistoryRepository } from './account-history-repository.js';
import { BalanceRepository } from './balance-repository.js';
import { type Db, openDatabase } from './database.js';
import { ReplayRepository } from './replay-repository.js';
import { SubscriberRepository } from './subscriber-repository.js';
import { SubscriptionRepository } from './subscription-repository.js';

/** All repositories over one SQLite database; `transaction` runs a request's writes atomically. */
export class OcsStore {
  readonly subscribers: SubscriberRepository;
  readonly subscriptions: SubscriptionRepository;
  readonly balances: BalanceRepository;
  readonly history: AccountHistoryRepository;
  readonly replays: ReplayRepository;

  constructor(readonly db: Db) {
    this.subscribers = new SubscriberRepository(db);
    this.subscriptions = new SubscriptionRepository(db);
    this.balances = new BalanceRepository(db);
    this.history = new AccountHistoryRepository(db);
    this.replays = new ReplayRepository(db);
  }

  static open(file: string): OcsStore {
    return new OcsStore(openDatabase(file));
  }

  transaction<T>(work: () => T): T {
    return this.db.transaction(work)();
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
