import { Redis } from 'ioredis';
import type { StateStore } from './state-store.js';

const PREFIX = 'ocs-mcp:';

/** The state in Redis: one store for every instance that points at it (SET NX PX is the single-use step). */
export class RedisStateStore implements StateStore {
  private readonly redis: Redis;

  constructor(url: string, commandTimeoutMs = 2_000) {
    this.redis = new Redis(url, {
      lazyConnect: false,
      maxRetriesPerRequest: 1,
      commandTimeout: commandTimeoutMs,
      enableOfflineQueue: true,
    });
    // Errors surface on the command that needed Redis; the event only keeps them from crashing us.
    this.redis.on('error', () => {});
  }

  async putIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    return (await this.redis.set(PREFIX + key, value, 'PX', Math.max(1, ttlMs), 'NX')) === 'OK';
  }

  async get(key: string): Promise<string | undefined> {
    return (await this.redis.get(PREFIX + key)) ?? undefined;
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    await this.redis.set(PREFIX + key, value, 'PX', Math.max(1, ttlMs));
  }

  async delete(key: string): Promise<void> {
    await this.redis.del(PREFIX + key);
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
