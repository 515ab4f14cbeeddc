import { GenAiClientMetrics } from '@ocsai/telemetry/metrics';
import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

const SECONDS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25];
const UPSTREAM_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

/** Prometheus metrics of one router instance (own registry, so several routers can share a process). */
export class RouterMetrics {
  readonly registry = new Registry();
  readonly requests = new Counter({
    name: 'router_http_requests_total',
    help: 'HTTP requests by route, method and status.',
    labelNames: ['route', 'method', 'status'] as const,
    registers: [this.registry],
  });
  readonly requestDuration = new Histogram({
    name: 'router_http_request_duration_seconds',
    help: 'Time to response headers by route, method and status.',
    labelNames: ['route', 'method', 'status'] as const,
    buckets: UPSTREAM_SECONDS,
    registers: [this.registry],
  });
  readonly upstreamLatency = new Histogram({
    name: 'router_upstream_latency_seconds',
    help: 'Time spent waiting on the LLM provider, per provider.',
    labelNames: ['provider'] as const,
    buckets: UPSTREAM_SECONDS,
    registers: [this.registry],
  });
  readonly overhead = new Histogram({
    name: 'router_overhead_seconds',
    help: 'Time spent in the router itself (total minus upstream wait), per route.',
    labelNames: ['route'] as const,
    buckets: SECONDS,
    registers: [this.registry],
  });
  /** gen_ai_client_token_usage and gen_ai_client_operation_duration_seconds, per provider attempt. */
  readonly genAi = new GenAiClientMetrics(this.registry);

  /** Renders /metrics: this registry, or the aggregate over every worker of a cluster. */
  readonly text: () => Promise<string>;

  constructor(
    options: { defaultMetrics?: boolean; aggregate?: (registry: Registry) => () => Promise<string> } = {},
  ) {
    if (options.defaultMetrics) collectDefaultMetrics({ register: this.registry });
    this.text = options.aggregate ? options.aggregate(this.registry) : () => this.registry.metrics();
  }
}
