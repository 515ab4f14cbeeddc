import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { type RunningEmulator, startEmulator } from '@ocsai/emulator';
import {
  closeRuntime,
  loadMcpConfig,
  type McpConfig,
  type McpHttpServerHandle,
  startMcpHttpServer,
} from '@ocsai/mcp-server';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { body, CaseCounter, expectHandled, headers, send, wrongTypedObject } from './fuzz-support.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 150);
const TOOL_RUNS = Math.max(20, Math.round(RUNS / 5));
const TOKEN = 'mcp-fuzz-token-0123456789abcdef';

let emulator: RunningEmulator;
let config: McpConfig;
let mcp: McpHttpServerHandle;
let client: Client;
let toolNames: string[] = [];
const counter = new CaseCounter();

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, db: ':memory:', logger: false });
  config = loadMcpConfig({
    OCS_API_URL: emulator.url,
    LOG_LEVEL: 'silent',
    MCP_AUTH_TOKENS: TOKEN,
    OCS_API_TIMEOUT: '5',
  });
  mcp = await startMcpHttpServer({ ...config, host: '127.0.0.1', port: 0 });
  client = new Client({ name: 'fuzz', version: '1' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(mcp.url), {
      requestInit: { headers: { authorization: `Bearer ${TOKEN}` } },
    }),
  );
  toolNames = (await client.listTools()).tools.map((tool) => tool.name);
});
afterAll(async () => {
  console.log(counter.summary('mcp-server'));
  await client.close();
  await mcp.close();
  await closeRuntime(config);
  await emulator.close();
});

const jsonRpcLike = fc
  .record(
    {
      jsonrpc: fc.oneof(fc.constant('2.0'), fc.string({ maxLength: 4 })),
      id: fc.oneof(fc.integer(), fc.string({ maxLength: 8 }), fc.constant(null)),
      method: fc.oneof(
        fc.constantFrom('initialize', 'tools/list', 'tools/call', 'resources/list', 'prompts/get', 'ping'),
        fc.string({ maxLength: 20 }),
      ),
      params: fc.oneof(
        wrongTypedObject,
        fc.record({ name: fc.string({ maxLength: 20 }), arguments: wrongTypedObject }),
      ),
    },
    { requiredKeys: ['jsonrpc', 'method'] },
  )
  .map((value) => new TextEncoder().encode(JSON.stringify(value)));

describe('MCP server fuzzing', () => {
  it('POST /mcp answers 2xx/4xx with a JSON error for any body and headers', async () => {
    const auth = fc.constantFrom<Record<string, string>>(
      { authorization: `Bearer ${TOKEN}` },
      {},
      { authorization: 'Bearer x' },
    );
    await fc.assert(
      fc.asyncProperty(fc.oneof(body, jsonRpcLike), headers, auth, async (payload, head, key) => {
        const res = await send(
          mcp.url,
          { method: 'POST', headers: { ...head, ...key }, body: payload },
          payload,
        );
        counter.add('POST /mcp');
        await expectHandled(res, counter, 'POST /mcp');
      }),
      { numRuns: RUNS * 2, endOnFailure: true },
    );
  });

  it('every tool answers wrong-typed arguments with a tool error or an invalid-params error, never an internal one', async () => {
    expect(toolNames.length).toBeGreaterThan(10);
    for (const name of toolNames) {
      await fc.assert(
        fc.asyncProperty(wrongTypedObject, async (args) => {
          counter.add(`tool ${name}`);
          try {
            const result = await client.callTool({ name, arguments: args });
            expect(Array.isArray(result.content)).toBe(true);
          } catch (error) {
            const code = (error as { code?: number }).code;
            if (code === -32603) counter.serverErrors++;
            expect(code, `${name}: ${(error as Error).message}`).not.toBe(-32603);
            expect(code, `${name}: ${(error as Error).message}`).toBeDefined();
          }
        }),
        { numRuns: TOOL_RUNS, endOnFailure: true },
      );
    }
    expect((await fetch(mcp.url.replace('/mcp', '/healthz'))).status).toBe(200);
  });
});
