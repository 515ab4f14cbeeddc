import { MemoryPendingConfirmationStore } from './memory.js';
import type { PendingConfirmationStore } from './pending-confirmation-store.js';
import { SqlitePendingConfirmationStore } from './sqlite.js';

export { MemoryPendingConfirmationStore } from './memory.js';
export type {
  PendingConfirmation,
  PendingConfirmationStore,
  TakeResult,
} from './pending-confirmation-store.js';
export { SqlitePendingConfirmationStore } from './sqlite.js';

/** Same backend choice as the context store (ROUTER_STORE), same database file. */
export function createPendingConfirmationStore(config: {
  ROUTER_STORE: string;
  ROUTER_DB: string;
}): PendingConfirmationStore {
  return config.ROUTER_STORE === 'sqlite'
    ? new SqlitePendingConfirmationStore(config.ROUTER_DB)
    : new MemoryPendingConfirmationStore();
}
