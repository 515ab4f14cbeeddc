import { z } from 'zod';

/** Redis settings; spread into the router's env schema. */
export const redisEnvShape = {
  REDIS_URL: z
    .url('REDIS_URL must be a URL such as redis://127.0.0.1:6379')
    .optional()
    .describe('Redis for ROUTER_STORE=redis and for rate limits shared across router instances.'),
  REDIS_COMMAND_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(50)
    .max(60_000)
    .default(2000)
    .describe('A Redis command that takes longer fails (the request gets 503) instead of hanging.'),
};
