import { Redis } from 'ioredis';
import type { ContextEnvelope, PriorTurn } from '../../context-envelope/envelope.js';
import { mergeEnvelopes } from '../../context-envelope/merge.js';
import { RouterError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import type { ContextStore } from './context-store.js';

/** Kept in its own module so reading the config does not load ioredis. */
export { redisEnvShape } from './redis-env.js';

/**
 * An ioredis client tuned to fail fast during an outage: it reconnects in the background forever,
 * but a command gives up after one failed reconnect or REDIS_COMMAND_TIMEOUT_MS, so a request gets
 * a 503 instead of hanging. The offline queue stays on so commands sent while the first connection
 * is still being made simply wait for it.
 */
export function connectRedis(
  url: string,
  options: { commandTimeoutMs?: number; logger?: Logger } = {},
): Redis {
  const redis = new Redis(url, {
    maxRetriesPerRequest: 1,
    enableOfflineQueue: true,
    commandTimeout: options.commandTimeoutMs ?? 2000,
    connectTimeout: 2000,
    retryStrategy: (times) => Math.min(50 * 2 ** Math.min(times, 5), 1000),
  });
  let healthy = true;
  // Without an 'error' listener ioredis prints every reconnect failure; log state changes once.
  redis.on('error', (error: Error) => {
    if (!healthy) return;
    healthy = false;
    options.logger?.warn({ err: { message: error.message } }, 'redis unreachable; reconnecting');
  });
  redis.on('ready', () => {
    if (healthy) return;
    healthy = true;
    options.logger?.info('redis reconnected');
  });
  return redis;
}

// The rest of the envelope lives in a hash (env, has = "memory.messages present", ver = version);
// memory.messages in a list, so an append is RPUSH + LTRIM instead of rewriting the envelope.
const APPEND = `
if redis.call('HEXISTS', KEYS[1], 'env') == 0 then redis.call('HSET', KEYS[1], 'env', ARGV[2]) end
redis.call('HSET', KEYS[1], 'has', '1')
if #ARGV > 2 then redis.call('RPUSH', KEYS[2], unpack(ARGV, 3)) end
local max = tonumber(ARGV[1])
if max > 0 then redis.call('LTRIM', KEYS[2], -max, -1) else redis.call('DEL', KEYS[2]) end
redis.call('HINCRBY', KEYS[1], 'ver', 1)
return 1`;

// Replaces the whole envelope; with ARGV[3] ~= '*' only if the version is still ARGV[3] (PATCH's CAS).
const WRITE = `
if ARGV[3] ~= '*' then
  local ver = redis.call('HGET', KEYS[1], 'ver') or '0'
  if ver ~= ARGV[3] then return 0 end
end
redis.call('HSET', KEYS[1], 'env', ARGV[1], 'has', ARGV[2])
redis.call('HINCRBY', KEYS[1], 'ver', 1)
redis.call('DEL', KEYS[2])
if #ARGV > 3 then redis.call('RPUSH', KEYS[2], unpack(ARGV, 4)) end
return 1`;

const MAX_PATCH_TRIES = 20;

interface Snapshot {
  envelope: ContextEnvelope | undefined;
  version: string;
}

/**
 * Context store shared by several router instances. Each write is one Lua script (atomic on the
 * server); PATCH merges in the router and commits with compare-and-set on a version, retrying on
 * a concurrent write. A Redis outage surfaces as RouterError 503 store_unavailable.
 */
export class RedisContextStore implements ContextStore {
  readonly kind = 'redis';
  readonly #redis: Redis;
  readonly #ownsClient: boolean;
  readonly #prefix: string;

  constructor(redis: Redis, options: { ownsClient?: boolean; prefix?: string } = {}) {
    this.#redis = redis;
    this.#ownsClient = options.ownsClient ?? false;
    this.#prefix = options.prefix ?? 'ocsai:ctx';
  }

  #keys(userId: string): [string, string] {
    // The hash tag puts both keys of a user on one cluster slot (scripts need that).
    return [`${this.#prefix}:{${userId}}`, `${this.#prefix}:{${userId}}:msgs`];
  }

  async #run<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      if (error instanceof RouterError) throw error;
      throw new RouterError(503, 'store_unavailable', 'Context store (redis) unavailable; retry shortly', {
        retryAfterSeconds: 1,
      });
    }
  }

  async #read(userId: string): Promise<Snapshot> {
    const [hash, list] = this.#keys(userId);
    const replies = await this.#redis.multi().hgetall(hash).lrange(list, 0, -1).exec();
    if (!replies) throw new Error('transaction aborted');
    for (const [error] of replies) if (error) throw error;
    const fields = replies[0]?.[1] as Record<string, string>;
    const messages = replies[1]?.[1] as string[];
    if (fields.env === undefined) return { envelope: undefined, version: fields.ver ?? '0' };
    const envelope = JSON.parse(fields.env) as ContextEnvelope;
    if (fields.has === '1' || messages.length) {
      envelope.memory = {
        ...envelope.memory,
        messages: messages.map((item) => JSON.parse(item) as PriorTurn),
      };
    }
    return { envelope, version: fields.ver ?? '0' };
  }

  async #write(userId: string, envelope: ContextEnvelope, expectedVersion: string): Promise<boolean> {
    const rest = structuredClone(envelope);
    const messages = rest.memory?.messages;
    if (rest.memory) delete rest.memory.messages;
    const args = [
      JSON.stringify(rest),
      messages === undefined ? '0' : '1',
      expectedVersion,
      ...(messages ?? []).map((message) => JSON.stringify(message)),
    ];
    return (await this.#redis.eval(WRITE, 2, ...this.#keys(userId), ...args)) === 1;
  }

  get(userId: string): Promise<ContextEnvelope | undefined> {
    return this.#run(async () => (await this.#read(userId)).envelope);
  }

  put(userId: string, envelope: ContextEnvelope): Promise<ContextEnvelope> {
    return this.#run(async () => {
      await this.#write(userId, envelope, '*');
      return envelope;
    });
  }

  patch(userId: string, patch: ContextEnvelope): Promise<ContextEnvelope> {
    return this.#run(async () => {
      for (let attempt = 0; attempt < MAX_PATCH_TRIES; attempt++) {
        const { envelope, version } = await this.#read(userId);
        const merged = mergeEnvelopes(envelope, structuredClone(patch));
        if (await this.#write(userId, merged, version)) return merged;
      }
      throw new RouterError(409, 'conflict', 'The context kept changing during the update; retry');
    });
  }

  delete(userId: string): Promise<boolean> {
    return this.#run(async () => (await this.#redis.del(...this.#keys(userId))) > 0);
  }

  appendMessages(userId: string, messages: PriorTurn[], max: number): Promise<void> {
    return this.#run(async () => {
      const initial = JSON.stringify({ identity: { user_id: userId } });
      await this.#redis.eval(
        APPEND,
        2,
        ...this.#keys(userId),
        max,
        initial,
        ...messages.map((message) => JSON.stringify(message)),
      );
    });
  }

  ping(): Promise<void> {
    return this.#run(async () => {
      await this.#redis.ping();
    });
  }

  async close(): Promise<void> {
    if (this.#ownsClient) await this.#redis.quit().catch(() => this.#redis.disconnect());
  }
}
