import { MemoryStateStore, type StateStore } from './state-store.js';

export type StateStoreChoice =
  | { kind: 'memory'; maxEntries: number }
  | { kind: 'sqlite'; file: string }
  | { kind: 'redis'; url: string; commandTimeoutMs?: number };

/**
 * Opens the configured store on first use: better-sqlite3 and ioredis are loaded only when they
 * are needed, so a stdio server for a desktop client starts without either.
 */
export class LazyStateStore implements StateStore {
  private opened: Promise<StateStore> | undefined;

  constructor(private readonly choice: StateStoreChoice) {}

  get kind(): StateStoreChoice['kind'] {
    return this.choice.kind;
  }

  private store(): Promise<StateStore> {
    this.opened ??= (async (): Promise<StateStore> => {
      switch (this.choice.kind) {
        case 'memory':
          return new MemoryStateStore({ maxEntries: this.choice.maxEntries });
        case 'sqlite': {
          const file = this.choice.file;
          // better-sqlite3 is native, so the published package carries it as an optional peer:
          // without it the state cannot be kept, and every call that needs it fails closed.
          const { SqliteStateStore } = await import('./sqlite-state-store.js').catch((error: unknown) => {
            throw (error as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND'
              ? new Error(
                  `MCP_STATE_FILE (${file}) needs the better-sqlite3 package: npm install better-sqlite3, or set REDIS_URL`,
                )
              : error;
          });
          return new SqliteStateStore(file);
        }
        case 'redis': {
          const { RedisStateStore } = await import('./redis-state-store.js');
          return new RedisStateStore(this.choice.url, this.choice.commandTimeoutMs);
        }
      }
    })();
    return this.opened;
  }

  async putIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    return (await this.store()).putIfAbsent(key, value, ttlMs);
  }
  async get(key: string): Promise<string | undefined> {
    return (await this.store()).get(key);
  }
  async set(key: string, value: string, ttlMs: number): Promise<void> {
    await (await this.store()).set(key, value, ttlMs);
  }
  async delete(key: string): Promise<void> {
    await (await this.store()).delete(key);
  }
  async close(): Promise<void> {
    if (this.opened) await (await this.opened).close();
  }
}
