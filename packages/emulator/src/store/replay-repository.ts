import type { Db } from './database.js';
import { prepared } from './prepared.js';

export interface StoredResponse {
  status: number;
  body: string | null;
}

/** A stored response and the digest of the request that produced it. */
export interface StoredReplay extends StoredResponse {
  requestDigest: string | null;
}

/** How long a client's X-Transaction-ID protects a POST against being applied twice. */
export const REPLAY_WINDOW_MS = 24 * 60 * 60 * 1000;

export class ReplayRepository {
  private lastSweepMs = 0;

  constructor(private readonly db: Db) {}

  find(method: string, path: string, transactionId: string, nowMs: number): StoredReplay | undefined {
    return prepared(
      this.db,
      `SELECT status, body, request_digest AS requestDigest FROM replays
         WHERE method = ? AND path = ? AND transaction_id = ? AND created_ms > ?`,
    ).get(method, path, transactionId, nowMs - REPLAY_WINDOW_MS) as StoredReplay | undefined;
  }

  save(
    method: string,
    path: string,
    transactionId: string,
    nowMs: number,
    requestDigest: string,
    response: StoredResponse,
  ): void {
    prepared(
      this.db,
      `INSERT INTO replays (method, path, transaction_id, created_ms, status, body, request_digest)
         VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (method, path, transaction_id) DO UPDATE SET created_ms = excluded.created_ms,
         status = excluded.status, body = excluded.body, request_digest = excluded.request_digest`,
    ).run(method, path, transactionId, nowMs, response.status, response.body, requestDigest);
  }

  /** Drops expired replays; runs at most once a minute so writes stay cheap. */
  sweep(nowMs: number): void {
    if (nowMs - this.lastSweepMs < 60_000) return;
    this.lastSweepMs = nowMs;
    prepared(this.db, 'DELETE FROM replays WHERE created_ms <= ?').run(nowMs - REPLAY_WINDOW_MS);
  }
}
