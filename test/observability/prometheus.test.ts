import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { type RunningEmulator, startEmulator } from '@ocsai/emulator';
import { loadMcpConfig, type McpHttpServerHandle, startMcpHttpServer } from '@ocsai/mcp-server';
import { GenAiClientMetrics, MCP_DURATION_BUCKETS } from '@ocsai/telemetry/metrics';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prometheusBinary, type RunningPrometheus, startPrometheus } from '../support/prometheus.js';
import { type RouterUnderTest, startRouterWithFakeProvider } from '../support/router-under-test.js';
import { dashboardQueries, withoutGrafanaVariables } from './dashboard.js';

// A real Prometheus (Debian package, installed by .ci/run) scrapes the services every second; the
// test sends known traffic and reads it back with PromQL over Prometheus's HTTP API. Without the
// binary the file is skipped on a developer's machine and fails under CI.
const available = Boolean(prometheusBinary()) || Boolean(process.env.CI);

/** Serves one prom-client registry, standing in for the router's GenAI metrics until they are wired. */
async function serveRegistry(registry: Registry): Promise<{ hostPort: string; server: Server }> {
  const server = createServer(async (_request, response) => {
    response.writeHead(200, { 'content-type': registry.contentType }).end(await registry.metrics());
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { hostPort: `127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

const ASKS = 7;
/** Tokens the router reported in its /ask answers: what its gen_ai_client_token_usage must sum to. */
const answered = { input: 0, output: 0 };
let router: RouterUnderTest;
let definitions: { hostPort: string; server: Server };
let prometheus: RunningPrometheus;
let emulator: RunningEmulator;
let mcp: McpHttpServerHandle;

describe.skipIf(!available)('metrics scraped by a real Prometheus', () => {
  beforeAll(async () => {
    router = await startRouterWithFakeProvider();
    const registry = new Registry();
    const genAi = new GenAiClientMetrics(registry);
    // Known traffic on the GenAI definitions, for what the fake-backed router does not produce (a second
    // provider, a failed call): 3 openai calls and a timeout, 2 anthropic.
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
    definitions = await serveRegistry(registry);
    // The real MCP server (its /metrics) in front of the real emulator, driven by real tool calls.
    emulator = await startEmulator({ port: 0, db: ':memory:', logger: false });
    const config = loadMcpConfig({
      OCS_API_URL: emulator.url,
      LOG_LEVEL: 'silent',
      MCP_CONFIRMATION_SECRET: 'prometheus-test-confirmation-secret-0123',
      MCP_STATE_FILE: ':memory:',
    });
    mcp = await startMcpHttpServer({ ...config, host: '127.0.0.1', port: 0 });
    prometheus = await startPrometheus([
      { job: 'router', target: router.hostPort },
      { job: 'definitions', target: definitions.hostPort },
      { job: 'mcp-server', target: new URL(mcp.url).host },
    ]);
  }, 60_000);

  afterAll(async () => {
    await prometheus?.stop();
    await router?.close();
    await mcp?.close();
    await emulator?.close();
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
      const { usage } = (await response.json()) as { usage: { input_tokens: number; output_tokens: number } };
      answered.input += usage.input_tokens;
      answered.output += usage.output_tokens;
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
      ['mcp-server', 1],
      ['router', 1],
    ]);
  }, 30_000);

  it('the router records GenAI token usage and one operation per provider call, as it answered', async () => {
    const tokens = await prometheus.waitFor(
      'sum by (gen_ai_provider_name, gen_ai_token_type) (gen_ai_client_token_usage_sum{job="router"})',
      (s) => s.length === 2,
    );
    expect(answered.input).toBeGreaterThan(0);
    expect(
      Object.fromEntries(
        tokens.map((s) => [`${s.metric.gen_ai_provider_name} ${s.metric.gen_ai_token_type}`, s.value]),
      ),
    ).toEqual({ 'openai input': answered.input, 'openai output': answered.output });
    const calls = await prometheus.query(
      'sum by (gen_ai_provider_name) (gen_ai_client_operation_duration_seconds_count{job="router"})',
    );
    expect(calls).toEqual([{ metric: { gen_ai_provider_name: 'openai' }, value: ASKS }]);
  }, 30_000);

  it('the GenAI definitions: tokens and calls by provider, failures by error type', async () => {
    const tokens = await prometheus.waitFor(
      'sum by (gen_ai_provider_name, gen_ai_token_type) (gen_ai_client_token_usage_sum{job="definitions"})',
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
      'sum by (gen_ai_provider_name) (gen_ai_client_operation_duration_seconds_count{job="definitions"})',
    );
    expect(Object.fromEntries(calls.map((s) => [s.metric.gen_ai_provider_name, s.value]))).toEqual({
      openai: 4,
      anthropic: 2,
    });

    const failed = await prometheus.query(
      'sum by (error_type) (gen_ai_client_operation_duration_seconds_count{job="definitions",error_type!=""})',
    );
    expect(failed).toEqual([{ metric: { error_type: 'timeout' }, value: 1 }]);
  }, 30_000);

  it('the MCP server: tool calls by tool and outcome, tool latency p95, OCS calls and confirmations match the tool calls sent', async () => {
    const client = new Client({ name: 'care-agent', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(new URL(mcp.url)));
    const tool = async (name: string, args: Record<string, unknown>) => {
      const r = await client.callTool({ name, arguments: args });
      // biome-ignore lint/suspicious/noExplicitAny: the test reads deep tool-result fields without re-declaring them
      return { isError: r.isError === true, data: (r.structuredContent ?? {}) as Record<string, any> };
    };
    // 12 subscribers created, timed by the client (the server's own latency is within it).
    const CREATES = 12;
    const took: number[] = [];
    const ids: string[] = [];
    for (let i = 0; i < CREATES; i++) {
      const started = performance.now();
      const r = await tool('create_subscriber', {
        msisdn: `43660${String(Date.now() % 1e6).padStart(6, '0')}${i}`.slice(0, 15),
      });
      took.push((performance.now() - started) / 1000);
      expect(r.isError).toBe(false);
      ids.push(r.data.subscriber.subscriberId);
    }
    // 3 lookups of unknown numbers: tool errors after an OCS 404.
    for (let i = 0; i < 3; i++)
      expect((await tool('lookup_subscriber', { msisdn: `4369900000${i}` })).isError).toBe(true);
    // Two deletions held for confirmation; one confirmed; its token repeated is refused.
    const held = [
      await tool('delete_subscriber', { subscriberId: ids[0] }),
      await tool('delete_subscriber', { subscriberId: ids[1] }),
    ];
    expect(held.map((h) => h.data.confirmation_required)).toEqual([true, true]);
    const confirmed = { subscriberId: ids[0], confirmation_token: held[0]!.data.confirmation_token };
    expect((await tool('delete_subscriber', confirmed)).isError).toBe(false);
    expect((await tool('delete_subscriber', confirmed)).isError).toBe(true);
    await client.close();

    const calls = await prometheus.waitFor(
      'sum by (gen_ai_tool_name, outcome) (mcp_server_tool_calls_total)',
      (s) => s.reduce((n, x) => n + x.value, 0) === CREATES + 3 + 4,
    );
    expect(
      Object.fromEntries(calls.map((s) => [`${s.metric.gen_ai_tool_name} ${s.metric.outcome}`, s.value])),
    ).toEqual({
      'create_subscriber ok': CREATES,
      'lookup_subscriber tool_error': 3,
      'delete_subscriber confirmation_required': 2,
      'delete_subscriber ok': 1,
      'delete_subscriber tool_error': 1,
    });

    const confirmations = await prometheus.query('sum by (outcome) (mcp_server_confirmations_total)');
    expect(Object.fromEntries(confirmations.map((s) => [s.metric.outcome, s.value]))).toEqual({
      requested: 2,
      approved: 1,
      rejected: 1,
    });

    const ocs = await prometheus.query(
      'sum by (method, operation, status) (mcp_server_ocs_request_duration_seconds_count)',
    );
    const byCall = Object.fromEntries(
      ocs.map((s) => [`${s.metric.method} ${s.metric.operation} ${s.metric.status}`, s.value]),
    );
    expect(byCall).toMatchObject({
      'POST /ocs/prov/v1/subscribers 201': CREATES,
      'GET /ocs/prov/v1/subscribers/lookup 404': 3,
      'DELETE /ocs/prov/v1/subscribers/{subscriberId} 204': 1,
    });

    // The p95 of create_subscriber's server-side latency lies at or under the top of the bucket
    // holding the client-side p95 (every server latency is inside its client's round trip).
    const p95 = await prometheus.query(
      'histogram_quantile(0.95, sum by (le, gen_ai_tool_name) (mcp_server_operation_duration_seconds_bucket{mcp_method_name="tools/call",gen_ai_tool_name="create_subscriber"}))',
    );
    expect(p95).toHaveLength(1);
    const clientP95 = [...took].sort((a, b) => a - b)[Math.ceil(0.95 * took.length) - 1]!;
    const ceiling = MCP_DURATION_BUCKETS.find((b) => b >= clientP95) ?? Number.POSITIVE_INFINITY;
    expect(p95[0]!.value).toBeGreaterThan(0);
    expect(p95[0]!.value).toBeLessThanOrEqual(ceiling);
    const count = await prometheus.query(
      'sum(mcp_server_operation_duration_seconds_count{gen_ai_tool_name="create_subscriber"})',
    );
    expect(count[0]!.value).toBe(CREATES);
  }, 60_000);

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
