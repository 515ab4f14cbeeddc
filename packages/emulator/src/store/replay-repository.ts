import type { Db } from './database.js';

export interface StoredResponse {
  status: number;
  body: string | null;
}

/** How long a client's X-Transaction-ID protects a POST against being applied twice. */
export const REPLAY_WINDOW_MS = 24 * 60 * 60 * 1000;

export class ReplayRepository {
  private lastSweepMs = 0;

  constructor(private readonly db: Db) {}

  find(method: string, path: string, transactionId: string, nowMs: number): StoredResponse | undefined {
    const row = this.db
      .prepare(
        'SELECT status, body FROM replays WHERE method = ? AND path = ? AND transaction_id = ? AND created_ms > ?',
      )
      .get(method, path, transactionId, nowMs - REPLAY_WINDOW_MS) as StoredResponse | undefined;
    return row;
  }

  save(method: string, path: string, transactionId: string, nowMs: number, response: StoredResponse): void {
    this.db
      .prepare(
        `INSERT INTO replays (method, path, transaction_id, created_ms, status, body) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (method, path, transaction_id) DO UPDATE SET created_ms = excluded.created_ms,
         status = excluded.status, body = excluded.body`,
      )
      .run(method, path, transactionId, nowMs, response.status, response.body);
  }

  /** Drops expired replays; runs at most once a minute so writes stay cheap. */
  sweep(nowMs: number): void {
    if (nowMs - this.lastSweepMs < 60_000) return;
    this.lastSweepMs = nowMs;
    this.db.prepare('DELETE FROM replays WHERE created_ms <= ?').run(nowMs - REPLAY_WINDOW_MS);
  }
}
