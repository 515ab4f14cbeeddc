import type { Redis } from 'ioredis';
import { MemoryResponseStore } from './memory.js';
import { RedisResponseStore } from './redis.js';
import type { ResponseStore } from './response-store.js';
import { SqliteResponseStore } from './sqlite.js';

export { MemoryResponseStore } from './memory.js';
export { RedisResponseStore } from './redis.js';
export type { ResponseStore, StoredResponse } from './response-store.js';
export { SqliteResponseStore } from './sqlite.js';

/**
 * Same backend as the context store (ROUTER_STORE): the sqlite file (own table), the shared Redis
 * client, or memory.
 */
export function createResponseStore(
  config: { ROUTER_STORE: string; ROUTER_DB: string },
  redis?: Redis,
): ResponseStore {
  if (config.ROUTER_STORE === 'sqlite') return new SqliteResponseStore(config.ROUTER_DB);
  if (config.ROUTER_STORE === 'redis' && redis) return new RedisResponseStore(redis);
  return new MemoryResponseStore();
}
