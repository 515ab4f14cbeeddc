import { availableParallelism } from 'node:os';
import { z } from 'zod';

/** Worker processes; spread into the router's env schema. */
export const clusterEnvShape = {
  ROUTER_WORKERS: z
    .union([z.literal('auto'), z.coerce.number().int().min(1).max(256)])
    .default(1)
    .describe(
      'Worker processes sharing the port (node:cluster); auto = one per core. Above 1 needs a shared store (sqlite or redis) and, with rate limits, REDIS_URL.',
    ),
};

/** The number of worker processes ROUTER_WORKERS asks for. */
export function workerCount(value: number | 'auto'): number {
  return value === 'auto' ? availableParallelism() : value;
}

/** Set by the primary in each worker's environment: the worker's slot, 1 to ROUTER_WORKERS. */
export const WORKER_SLOT_VARIABLE = 'ROUTER_WORKER_SLOT';

/**
 * The audit file a process writes: a hash chain has one writer, so under ROUTER_WORKERS each worker
 * appends to its own file beside the configured one (`audit.jsonl` -> `audit.worker-2.jsonl`).
 */
export function auditFileForProcess(file: string, slot: string | undefined): string {
  if (!slot) return file;
  const dot = file.lastIndexOf('.');
  const slash = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\'));
  return dot > slash + 1
    ? `${file.slice(0, dot)}.worker-${slot}${file.slice(dot)}`
    : `${file}.worker-${slot}`;
}
