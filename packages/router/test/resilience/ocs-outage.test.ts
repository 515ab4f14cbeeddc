import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { type RunningEmulator, startEmulator } from '@ocsai/emulator';
import { loadMcpConfig, type McpHttpServerHandle, startMcpHttpServer } from '@ocsai/mcp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let emulator: RunningEmulator;
let mcp: McpHttpServerHandle;
let client: Client;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, db: ':memory:', logger: false });
  mcp = await startMcpHttpServer({
    ...loadMcpConfig({ OCS_API_URL: emulator.url, LOG_LEVEL: 'silent', OCS_API_TIMEOUT: '2' }),
    host: '127.0.0.1',
    port: 0,
  });
  client = new Client({ name: 'outage-test', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(mcp.url)));
});
afterAll(async () => {
  await client.close();
  await mcp.close();
  await emulator.close().catch(() => {});
});

const text = (result: Awaited<ReturnType<Client['callTool']>>) =>
  (result.content as { type: string; text?: string }[]).map((part) => part.text ?? '').join('\n');

describe('OCS emulator goes away during MCP use', () => {
  it('answers a clear tool error, not a protocol failure or a hang, and the MCP server stays up', async () => {
    const before = await client.callTool({
      name: 'create_subscriber',
      arguments: { msisdn: '4799123456789' },
    });
    expect(before.isError).toBeFalsy();

    await emulator.close();
    const during = await client.callTool({
      name: 'lookup_subscriber',
      arguments: { msisdn: '4799123456789' },
    });
    expect(during.isError).toBe(true);
    expect(text(during)).toMatch(/OCS|unreachable|connect|unavailable/i);
    expect(text(during)).not.toMatch(/\n\s+at /); // no stack trace

    // The MCP server itself is still serving.
    const tools = await client.listTools();
    expect(tools.tools.length).toBeGreaterThan(0);
  });
});
