/**
 * Small shared state the MCP server must not keep per process once it runs as several instances
 * or restarts: the used confirmation tokens (single use everywhere) and the transaction ledger
 * (a repeated transaction_id gets the first result). Keys expire on their own.
 */
export interface StateStore {
  /** Stores `value` under `key` unless the key is present; true when this call stored it. */
  putIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean>;
  get(key: string): Promise<string | undefined>;
  /** Overwrites (or creates) the key. */
  set(key: string, value: string, ttlMs: number): Promise<void>;
  delete(key: string): Promise<void>;
  close(): Promise<void>;
}

/** One process only: tokens and ledger entries die with it. */
export class MemoryStateStore implements StateStore {
  private readonly entries = new Map<string, { value: string; expires: number }>();
  private lastSweep = 0;

  constructor(private readonly now: () => number = Date.now) {}

  async putIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    this.sweep();
    if (this.live(key) !== undefined) return false;
    this.entries.set(key, { value, expires: this.now() + ttlMs });
    return true;
  }

  async get(key: string): Promise<string | undefined> {
    return this.live(key);
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    this.entries.set(key, { value, expires: this.now() + ttlMs });
  }

  async delete(key: string): Promise<void> {
    this.entries.delete(key);
  }

  async close(): Promise<void> {}

  private live(key: string): string | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expires <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  private sweep(): void {
    const now = this.now();
    if (now - this.lastSweep < 60_000) return;
    this.lastSweep = now;
    for (const [key, entry] of this.entries) if (entry.expires <= now) this.entries.delete(key);
  }
}
