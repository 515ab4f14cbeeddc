import type { StoreKind } from '../config.js';
import type { ContextStore } from './context-store.js';
import { MemoryContextStore } from './memory.js';
import { SqliteContextStore } from './sqlite.js';

export type { ContextStore } from './context-store.js';
export { MemoryContextStore } from './memory.js';
export { SqliteContextStore } from './sqlite.js';

/** Picks the backend named by ROUTER_STORE; a new backend adds one case here and one file. */
export function createContextStore(config: { ROUTER_STORE: StoreKind; ROUTER_DB: string }): ContextStore {
  switch (config.ROUTER_STORE) {
    case 'memory':
      return new MemoryContextStore();
    case 'sqlite':
      return new SqliteContextStore(config.ROUTER_DB);
  }
}
