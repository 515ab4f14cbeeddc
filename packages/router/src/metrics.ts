import type { GenAiClientMetrics, InferenceMeasurement } from '@ocsai/telemetry/metrics';
import type { Counter, Histogram, Registry } from 'prom-client';

const SECONDS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25];
const UPSTREAM_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

type RouteLabels = 'route' | 'method' | 'status';

/** The prom-client side of {@link RouterMetrics}, built once prom-client is loaded. */
export interface LoadedRouterMetrics {
  registry: Registry;
  requests: Counter<RouteLabels>;
  requestDuration: Histogram<RouteLabels>;
  upstreamLatency: Histogram<'provider'>;
  overhead: Histogram<'route'>;
  /** gen_ai_client_token_usage and gen_ai_client_operation_duration_seconds, per provider attempt. */
  genAi: GenAiClientMetrics;
}

/** One worker's metrics as the cluster primary aggregates them (prom-client's getMetricsAsJSON). */
export type MetricsSnapshot = Awaited<ReturnType<Registry['getMetricsAsJSON']>>;

/**
 * Prometheus metrics of one router instance (own registry, so several routers can share a process).
 *
 * prom-client, and the @opentelemetry/api it requires, are loaded by {@link load}, which the first
 * measurement starts (the end of the first request the router answers) or the first /metrics: they
 * add nothing to start-to-healthy, not even by running in the event loop while the first answer is
 * due (loading them right after listening did: paired runs, bench/ab-router-builds.mjs). A
 * measurement taken before the load completes waits for it, so nothing is lost; /metrics awaits it
 * too.
 */
export class RouterMetrics {
  #loaded: LoadedRouterMetrics | undefined;
  #loading: Promise<LoadedRouterMetrics> | undefined;
  readonly #defaultMetrics: boolean;
  readonly #aggregate: (() => Promise<string>) | undefined;

  /** What the resilience layer records each provider attempt with (GenAiClientMetrics.record). */
  readonly genAi: Pick<GenAiClientMetrics, 'record'> = {
    record: (m: InferenceMeasurement) => this.#measure((l) => l.genAi.record(m)),
  };

  /**
   * @param options.defaultMetrics the Node process metrics (collectDefaultMetrics) as well.
   * @param options.aggregate renders /metrics instead of this registry: a cluster worker's
   *   aggregate over every worker (cluster.ts).
   */
  constructor(options: { defaultMetrics?: boolean; aggregate?: () => Promise<string> } = {}) {
    this.#defaultMetrics = options.defaultMetrics ?? false;
    this.#aggregate = options.aggregate;
  }

  /** Loads prom-client and registers every metric; once, whoever asks first. */
  load(): Promise<LoadedRouterMetrics> {
    this.#loading ??= Promise.all([import('prom-client'), import('@ocsai/telemetry/metrics')]).then(
      ([{ Counter, Histogram, Registry, collectDefaultMetrics }, { GenAiClientMetrics }]) => {
        const registry = new Registry();
        const loaded: LoadedRouterMetrics = {
          registry,
          requests: new Counter({
            name: 'router_http_requests_total',
            help: 'HTTP requests by route, method and status.',
            labelNames: ['route', 'method', 'status'] as const,
            registers: [registry],
          }),
          requestDuration: new Histogram({
            name: 'router_http_request_duration_seconds',
            help: 'Time to response headers by route, method and status.',
            labelNames: ['route', 'method', 'status'] as const,
            buckets: UPSTREAM_SECONDS,
            registers: [registry],
          }),
          upstreamLatency: new Histogram({
            name: 'router_upstream_latency_seconds',
            help: 'Time spent waiting on the LLM provider, per provider.',
            labelNames: ['provider'] as const,
            buckets: UPSTREAM_SECONDS,
            registers: [registry],
          }),
          overhead: new Histogram({
            name: 'router_overhead_seconds',
            help: 'Time spent in the router itself (total minus upstream wait), per route.',
            labelNames: ['route'] as const,
            buckets: SECONDS,
            registers: [registry],
          }),
          genAi: new GenAiClientMetrics(registry),
        };
        if (this.#defaultMetrics) collectDefaultMetrics({ register: registry });
        this.#loaded = loaded;
        return loaded;
      },
    );
    return this.#loading;
  }

  /** One answered HTTP request: counted, and its time to response headers observed. */
  request(route: string, method: string, status: string, seconds: number): void {
    this.#measure((l) => {
      const labels = { route, method, status };
      l.requests.inc(labels);
      l.requestDuration.observe(labels, seconds);
    });
  }

  /** Time spent waiting on one provider for one request. */
  upstream(provider: string, seconds: number): void {
    this.#measure((l) => l.upstreamLatency.observe({ provider }, seconds));
  }

  /** Time spent in the router itself for one request (total minus upstream wait). */
  overhead(route: string, seconds: number): void {
    this.#measure((l) => l.overhead.observe({ route }, seconds));
  }

  /** The Prometheus text exposition (this registry, or the cluster's aggregate) and its content type. */
  async exposition(): Promise<{ contentType: string; body: string }> {
    const { registry } = await this.load();
    return {
      contentType: registry.contentType,
      body: await (this.#aggregate ? this.#aggregate() : registry.metrics()),
    };
  }

  /** This process's own metrics, for the cluster primary to aggregate. */
  async snapshot(): Promise<MetricsSnapshot> {
    return (await this.load()).registry.getMetricsAsJSON();
  }

  // Measurements queued on the load run in the order they were taken, and before any /metrics
  // asked after them (both wait on the same promise). A failed load (a broken install) is reported
  // by /metrics, which answers 500 with it logged: a measurement has no one to tell.
  #measure(record: (loaded: LoadedRouterMetrics) => void): void {
    if (this.#loaded) record(this.#loaded);
    else this.load().then(record, () => undefined);
  }
}
