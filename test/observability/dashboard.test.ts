import { RouterMetrics } from '@ocsai/router';
import { GenAiClientMetrics, McpServerMetrics } from '@ocsai/telemetry/metrics';
import { type Metric, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { dashboardQueries, namesIn } from './dashboard.js';

// The router's metrics are registered once prom-client is loaded (off its start-up path).
const routerRegistry = (await new RouterMetrics().load()).registry;

/** Every series name the definitions expose (a histogram as _bucket, _sum, _count), with its labels. */
function definedSeries(): Map<string, Set<string>> {
  const registry = new Registry();
  new GenAiClientMetrics(registry);
  new McpServerMetrics(registry);
  const series = new Map<string, Set<string>>();
  for (const reg of [registry, routerRegistry]) {
    for (const metric of reg.getMetricsAsArray() as (Metric & { name: string; labelNames: string[] })[]) {
      const labels = new Set(metric.labelNames);
      const type = (metric as unknown as { type: string }).type;
      const names =
        type === 'histogram' ? ['_bucket', '_sum', '_count'].map((s) => metric.name + s) : [metric.name];
      for (const name of names)
        series.set(name, name.endsWith('_bucket') ? new Set([...labels, 'le']) : labels);
    }
  }
  return series;
}

describe('docs/grafana/ocs-ai.json', () => {
  const queries = dashboardQueries();
  const series = definedSeries();

  it('covers the router and the MCP server', () => {
    const metrics = queries.flatMap((q) => namesIn(q.expr).metrics);
    for (const prefix of ['router_', 'gen_ai_client_', 'mcp_server_']) {
      expect(
        metrics.some((m) => m.startsWith(prefix)),
        prefix,
      ).toBe(true);
    }
    expect(queries.length).toBeGreaterThanOrEqual(10);
  });

  it.each(queries.map((q) => [q.panel, q.expr]))(
    '%s: every metric it reads is defined, and every label it uses is one of that metric',
    (_panel, expr) => {
      const { metrics, labels } = namesIn(expr);
      expect(metrics.length).toBeGreaterThan(0);
      for (const metric of metrics) expect([...series.keys()], expr).toContain(metric);
      const known = new Set(metrics.flatMap((m) => [...(series.get(m) ?? [])]));
      for (const label of labels) expect([...known], `${label} in ${expr}`).toContain(label);
    },
  );
});
