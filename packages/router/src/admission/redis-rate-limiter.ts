import type { Redis } from 'ioredis';
import { RouterError } from '../errors.js';
import { type Admit, type RateLimiter, type RateLimits, WINDOW_MS, windowOf } from './rate-limiter.js';

// Check-and-count in one script, so concurrent routers sharing the Redis can never both take the last slot.
const ADMIT = `
local tpm = tonumber(ARGV[2])
if tpm > 0 and tonumber(redis.call('GET', KEYS[2]) or '0') >= tpm then return 2 end
local rpm = tonumber(ARGV[1])
if rpm > 0 then
  local n = redis.call('INCR', KEYS[1])
  if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[3]) end
  if n > rpm then return 1 end
end
return 0`;

const CHARGE = `
redis.call('INCRBY', KEYS[1], ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 0`;

const unavailable = () =>
  new RouterError(
    503,
    'rate_limiter_unavailable',
    'Rate limiter unavailable (Redis unreachable); retry shortly',
    {
      retryAfterSeconds: 1,
    },
  );

/** Limits shared by every router instance on one Redis; fails closed (503) when Redis is down. */
export class RedisRateLimiter implements RateLimiter {
  readonly kind = 'redis';
  readonly #redis: Redis;
  readonly #now: () => number;
  readonly #prefix: string;

  constructor(redis: Redis, options: { now?: () => number; prefix?: string } = {}) {
    this.#redis = redis;
    this.#now = options.now ?? Date.now;
    this.#prefix = options.prefix ?? 'ocsai:rl';
  }

  #keys(keyId: string, index: number): [string, string] {
    // The hash tag keeps both counters of a key on one cluster slot.
    const base = `${this.#prefix}:{${keyId}}:${index}`;
    return [`${base}:req`, `${base}:tok`];
  }

  async admit(keyId: string, limits: RateLimits): Promise<Admit> {
    const { index, remainingMs } = windowOf(this.#now());
    const [requests, tokens] = this.#keys(keyId, index);
    let verdict: unknown;
    try {
      verdict = await this.#redis.eval(ADMIT, 2, requests, tokens, limits.rpm, limits.tpm, WINDOW_MS * 2);
    } catch {
      throw unavailable();
    }
    if (verdict === 1) return { ok: false, limit: 'requests', retryAfterMs: remainingMs };
    if (verdict === 2) return { ok: false, limit: 'tokens', retryAfterMs: remainingMs };
    return { ok: true };
  }

  async charge(keyId: string, tokens: number): Promise<void> {
    if (tokens <= 0) return;
    const { index } = windowOf(this.#now());
    try {
      await this.#redis.eval(CHARGE, 1, this.#keys(keyId, index)[1], tokens, WINDOW_MS * 2);
    } catch {
      // The answer has been sent already; an uncounted charge only makes the limit lenient.
    }
  }

  async close(): Promise<void> {}
}
