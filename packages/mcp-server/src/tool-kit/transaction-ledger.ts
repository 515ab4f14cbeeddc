import type { CallToolResult } from '@modelcontextprotocol/server';
import type { StateStore } from '../state/state-store.js';

/** How long a transaction_id keeps its first result (the emulator's replay window, too). */
export const LEDGER_TTL_MS = 24 * 60 * 60 * 1000;
/** A claim whose call never settled (the instance died mid-call) blocks the id this long. */
const PENDING_TTL_MS = 10 * 60 * 1000;

/**
 * - `pending`: the first call is running;
 * - `done`: it finished (successfully or with a definite refusal): its result is replayed;
 * - `unknown`: the OCS may or may not have applied it; repeating would risk doing it twice, so
 *   the repeat gets the same "outcome unknown" answer.
 */
export interface LedgerEntry {
  tool: string;
  digest: string;
  state: 'pending' | 'done' | 'unknown';
  result?: CallToolResult;
}

/**
 * The MCP server's own record of transaction_id -> arguments digest -> result, per subject (one
 * credential never sees another's results). Lives in the shared state store, so it holds across
 * instances when that is Redis or a shared SQLite file. It makes a client's repeat safe whatever
 * the OCS does with a repeated X-Transaction-ID.
 */
export class TransactionLedger {
  constructor(private readonly store: StateStore) {}

  private key(subject: string, transactionId: string): string {
    return `txn:${subject.length}:${subject}:${transactionId}`;
  }

  async lookup(subject: string, transactionId: string): Promise<LedgerEntry | undefined> {
    const raw = await this.store.get(this.key(subject, transactionId));
    return raw === undefined ? undefined : (JSON.parse(raw) as LedgerEntry);
  }

  /** Marks the id as taken by this call; false when another call holds or held it. */
  async claim(subject: string, transactionId: string, tool: string, digest: string): Promise<boolean> {
    const entry: LedgerEntry = { tool, digest, state: 'pending' };
    return this.store.putIfAbsent(this.key(subject, transactionId), JSON.stringify(entry), PENDING_TTL_MS);
  }

  async settle(subject: string, transactionId: string, entry: LedgerEntry): Promise<void> {
    await this.store.set(this.key(subject, transactionId), JSON.stringify(entry), LEDGER_TTL_MS);
  }

  /** Frees the id: the call certainly changed nothing, so repeating it is a fresh attempt. */
  async release(subject: string, transactionId: string): Promise<void> {
    await this.store.delete(this.key(subject, transactionId));
  }
}
