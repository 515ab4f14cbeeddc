import type { ConfirmationOutcome, McpServerMetrics, ToolCallOutcome } from '@ocsai/telemetry/metrics';
import type { Registry } from 'prom-client';

export type { ConfirmationOutcome, ToolCallOutcome };

interface Loaded {
  registry: Registry;
  metrics: McpServerMetrics;
}

/**
 * The MCP server's Prometheus metrics (tool calls by tool and outcome, tool latency, OCS latency,
 * confirmations by outcome) on one registry of its own, served at /metrics by the HTTP server.
 *
 * prom-client is loaded by {@link load}, which the HTTP server calls after it listens, so it adds
 * nothing to start-to-healthy; stdio never loads it (nothing could scrape it). Until loaded, a
 * measurement waits for the load instead of being lost; without a load it is a no-op.
 */
export class ServerMetrics {
  private loaded: Loaded | undefined;
  private loading: Promise<Loaded> | undefined;

  load(): Promise<Loaded> {
    this.loading ??= Promise.all([import('prom-client'), import('@ocsai/telemetry/metrics')]).then(
      ([{ Registry }, { McpServerMetrics }]) => {
        const registry = new Registry();
        this.loaded = { registry, metrics: new McpServerMetrics(registry) };
        return this.loaded;
      },
    );
    return this.loading;
  }

  /** The Prometheus text exposition and its content type. */
  async exposition(): Promise<{ contentType: string; body: string }> {
    const { registry } = await this.load();
    return { contentType: registry.contentType, body: await registry.metrics() };
  }

  toolCall(tool: string, outcome: ToolCallOutcome, seconds: number): void {
    if (this.loaded) this.loaded.metrics.recordToolCall(tool, outcome, seconds);
    else void this.loading?.then((l) => l.metrics.recordToolCall(tool, outcome, seconds));
  }

  /** One OCS HTTP call: `operation` is its route template, `status` the HTTP status or "error". */
  ocsRequest(method: string, operation: string, status: string, seconds: number): void {
    const labels = { method, operation, status };
    if (this.loaded) this.loaded.metrics.ocsRequestDuration.observe(labels, seconds);
    else void this.loading?.then((l) => l.metrics.ocsRequestDuration.observe(labels, seconds));
  }

  confirmation(tool: string, outcome: ConfirmationOutcome): void {
    const labels = { gen_ai_tool_name: tool, outcome };
    if (this.loaded) this.loaded.metrics.confirmations.inc(labels);
    else void this.loading?.then((l) => l.metrics.confirmations.inc(labels));
  }
}
