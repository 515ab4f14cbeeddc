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

/** The default bound of {@link MemoryStateStore} (MCP_STATE_MEMORY_MAX_ENTRIES). */
export const DEFAULT_MEMORY_MAX_ENTRIES = 20_000;

/**
 * The in-process store holds as many live entries as it may. Thrown instead of making room:
 * dropping a live ledger entry would let a repeated transaction_id be applied twice, and dropping
 * a used-token record would let a confirmation token be redeemed again.
 */
export class StateStoreFull extends Error {
  constructor(readonly maxEntries: number) {
    super(`the in-process state store is full (${maxEntries} live entries, MCP_STATE_MEMORY_MAX_ENTRIES)`);
    this.name = 'StateStoreFull';
  }
}

/**
 * One process only: tokens and ledger entries die with it. At most `maxEntries` live keys: when
 * full, a new key is refused ({@link StateStoreFull}) and nothing live is evicted. Expired keys
 * leave through a min-heap of expiry times, so a sweep costs what has expired (log n each), never
 * a scan of the whole map, however full the store is.
 */
export class MemoryStateStore implements StateStore {
  private readonly entries = new Map<string, { value: string; expires: number }>();
  // The heap: expiry times and their keys, side by side. An item is stale once its key was
  // overwritten (a later expiry) or deleted; stale items are dropped when they reach the top, and the
  // heap is rebuilt from the map when they outnumber the live ones, so it stays within a few times
  // the map's size.
  private heapExpires: number[] = [];
  private heapKeys: string[] = [];
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(options: { maxEntries?: number; now?: () => number } = {}) {
    this.maxEntries = options.maxEntries ?? DEFAULT_MEMORY_MAX_ENTRIES;
    this.now = options.now ?? Date.now;
  }

  /** Live keys after dropping the expired ones (tests and measurements). */
  get size(): number {
    this.sweep(this.now());
    return this.entries.size;
  }

  async putIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    const now = this.now();
    this.sweep(now);
    if (this.live(key, now) !== undefined) return false;
    if (this.entries.size >= this.maxEntries) throw new StateStoreFull(this.maxEntries);
    this.store(key, value, now + ttlMs);
    return true;
  }

  async get(key: string): Promise<string | undefined> {
    return this.live(key, this.now());
  }

  /**
   * Never refused: its callers overwrite a key they claimed with putIfAbsent (a ledger settle after
   * the OCS call), and refusing to record a result that already happened would make the repeat
   * apply it again. A settle whose claim expired meanwhile can add a key beyond the bound; that is
   * at most one per call in flight.
   */
  async set(key: string, value: string, ttlMs: number): Promise<void> {
    const now = this.now();
    this.sweep(now);
    this.store(key, value, now + ttlMs);
  }

  async delete(key: string): Promise<void> {
    this.entries.delete(key);
  }

  async close(): Promise<void> {}

  private live(key: string, now: number): string | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expires <= now) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  private store(key: string, value: string, expires: number): void {
    this.entries.set(key, { value, expires });
    if (this.heapKeys.length >= 3 * this.entries.size + 1024) this.rebuildHeap();
    else this.push(expires, key);
  }

  /** Drops every expired key: each one popped once, at O(log n). */
  private sweep(now: number): void {
    const expires = this.heapExpires;
    const keys = this.heapKeys;
    while (expires.length > 0 && (expires[0] as number) <= now) {
      const key = keys[0] as string;
      const entry = this.entries.get(key);
      if (entry && entry.expires <= now) this.entries.delete(key);
      this.pop();
    }
  }

  private rebuildHeap(): void {
    this.heapExpires = [];
    this.heapKeys = [];
    for (const [key, entry] of this.entries) {
      this.heapExpires.push(entry.expires);
      this.heapKeys.push(key);
    }
    for (let i = (this.heapKeys.length >> 1) - 1; i >= 0; i--) this.siftDown(i);
  }

  private push(expires: number, key: string): void {
    this.heapExpires.push(expires);
    this.heapKeys.push(key);
    let i = this.heapKeys.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if ((this.heapExpires[parent] as number) <= expires) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  private pop(): void {
    const last = this.heapKeys.length - 1;
    this.swap(0, last);
    this.heapExpires.pop();
    this.heapKeys.pop();
    if (last > 0) this.siftDown(0);
  }

  private siftDown(start: number): void {
    const expires = this.heapExpires;
    const n = expires.length;
    let i = start;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) return;
      const right = left + 1;
      const child = right < n && (expires[right] as number) < (expires[left] as number) ? right : left;
      if ((expires[i] as number) <= (expires[child] as number)) return;
      this.swap(i, child);
      i = child;
    }
  }

  private swap(a: number, b: number): void {
    const e = this.heapExpires;
    const k = this.heapKeys;
    [e[a], e[b]] = [e[b] as number, e[a] as number];
    [k[a], k[b]] = [k[b] as string, k[a] as string];
  }
}
