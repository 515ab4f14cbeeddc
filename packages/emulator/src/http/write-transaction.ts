import { canonicalJson, sha256Hex } from '@ocsai/contract';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { OcsHttpError } from '../domain/ocs-http-error.js';
import type { StoredResponse } from '../store/replay-repository.js';
import type { AppDeps, AppEnv } from './app-env.js';

/** What a write produced: a status and a JSON body (or none, for 204). */
export interface WriteResult {
  status: number;
  body: unknown;
}

/**
 * The path a replay is keyed on: percent-decoded segment by segment and without trailing slashes,
 * so `/subscriptions/%61bc/balances/` and `/subscriptions/abc/balances` (which the router sends to
 * the same handler) are one request, not two.
 */
export function normalisedPath(pathname: string): string {
  const decoded = pathname
    .split('/')
    .map((segment) => {
      try {
        return decodeURIComponent(segment);
      } catch {
        return segment;
      }
    })
    .join('/');
  return decoded.replace(/\/+$/, '') || '/';
}

/** Digest of a request body: canonical JSON when it parses (key order does not matter), else the bytes. */
function bodyDigest(text: string | undefined): string {
  if (text === undefined || text.trim() === '') return sha256Hex('');
  try {
    return sha256Hex(canonicalJson(JSON.parse(text)));
  } catch {
    return sha256Hex(text);
  }
}

/**
 * Runs a request's writes in one SQLite transaction. For a POST carrying a client X-Transaction-ID
 * the response is stored in that same transaction, keyed on method + normalised path + transaction
 * id together with a digest of the body. A repeat of the same request within 24 h gets the stored
 * response without touching anything: a client's retry can never apply a write twice, and a crash
 * can never keep the write but lose its replay record (or the reverse). A repeat of the id with
 * another body is refused with 422: it is not a retry, and the first caller's response (which may
 * hold personal data) is never handed to it.
 */
export function commitWrite(c: Context<AppEnv>, deps: AppDeps, work: () => WriteResult): Response {
  const replayable = c.req.method === 'POST' && c.get('clientTransactionId');
  const path = normalisedPath(new URL(c.req.url).pathname);
  const txid = c.get('transactionId');
  const digest = bodyDigest(c.get('requestBodyText'));
  const now = deps.now();
  const stored = deps.store.transaction((): StoredResponse => {
    if (replayable) {
      const previous = deps.store.replays.find(c.req.method, path, txid, now);
      if (previous) {
        if (previous.requestDigest !== digest)
          throw new OcsHttpError(
            422,
            `X-Transaction-ID ${txid} was already used for another request to ${c.req.method} ${path} (different body); use a new transaction id for a new request`,
          );
        return previous;
      }
    }
    const result = work();
    const response = {
      status: result.status,
      body: result.body === null ? null : JSON.stringify(result.body),
    };
    if (replayable) {
      deps.store.replays.sweep(now);
      deps.store.replays.save(c.req.method, path, txid, now, digest, response);
    }
    return response;
  });
  if (stored.body === null) return c.body(null, stored.status as ContentfulStatusCode);
  return c.body(stored.body, stored.status as ContentfulStatusCode, { 'Content-Type': 'application/json' });
}
