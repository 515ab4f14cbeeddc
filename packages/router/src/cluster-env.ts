import { availableParallelism } from 'node:os';
import { z } from 'zod';

const optionalEnv = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === '' ? undefined : value), schema);

/** Worker processes; spread into the router's env schema. */
export const clusterEnvShape = {
  ROUTER_WORKERS: optionalEnv(
    z
      .union([z.literal('auto'), z.coerce.number().int().min(1).max(256)])
      .default(1)
      .describe(
        'Worker processes sharing the port (node:cluster); auto = one per core. Above 1 needs a shared store (sqlite or redis) and, with rate limits, REDIS_URL.',
      ),
  ),
};

/** The number of worker processes ROUTER_WORKERS asks for. */
export function workerCount(value: number | 'auto'): number {
  return value === 'auto' ? availableParallelism() : value;
}
