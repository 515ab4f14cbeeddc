import type { Redis } from 'ioredis';
import type { StoreKind } from '../../config.js';
import type { ContextStore } from './context-store.js';
import { MemoryContextStore } from './memory.js';
import { SqliteContextStore } from './sqlite.js';

export type { ContextStore } from './context-store.js';
export { MemoryContextStore } from './memory.js';
// The redis backend (and ioredis, ~0.3 s to load) is imported only when ROUTER_STORE=redis.
export type { RedisContextStore } from './redis.js';
export { SqliteContextStore } from './sqlite.js';

/**
 * Picks the backend named by ROUTER_STORE; a new backend adds one case here and one file. The
 * redis backend uses `redis` when given (shared with the rate limiter), else its own client.
 */
export async function createContextStore(
  config: {
    ROUTER_STORE: StoreKind;
    ROUTER_DB: string;
    REDIS_URL?: string | undefined;
    REDIS_COMMAND_TIMEOUT_MS?: number;
  },
  redis?: Redis,
): Promise<ContextStore> {
  switch (config.ROUTER_STORE) {
    case 'memory':
      return new MemoryContextStore();
    case 'sqlite':
      return new SqliteContextStore(config.ROUTER_DB);
    case 'redis': {
      const { connectRedis, RedisContextStore } = await import('./redis.js');
      if (redis) return new RedisContextStore(redis);
      if (!config.REDIS_URL) throw new Error('ROUTER_STORE=redis needs REDIS_URL');
      const client = connectRedis(config.REDIS_URL, {
        commandTimeoutMs: config.REDIS_COMMAND_TIMEOUT_MS ?? 2000,
      });
      return new RedisContextStore(client, { ownsClient: true });
    }
  }
}
