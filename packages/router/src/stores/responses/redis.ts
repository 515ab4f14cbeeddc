import type { Redis } from 'ioredis';
import { RouterError } from '../../errors.js';
import type { ResponseStore, StoredResponse } from './response-store.js';

const KEY_PREFIX = 'ocsai:response:';

/** Deletes the entry only when it belongs to the principal (ARGV[1]), in one atomic step. */
const DELETE_SCRIPT = `
local value = redis.call('GET', KEYS[1])
if not value then return 0 end
if cjson.decode(value).principalId ~= ARGV[1] then return 0 end
return redis.call('DEL', KEYS[1])`;

/**
 * Stored responses in Redis (ROUTER_STORE=redis), so any router instance can continue a response
 * another one answered. Keys expire on their own with the response.
 */
export class RedisResponseStore implements ResponseStore {
  readonly kind = 'redis';
  readonly #redis: Redis;

  constructor(redis: Redis) {
    this.#redis = redis;
  }

  /** A Redis outage is a 503 the client may retry, as for the context store. */
  async #run<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch {
      throw new RouterError(503, 'store_unavailable', 'Response store (redis) unavailable; retry shortly', {
        retryAfterSeconds: 1,
      });
    }
  }

  put(entry: StoredResponse): Promise<void> {
    const ttlMs = Math.max(1, entry.expiresAt - entry.createdAt);
    return this.#run(async () => {
      await this.#redis.set(`${KEY_PREFIX}${entry.id}`, JSON.stringify(entry), 'PX', ttlMs);
    });
  }

  get(id: string, principalId: string, now = Date.now()): Promise<StoredResponse | undefined> {
    return this.#run(async () => {
      const raw = await this.#redis.get(`${KEY_PREFIX}${id}`);
      if (!raw) return undefined;
      const entry = JSON.parse(raw) as StoredResponse;
      return entry.principalId === principalId && entry.expiresAt > now ? entry : undefined;
    });
  }

  delete(id: string, principalId: string): Promise<boolean> {
    return this.#run(
      async () => (await this.#redis.eval(DELETE_SCRIPT, 1, `${KEY_PREFIX}${id}`, principalId)) === 1,
    );
  }

  async close(): Promise<void> {}
}
