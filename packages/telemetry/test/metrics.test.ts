import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import {
  GEN_AI_DURATION_BUCKETS,
  GEN_AI_TOKEN_BUCKETS,
  GenAiClientMetrics,
  McpServerMetrics,
} from '../src/metrics.js';

describe('GenAI client metrics in Prometheus form', () => {
  it('gen_ai_client_token_usage and gen_ai_client_operation_duration_seconds with the conventions buckets', async () => {
    const registry = new Registry();
    const metrics = new GenAiClientMetrics(registry);
    metrics.record({
      provider: 'openai',
      requestModel: 'gpt-4o',
      durationSeconds: 0.3,
      inputTokens: 10,
      outputTokens: 20,
    });
    metrics.record({ provider: 'openai', requestModel: 'gpt-4o', durationSeconds: 5, errorType: 'timeout' });
    const text = await registry.metrics();
    expect(text).toContain('# TYPE gen_ai_client_token_usage histogram');
    expect(text).toContain(
      'gen_ai_client_token_usage_sum{gen_ai_operation_name="chat",gen_ai_provider_name="openai",gen_ai_request_model="gpt-4o",gen_ai_token_type="input"} 10',
    );
    expect(text).toContain(
      'gen_ai_client_token_usage_sum{gen_ai_operation_name="chat",gen_ai_provider_name="openai",gen_ai_request_model="gpt-4o",gen_ai_token_type="output"} 20',
    );
    expect(text).toMatch(
      /gen_ai_client_operation_duration_seconds_count\{[^}]*error_type="timeout"[^}]*\} 1/,
    );
    const json = await registry.getMetricsAsJSON();
    const buckets = (name: string) =>
      [
        ...new Set(
          (json.find((m) => m.name === name)!.values as { labels: Record<string, unknown> }[])
            .map((v) => v.labels.le)
            .filter((le) => le !== undefined && le !== '+Inf'),
        ),
      ].map(Number);
    expect(buckets('gen_ai_client_token_usage')).toEqual(GEN_AI_TOKEN_BUCKETS);
    expect(buckets('gen_ai_client_operation_duration_seconds')).toEqual(GEN_AI_DURATION_BUCKETS);
  });
});

describe('MCP server metrics', () => {
  it('tool calls by tool and outcome, tool latency, OCS latency and confirmations by outcome', async () => {
    const registry = new Registry();
    const metrics = new McpServerMetrics(registry);
    metrics.recordToolCall('get_balance', 'ok', 0.02);
    metrics.recordToolCall('delete_subscriber', 'confirmation_required', 0.01);
    metrics.recordToolCall('get_balance', 'tool_error', 0.5);
    metrics.ocsRequestDuration.observe({ method: 'GET', operation: 'getBalance', status: '200' }, 0.004);
    metrics.confirmations.inc({ gen_ai_tool_name: 'delete_subscriber', outcome: 'approved' });
    const text = await registry.metrics();
    expect(text).toContain('mcp_server_tool_calls_total{gen_ai_tool_name="get_balance",outcome="ok"} 1');
    expect(text).toContain(
      'mcp_server_tool_calls_total{gen_ai_tool_name="get_balance",outcome="tool_error"} 1',
    );
    expect(text).toContain(
      'mcp_server_operation_duration_seconds_count{mcp_method_name="tools/call",gen_ai_tool_name="get_balance",error_type="tool_error"} 1',
    );
    expect(text).toContain(
      'mcp_server_ocs_request_duration_seconds_count{method="GET",operation="getBalance",status="200"} 1',
    );
    expect(text).toContain(
      'mcp_server_confirmations_total{gen_ai_tool_name="delete_subscriber",outcome="approved"} 1',
    );
  });
});
