import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { StoredResponse } from '../store/replay-repository.js';
import type { AppDeps, AppEnv } from './app-env.js';

/** What a write produced: a status and a JSON body (or none, for 204). */
export interface WriteResult {
  status: number;
  body: unknown;
}

/**
 * Runs a request's writes in one SQLite transaction. For a POST carrying a client X-Transaction-ID
 * the response is stored in that same transaction, and a repeat within 24 h gets the stored
 * response without touching anything: a client's retry can never apply a write twice, and a crash
 * can never keep the write but lose its replay record (or the reverse).
 */
export function commitWrite(c: Context<AppEnv>, deps: AppDeps, work: () => WriteResult): Response {
  const replayable = c.req.method === 'POST' && c.get('clientTransactionId');
  const path = new URL(c.req.url).pathname.replace(/\/+$/, '');
  const txid = c.get('transactionId');
  const now = deps.now();
  const stored = deps.store.transaction((): StoredResponse => {
    if (replayable) {
      const previous = deps.store.replays.find(c.req.method, path, txid, now);
      if (previous) return previous;
    }
    const result = work();
    const response = {
      status: result.status,
      body: result.body === null ? null : JSON.stringify(result.body),
    };
    if (replayable) {
      deps.store.replays.sweep(now);
      deps.store.replays.save(c.req.method, path, txid, now, response);
    }
    return response;
  });
  if (stored.body === null) return c.body(null, stored.status as ContentfulStatusCode);
  return c.body(stored.body, stored.status as ContentfulStatusCode, { 'Content-Type': 'application/json' });
}
