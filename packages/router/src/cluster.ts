import cluster, { type Worker } from 'node:cluster';
import { WORKER_SLOT_VARIABLE } from './cluster-env.js';
import type { Logger } from './logger.js';
import type { MetricsSnapshot } from './metrics.js';

/** IPC message a worker sends to have /metrics answered for the whole cluster. */
const METRICS_QUESTION = 'ocs-router:cluster-metrics?';
const METRICS_ANSWER = 'ocs-router:cluster-metrics';
/** IPC message the primary sends every worker to collect its own metrics for the aggregate. */
const COLLECT_QUESTION = 'ocs-router:worker-metrics?';
const COLLECT_ANSWER = 'ocs-router:worker-metrics';
/** How long a worker waits for the primary's aggregate before /metrics fails. */
const METRICS_TIMEOUT_MS = 5000;
/** How long the primary waits for the workers' metrics (less, so a worker hears why it failed). */
const COLLECT_TIMEOUT_MS = 4000;
/** How long shutdown waits for workers to drain before they are killed. */
const DRAIN_TIMEOUT_MS = 30_000;

type MetricsAnswer = { type: typeof METRICS_ANSWER; id: number; text?: string; error?: string };
type CollectAnswer = { type: typeof COLLECT_ANSWER; id: number; metrics?: MetricsSnapshot; error?: string };

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * The primary of ROUTER_WORKERS > 1: forks the workers (each runs the whole router and shares the
 * listening port), replaces a worker that dies while serving, answers their /metrics questions with
 * prom-client's aggregate (AggregatorRegistry.aggregate) of what each worker that listens reports,
 * and on SIGTERM/SIGINT passes the signal on and exits once every worker has drained (each finishes its in-flight requests, as a single process does).
 * A worker that exits before it ever listened (bad port, bad store) stops the whole cluster: the
 * same fault would only repeat.
 *
 * The collection is ours rather than prom-client's (AggregatorRegistry#clusterMetrics): a worker
 * loads prom-client only after it has answered (metrics.ts), and prom-client's own collection
 * listener would not exist before that, so a question reaching a worker in that window would go
 * unanswered until the timeout. Ours is installed before the worker listens and answers once its
 * metrics are loaded. The primary loads prom-client for the first collection.
 */
export function runRouterPrimary(options: { workers: number; logger: Logger }): Promise<number> {
  const { logger } = options;
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
  // Collections in flight: the workers each still has to hear from, and what they sent.
  let nextCollection = 0;
  const collections = new Map<
    number,
    { waiting: Set<Worker>; snapshots: MetricsSnapshot[]; settle: (error?: Error) => void }
  >();
  const collect = (): Promise<string> =>
    new Promise<string>((resolve, reject) => {
      const id = ++nextCollection;
      const waiting = new Set(live().filter((w) => listening.has(w) && w.isConnected()));
      const snapshots: MetricsSnapshot[] = [];
      const timer = setTimeout(
        () => settle(new Error('a router worker did not report its metrics')),
        COLLECT_TIMEOUT_MS,
      );
      const settle = (error?: Error) => {
        if (!collections.delete(id)) return;
        clearTimeout(timer);
        if (error) return reject(error);
        // Loaded by the first collection, off the workers' start-up; Node keeps it for the next.
        import('prom-client').then(
          ({ AggregatorRegistry }) => resolve(AggregatorRegistry.aggregate(snapshots).metrics()),
          reject,
        );
      };
      collections.set(id, { waiting, snapshots, settle });
      if (waiting.size === 0) return settle();
      for (const worker of waiting) worker.send({ type: COLLECT_QUESTION, id });
    });
  // A worker that exits is no longer waited for: the aggregate is of the workers that are left.
  const forget = (worker: Worker) => {
    for (const collection of collections.values())
      if (collection.waiting.delete(worker) && collection.waiting.size === 0) collection.settle();
  };

  const fork = (slot: number) => {
    const worker = cluster.fork({ [WORKER_SLOT_VARIABLE]: String(slot) });
    slots.set(worker, slot);
    alive.add(worker);
    worker.on('listening', () => listening.add(worker));
    worker.on('message', (message: { type?: string; id?: number } & Partial<CollectAnswer>) => {
      if (typeof message?.id !== 'number') return;
      const id = message.id;
      if (message.type === COLLECT_ANSWER) {
        const collection = collections.get(id);
        if (!collection?.waiting.delete(worker)) return;
        if (message.error !== undefined || !message.metrics)
          return collection.settle(new Error(message.error ?? 'a router worker sent no metrics'));
        collection.snapshots.push(message.metrics);
        if (collection.waiting.size === 0) collection.settle();
        return;
      }
      if (message.type !== METRICS_QUESTION) return;
      collect().then(
        (text) => worker.send({ type: METRICS_ANSWER, id, text } satisfies MetricsAnswer),
        (error: unknown) =>
          worker.send({ type: METRICS_ANSWER, id, error: messageOf(error) } satisfies MetricsAnswer),
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
    forget(worker);
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
 * In a worker: answers the primary's collections with `snapshot()` (this worker's own metrics; it
 * waits for prom-client's load, so a worker that has just listened reports what it has served), and
 * returns the function that renders /metrics as the aggregate over every worker (asked of the primary
 * over IPC). Installed before the worker listens.
 */
export function clusterMetricsSource(snapshot: () => Promise<MetricsSnapshot>): () => Promise<string> {
  process.on('message', (message: { type?: string; id?: number; text?: string; error?: string }) => {
    if (typeof message?.id !== 'number') return;
    const id = message.id;
    if (message.type === COLLECT_QUESTION) {
      snapshot().then(
        (metrics) => process.send?.({ type: COLLECT_ANSWER, id, metrics } satisfies CollectAnswer),
        (error: unknown) =>
          process.send?.({ type: COLLECT_ANSWER, id, error: messageOf(error) } satisfies CollectAnswer),
      );
      return;
    }
    if (message.type !== METRICS_ANSWER) return;
    const waiting = pending.get(id);
    if (!waiting) return;
    pending.delete(id);
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
