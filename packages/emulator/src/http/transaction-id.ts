import { EMULATOR_DEDUPLICATES_HEADER, OCS_BASE_PATH } from '@ocsai/contract';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from './app-env.js';

export const TRANSACTION_HEADER = 'X-Transaction-ID';

/** `<sanitised path>_<epoch ms>` as the backend's filter builds it, e.g. `subscribers_lookup_1733312345678`. */
export function generateTransactionId(pathname: string, nowMs: number): string {
  let endpoint = pathname.startsWith(`${OCS_BASE_PATH}/`)
    ? pathname.slice(OCS_BASE_PATH.length + 1)
    : pathname;
  endpoint = endpoint
    .replace(/^\/+/, '')
    .replace(/[/\-{}]/g, '_')
    .replace(/_+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 50);
  return `${endpoint || 'root'}_${nowMs}`;
}

/**
 * Echoes the client's X-Transaction-ID verbatim (header names are case-insensitive) or generates
 * one, and sets exactly one such header on every response, errors and 404s included. Every response
 * also says that this OCS deduplicates POSTs by transaction id (the real backend does not).
 */
export function transactionId(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const supplied = c.req.header(TRANSACTION_HEADER);
    const fromClient = supplied !== undefined && supplied.trim() !== '';
    const id = fromClient ? supplied : generateTransactionId(new URL(c.req.url).pathname, Date.now());
    c.set('transactionId', id);
    c.set('clientTransactionId', fromClient);
    await next();
    c.res.headers.set(TRANSACTION_HEADER, id);
    c.res.headers.set(EMULATOR_DEDUPLICATES_HEADER, 'true');
  };
}
