import type { Redis } from 'ioredis';
import { MemoryPendingConfirmationStore } from './memory.js';
import type { PendingConfirmationStore } from './pending-confirmation-store.js';
import { RedisPendingConfirmationStore } from './redis.js';
import { SqlitePendingConfirmationStore } from './sqlite.js';

export { MemoryPendingConfirmationStore } from './memory.js';
export type {
  PendingConfirmation,
  PendingConfirmationStore,
  TakeResult,
} from './pending-confirmation-store.js';
export { RedisPendingConfirmationStore } from './redis.js';
export { SqlitePendingConfirmationStore } from './sqlite.js';

/**
 * Same backend as the context store (ROUTER_STORE): the sqlite file (own table), the shared
 * Redis client (for several router instances), or memory.
 */
export function createPendingConfirmationStore(
  config: { ROUTER_STORE: string; ROUTER_DB: string },
  redis?: Redis,
): PendingConfirmationStore {
  if (config.ROUTER_STORE === 'sqlite') return new SqlitePendingConfirmationStore(config.ROUTER_DB);
  if (config.ROUTER_STORE === 'redis' && redis) return new RedisPendingConfirmationStore(redis);
  return new MemoryPendingConfirmationStore();
}
