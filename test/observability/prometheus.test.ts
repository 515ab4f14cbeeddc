import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GenAiClientMetrics, McpServerMetrics } from '@ocsai/telemetry/metrics';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prometheusBinary, type RunningPrometheus, startPrometheus } from '../support/prometheus.js';
import { type RouterUnderTest, startRouterWithFakeProvider } from '../support/router-under-test.js';
import { dashboardQueries, withoutGrafanaVariables } from './dashboard.js';

// A real Prometheus (Debian package, installed by .ci/run) scrapes the services every second; the
// test sends known traffic and reads it back with PromQL over Prometheus's HTTP API. Without the
// binary the file is skipped on a developer's machine and fails under CI.
const available = Boolean(prometheusBinary()) || Boolean(process.env.CI);

/** Serves one prom-client registry, standing in for a service until its metrics are wired. */
async function serveRegistry(registry: Registry): Promise<{ hostPort: string; server: Server }> {
  const server = createServer(async (_request, response) => {
    response.writeHead(200, { 'content-type': registry.contentType }).end(await registry.metrics());
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { hostPort: `127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

const ASKS = 7;
let router: RouterUnderTest;
let definitions: { hostPort: string; server: Server };
let prometheus: RunningPrometheus;

describe.skipIf(!available)('metrics scraped by a real Prometheus', () => {
  beforeAll(async () => {
    router = await startRouterWithFakeProvider();
    const registry = new Registry();
    const genAi = new GenAiClientMetrics(registry);
    const mcp = new McpServerMetrics(registry);
    // Known traffic on the new definitions: 3 openai calls and a timeout, 2 anthropic; 4 OCS calls; 19 quick tool calls, 1 slow.
    for (let i = 0; i < 3; i++)
      genAi.record({
        provider: 'openai',
        requestModel: 'gpt-4o',
        durationSeconds: 0.3,
        inputTokens: 100,
        outputTokens: 40,
      });
    for (let i = 0; i < 2; i++)
      genAi.record({
        provider: 'anthropic',
        requestModel: 'claude',
        durationSeconds: 1.1,
        inputTokens: 50,
        outputTokens: 5,
      });
    genAi.record({ provider: 'openai', requestModel: 'gpt-4o', durationSeconds: 30, errorType: 'timeout' });
    for (let i = 0; i < 3; i++)
      mcp.ocsRequestDuration.observe({ method: 'GET', operation: 'getBalance', status: '200' }, 0.004);
    mcp.ocsRequestDuration.observe({ method: 'GET', operation: 'getBalance', status: '503' }, 0.2);
    for (let i = 0; i < 19; i++) mcp.recordToolCall('get_balance', 'ok', 0.015);
    mcp.recordToolCall('get_balance', 'tool_error', 4);
    mcp.confirmations.inc({ gen_ai_tool_name: 'delete_subscriber', outcome: 'requested' }, 2);
    mcp.confirmations.inc({ gen_ai_tool_name: 'delete_subscriber', outcome: 'approved' });
    definitions = await serveRegistry(registry);
    prometheus = await startPrometheus([
      { job: 'router', target: router.hostPort },
      { job: 'definitions', target: definitions.hostPort },
    ]);
  }, 60_000);

  afterAll(async () => {
    await prometheus?.stop();
    await router?.close();
    definitions?.server.close();
  });

  it('the router: requests and provider calls in PromQL match the /ask traffic sent', async () => {
    for (let i = 0; i < ASKS; i++) {
      const response = await fetch(`${router.url}/ask`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ message: `question ${i}` }),
      });
      expect(response.status).toBe(200);
      await response.text();
    }
    await prometheus.waitFor(
      'sum(router_http_requests_total{route="/ask",method="POST",status="200"})',
      (s) => s[0]?.value === ASKS,
    );
    const byProvider = await prometheus.query('sum by (provider) (router_upstream_latency_seconds_count)');
    expect(byProvider).toEqual([{ metric: { provider: 'openai' }, value: ASKS }]);
    const p95 = await prometheus.query(
      'histogram_quantile(0.95, sum by (le) (router_http_request_duration_seconds_bucket{route="/ask"}))',
    );
    expect(p95[0]!.value).toBeGreaterThan(0);
    const up = await prometheus.query('up');
    expect(up.map((s) => [s.metric.job, s.value]).sort()).toEqual([
      ['definitions', 1],
      ['router', 1],
    ]);
  }, 30_000);

  it('the GenAI and MCP server definitions: tokens by provider, tool latency p95, calls and confirmations by outcome', async () => {
    const tokens = await prometheus.waitFor(
      'sum by (gen_ai_provider_name, gen_ai_token_type) (gen_ai_client_token_usage_sum)',
      (s) => s.length === 4,
    );
    const table = Object.fromEntries(
      tokens.map((s) => [`${s.metric.gen_ai_provider_name} ${s.metric.gen_ai_token_type}`, s.value]),
    );
    expect(table).toEqual({
      'openai input': 300,
      'openai output': 120,
      'anthropic input': 100,
      'anthropic output': 10,
    });

    const calls = await prometheus.query(
      'sum by (gen_ai_provider_name) (gen_ai_client_operation_duration_seconds_count)',
    );
    expect(Object.fromEntries(calls.map((s) => [s.metric.gen_ai_provider_name, s.value]))).toEqual({
      openai: 4,
      anthropic: 2,
    });

    // 19 of 20 calls fall in the (0.01, 0.02] bucket: Prometheus interpolates the p95 to its top.
    const p95 = await prometheus.query(
      'histogram_quantile(0.95, sum by (le, gen_ai_tool_name) (mcp_server_operation_duration_seconds_bucket{mcp_method_name="tools/call"}))',
    );
    expect(p95).toHaveLength(1);
    expect(p95[0]!.metric.gen_ai_tool_name).toBe('get_balance');
    expect(p95[0]!.value).toBeCloseTo(0.02, 6);

    const ocs = await prometheus.query('sum by (status) (mcp_server_ocs_request_duration_seconds_count)');
    expect(Object.fromEntries(ocs.map((s) => [s.metric.status, s.value]))).toEqual({ '200': 3, '503': 1 });
    const failed = await prometheus.query(
      'sum by (error_type) (gen_ai_client_operation_duration_seconds_count{error_type!=""})',
    );
    expect(failed).toEqual([{ metric: { error_type: 'timeout' }, value: 1 }]);

    const outcomes = await prometheus.query('sum by (outcome) (mcp_server_tool_calls_total)');
    expect(Object.fromEntries(outcomes.map((s) => [s.metric.outcome, s.value]))).toEqual({
      ok: 19,
      tool_error: 1,
    });
    const confirmations = await prometheus.query('sum by (outcome) (mcp_server_confirmations_total)');
    expect(Object.fromEntries(confirmations.map((s) => [s.metric.outcome, s.value]))).toEqual({
      requested: 2,
      approved: 1,
    });
  }, 30_000);

  it('every PromQL expression of the Grafana dashboard is accepted by Prometheus and finds series', async () => {
    // rate() needs two scrapes inside its window, hence the wait.
    for (const { panel, expr } of dashboardQueries()) {
      const samples = await prometheus
        .waitFor(withoutGrafanaVariables(expr), (s) => s.length > 0, 10_000)
        .catch((error: Error) => error.message);
      expect(typeof samples === 'string' ? samples : 'found', `${panel}: ${expr}`).toBe('found');
    }
  }, 60_000);
});
