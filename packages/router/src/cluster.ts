import cluster, { type Worker } from 'node:cluster';
import { AggregatorRegistry, type Registry } from 'prom-client';
import { WORKER_SLOT_VARIABLE } from './cluster-env.js';
import type { Logger } from './logger.js';

/** IPC message a worker sends to have /metrics answered for the whole cluster. */
const METRICS_QUESTION = 'ocs-router:cluster-metrics?';
const METRICS_ANSWER = 'ocs-router:cluster-metrics';
/** How long a worker waits for the primary's aggregate before /metrics fails. */
const METRICS_TIMEOUT_MS = 5000;
/** How long shutdown waits for workers to drain before they are killed. */
const DRAIN_TIMEOUT_MS = 30_000;

type MetricsAnswer = { type: typeof METRICS_ANSWER; id: number; text?: string; error?: string };

/**
 * The primary of ROUTER_WORKERS > 1: forks the workers (each runs the whole router and shares the
 * listening port), replaces a worker that dies while serving, answers their /metrics questions with
 * prom-client's aggregate over every worker, and on SIGTERM/SIGINT passes the signal on and exits
 * once every worker has drained (each finishes its in-flight requests, as a single process does).
 * A worker that exits before it ever listened (bad port, bad store) stops the whole cluster: the
 * same fault would only repeat.
 */
export function runRouterPrimary(options: { workers: number; logger: Logger }): Promise<number> {
  const { logger } = options;
  const aggregator = new AggregatorRegistry();
  const listening = new WeakSet<Worker>();
  let stopping = false;
  let exitCode = 0;
  let resolveDone: (code: number) => void = () => undefined;
  const done = new Promise<number>((resolve) => {
    resolveDone = resolve;
  });

  const alive = new Set<Worker>();
  const live = () => [...alive];
  // Each worker keeps a slot number for its life and its replacement's, so what it owns on disk
  // (its audit file) continues with the same name after a restart.
  const slots = new Map<Worker, number>();
  const fork = (slot: number) => {
    const worker = cluster.fork({ [WORKER_SLOT_VARIABLE]: String(slot) });
    slots.set(worker, slot);
    alive.add(worker);
    worker.on('listening', () => listening.add(worker));
    worker.on('message', (message: { type?: string; id?: number }) => {
      if (message?.type !== METRICS_QUESTION || typeof message.id !== 'number') return;
      const id = message.id;
      aggregator.clusterMetrics().then(
        (text) => worker.send({ type: METRICS_ANSWER, id, text } satisfies MetricsAnswer),
        (error: unknown) =>
          worker.send({
            type: METRICS_ANSWER,
            id,
            error: error instanceof Error ? error.message : String(error),
          } satisfies MetricsAnswer),
      );
    });
  };
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal, workers: live().length }, 'shutting down: draining every worker');
    for (const worker of live()) worker.process.kill('SIGTERM');
    const force = setTimeout(() => {
      for (const worker of live()) worker.process.kill('SIGKILL');
    }, DRAIN_TIMEOUT_MS);
    force.unref();
    if (live().length === 0) resolveDone(exitCode);
  };

  cluster.on('exit', (worker, code, signal) => {
    alive.delete(worker);
    if (!stopping) {
      if (!listening.has(worker)) {
        logger.fatal({ pid: worker.process.pid, code, signal }, 'router worker failed to start');
        exitCode = 1;
        stop('SIGTERM');
      } else {
        logger.error({ pid: worker.process.pid, code, signal }, 'router worker died; starting another');
        fork(slots.get(worker) ?? 0);
      }
    } else if (code !== 0 && code !== null) exitCode = 1;
    if (stopping && live().length === 0) resolveDone(exitCode);
  });
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  for (let slot = 1; slot <= options.workers; slot += 1) fork(slot);
  logger.info({ workers: options.workers }, 'router primary started its workers');
  return done;
}

let nextQuestion = 0;
const pending = new Map<number, { resolve: (text: string) => void; reject: (error: Error) => void }>();

/**
 * In a worker: lets the primary collect `registry` for the aggregate, and returns the function that
 * renders /metrics as the aggregate over every worker (asked of the primary over IPC).
 */
export function clusterMetricsSource(registry: Registry): () => Promise<string> {
  AggregatorRegistry.setRegistries([registry]);
  // Constructing one installs the worker's listener for the primary's collection requests.
  new AggregatorRegistry();
  process.on('message', (message: MetricsAnswer) => {
    if (message?.type !== METRICS_ANSWER) return;
    const waiting = pending.get(message.id);
    if (!waiting) return;
    pending.delete(message.id);
    if (message.error !== undefined) waiting.reject(new Error(message.error));
    else waiting.resolve(message.text ?? '');
  });
  return () =>
    new Promise<string>((resolve, reject) => {
      const id = ++nextQuestion;
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new Error('the cluster primary did not answer for /metrics'));
      }, METRICS_TIMEOUT_MS);
      pending.set(id, {
        resolve: (text) => {
          clearTimeout(timer);
          resolve(text);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      process.send?.({ type: METRICS_QUESTION, id });
    });
}
