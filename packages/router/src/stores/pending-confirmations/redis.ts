import type { Redis } from 'ioredis';
import {
  EXPIRED_GRACE_MS,
  type PendingConfirmation,
  type PendingConfirmationStore,
  type TakeResult,
} from './pending-confirmation-store.js';

const KEY_PREFIX = 'ocsai:pending-confirmation:';

/**
 * Returns and deletes the entry only when it belongs to the user (ARGV[1]), in one atomic step,
 * so another user's guess neither reads nor destroys it and two answers cannot both run it.
 */
const TAKE_SCRIPT = `
local value = redis.call('GET', KEYS[1])
if not value then return false end
local entry = cjson.decode(value)
if entry.userId ~= ARGV[1] then return false end
redis.call('DEL', KEYS[1])
return value`;

/**
 * Pending confirmations in Redis (ROUTER_STORE=redis), so any router instance behind a load
 * balancer can continue a conversation another one held. Keys expire on their own an hour after
 * the confirmation does.
 */
export class RedisPendingConfirmationStore implements PendingConfirmationStore {
  readonly kind = 'redis';
  readonly #redis: Redis;
  readonly #ownsClient: boolean;

  constructor(redis: Redis, options: { ownsClient?: boolean } = {}) {
    this.#redis = redis;
    this.#ownsClient = options.ownsClient ?? false;
  }

  async put(entry: PendingConfirmation): Promise<void> {
    const ttlMs = Math.max(1, entry.expiresAt - entry.createdAt + EXPIRED_GRACE_MS);
    await this.#redis.set(`${KEY_PREFIX}${entry.id}`, JSON.stringify(entry), 'PX', ttlMs);
  }

  async peek<State>(id: string): Promise<PendingConfirmation<State> | undefined> {
    const raw = await this.#redis.get(`${KEY_PREFIX}${id}`);
    return raw ? (JSON.parse(raw) as PendingConfirmation<State>) : undefined;
  }

  async take<State>(id: string, userId: string, now = Date.now()): Promise<TakeResult<State>> {
    const raw = (await this.#redis.eval(TAKE_SCRIPT, 1, `${KEY_PREFIX}${id}`, userId)) as string | null;
    if (!raw) return { status: 'not_found' };
    const entry = JSON.parse(raw) as PendingConfirmation<State>;
    return entry.expiresAt <= now ? { status: 'expired', entry } : { status: 'ok', entry };
  }

  async close(): Promise<void> {
    if (this.#ownsClient) await this.#redis.quit().catch(() => {});
  }
}
