import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { describe, expect, it } from 'vitest';
import { call, freshMsisdn, ok } from './helpers.js';
import { useMcpHttpServer } from './support/fixtures.js';

const fx = useMcpHttpServer({ MCP_AUTH_TOKENS: 'metrics-test-token' });

/** The value of one series in a Prometheus text exposition (0 when absent). */
function sample(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

describe('GET /metrics on the MCP HTTP server', () => {
  it('counts tool calls by tool and outcome, OCS latency by route and status, confirmations by outcome', async () => {
    const client = new Client({ name: 'legacy', version: '1' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(fx.http.url), {
        requestInit: { headers: { authorization: 'Bearer metrics-test-token' } },
      }),
    );
    const created = await ok(client, 'create_subscriber', { msisdn: freshMsisdn() });
    const subscriberId = created.subscriber.subscriberId as string;
    expect((await call(client, 'lookup_subscriber', { msisdn: freshMsisdn() })).isError).toBe(true);
    const held = await ok(client, 'delete_subscriber', { subscriberId });
    expect(held.confirmation_required).toBe(true);
    const args = { subscriberId, confirmation_token: held.confirmation_token };
    await ok(client, 'delete_subscriber', args);
    expect((await call(client, 'delete_subscriber', args)).isError).toBe(true);
    await client.close();

    // Open like /healthz (Prometheus holds no MCP token), and the exposition names no secret.
    const response = await fetch(new URL('/metrics', fx.http.url));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await response.text();
    expect(text).not.toContain('metrics-test-token');
    expect(text).not.toContain(subscriberId);

    const calls = (tool: string, outcome: string) =>
      sample(text, `mcp_server_tool_calls_total{gen_ai_tool_name="${tool}",outcome="${outcome}"}`);
    expect(calls('create_subscriber', 'ok')).toBe(1);
    expect(calls('lookup_subscriber', 'tool_error')).toBe(1);
    expect(calls('delete_subscriber', 'confirmation_required')).toBe(1);
    expect(calls('delete_subscriber', 'ok')).toBe(1);
    expect(calls('delete_subscriber', 'tool_error')).toBe(1);

    const confirmations = (outcome: string) =>
      sample(
        text,
        `mcp_server_confirmations_total{gen_ai_tool_name="delete_subscriber",outcome="${outcome}"}`,
      );
    expect([confirmations('requested'), confirmations('approved'), confirmations('rejected')]).toEqual([
      1, 1, 1,
    ]);

    const ocs = (method: string, route: string, status: string) =>
      sample(
        text,
        `mcp_server_ocs_request_duration_seconds_count{method="${method}",operation="/ocs/prov/v1${route}",status="${status}"}`,
      );
    expect(ocs('POST', '/subscribers', '201')).toBe(1);
    expect(ocs('GET', '/subscribers/lookup', '404')).toBe(1);
    expect(ocs('DELETE', '/subscribers/{subscriberId}', '204')).toBe(1);
    expect(
      sample(
        text,
        'mcp_server_operation_duration_seconds_count{mcp_method_name="tools/call",gen_ai_tool_name="create_subscriber",error_type=""}',
      ),
    ).toBe(1);

    expect((await fetch(new URL('/metrics', fx.http.url), { method: 'POST' })).status).toBe(405);
  });
});
