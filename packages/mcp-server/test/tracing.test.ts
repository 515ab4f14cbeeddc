import { Writable } from 'node:stream';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { startEmulator } from '@ocsai/emulator';
import { currentTraceIds, OCSAI, startTracing, type Tracing } from '@ocsai/telemetry';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OtlpReceiver, startOtlpReceiver } from '../../../test/support/otlp-receiver.js';
import type { McpConfig } from '../src/config.js';
import { type McpHttpServerHandle, startMcpHttpServer } from '../src/http.js';
import { createLogger } from '../src/logger.js';
import { closeRuntime, getRuntime } from '../src/runtime.js';
import { freshMsisdn, ok, testConfig } from './helpers.js';

// The MCP server continues the caller's trace (from `_meta` or the W3C header), one child client
// span per OCS call carries the X-Transaction-ID, and the emulator continues it from the header.
// Both run in this process, so both export under this process's tracer provider.

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT_SPAN = '00f067aa0ba902b7';
const TRACEPARENT = `00-${TRACE_ID}-${PARENT_SPAN}-01`;
const SERVER = 2;
const CLIENT = 3;

/** JSON log lines written to a memory stream. */
function memoryLog(): { lines: () => Record<string, unknown>[]; stream: Writable } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return {
    stream,
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l)),
  };
}

let receiver: OtlpReceiver;
let tracing: Tracing;
let emulator: Awaited<ReturnType<typeof startEmulator>>;
let config: McpConfig;
let server: McpHttpServerHandle;
const mcpLog = memoryLog();
const emulatorLog = memoryLog();

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  tracing = await startTracing({
    serviceName: 'ocs-mcp-server',
    env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint },
  });
  emulator = await startEmulator({
    port: 0,
    db: ':memory:',
    logger: pino({ level: 'info', mixin: currentTraceIds }, emulatorLog.stream),
  });
  // The server's runtime, built first with a logger that writes here (createLogger, as in production).
  config = { ...testConfig(emulator.url, { LOG_LEVEL: 'debug' }), port: 0 } as McpConfig;
  getRuntime(config, createLogger('debug', undefined, mcpLog.stream));
  server = await startMcpHttpServer(config);
});
afterAll(async () => {
  await server?.close();
  await closeRuntime(config);
  await emulator?.close();
  await tracing?.shutdown();
  await receiver?.close();
});

describe('tracing through the MCP server to the OCS', () => {
  it('tools/call continues the trace in _meta; each OCS call is a child client span with X-Transaction-ID; the emulator continues it', async () => {
    const client = new Client({ name: 'router', version: '1' }, { versionNegotiation: { mode: 'auto' } });
    await client.connect(new StreamableHTTPClientTransport(new URL(server.url)));
    const msisdn = freshMsisdn();
    const r = await client.callTool({
      name: 'create_subscriber',
      arguments: { msisdn },
      _meta: { traceparent: TRACEPARENT },
    });
    await client.close();
    const transactionId = (r.structuredContent as { transaction_id: string }).transaction_id;
    expect(transactionId).toBeTruthy();
    await tracing.forceFlush();
    const spans = await receiver.waitFor((s) => s.filter((x) => x.traceId === TRACE_ID).length >= 3);
    const inTrace = spans.filter((s) => s.traceId === TRACE_ID);

    const tool = inTrace.find((s) => s.name === 'tools/call create_subscriber');
    expect(tool).toMatchObject({
      kind: SERVER,
      parentSpanId: PARENT_SPAN,
      attributes: {
        'mcp.method.name': 'tools/call',
        'gen_ai.operation.name': 'execute_tool',
        'gen_ai.tool.name': 'create_subscriber',
        [OCSAI.TRANSACTION_ID]: transactionId,
      },
    });
    const ocs = inTrace.find((s) => s.kind === CLIENT);
    expect(ocs).toMatchObject({
      name: 'POST /ocs/prov/v1/subscribers',
      parentSpanId: tool!.spanId,
      attributes: {
        'http.request.method': 'POST',
        'http.response.status_code': 201,
        [OCSAI.TRANSACTION_ID]: transactionId,
      },
    });
    const backend = inTrace.find((s) => s.kind === SERVER && s.parentSpanId === ocs!.spanId);
    expect(backend).toMatchObject({
      name: 'POST /ocs/prov/v1/subscribers',
      attributes: { 'http.route': '/ocs/prov/v1/subscribers', [OCSAI.TRANSACTION_ID]: transactionId },
    });

    // Logs and traces join: the transaction id and the trace id on the same lines, in both services.
    const mcpLine = mcpLog.lines().find((l) => l.msg === 'tool call' && l.transactionId === transactionId);
    expect(mcpLine).toMatchObject({ trace_id: TRACE_ID, span_id: tool!.spanId });
    const emuLine = emulatorLog.lines().find((l) => l.msg === 'request' && l.transactionId === transactionId);
    expect(emuLine).toMatchObject({ trace_id: TRACE_ID, span_id: backend!.spanId });
  });

  it('over HTTP without traceparent in _meta, the W3C traceparent header is the parent (2025-11-25 client)', async () => {
    const traceId = 'a'.repeat(32);
    const client = new Client({ name: 'legacy', version: '1' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(server.url), {
        requestInit: { headers: { traceparent: `00-${traceId}-${'b'.repeat(16)}-01` } },
      }),
    );
    expect(client.getNegotiatedProtocolVersion()).toBe('2025-11-25');
    const missing = await client.callTool({
      name: 'lookup_subscriber',
      arguments: { msisdn: freshMsisdn() },
    });
    expect(missing.isError).toBe(true);
    await client.close();
    await tracing.forceFlush();
    const spans = await receiver.waitFor((s) => s.filter((x) => x.traceId === traceId).length >= 3);
    const tool = spans.find((s) => s.traceId === traceId && s.name === 'tools/call lookup_subscriber');
    expect(tool).toMatchObject({ kind: SERVER, parentSpanId: 'b'.repeat(16) });
    expect(tool!.attributes['error.type']).toBe('tool_error');
    const ocs = spans.find((s) => s.traceId === traceId && s.kind === CLIENT);
    expect(ocs).toMatchObject({
      name: 'GET /ocs/prov/v1/subscribers/lookup',
      parentSpanId: tool!.spanId,
      statusCode: 2,
      attributes: { 'http.response.status_code': 404, 'error.type': '404' },
    });
  });

  it('exports no secret and no subscriber data in span names', async () => {
    const client = new Client({ name: 'router', version: '1' }, { versionNegotiation: { mode: 'auto' } });
    await client.connect(new StreamableHTTPClientTransport(new URL(server.url)));
    const created = await ok(client, 'create_subscriber', { msisdn: freshMsisdn() });
    await ok(client, 'get_subscriber', { subscriberId: created.subscriber.subscriberId });
    await client.close();
    await tracing.forceFlush();
    const id = created.subscriber.subscriberId as string;
    const get = await receiver.waitFor((s) =>
      s.some((x) => x.name === 'GET /ocs/prov/v1/subscribers/{subscriberId}' && x.kind === CLIENT),
    );
    expect(get.filter((s) => s.name.includes(id))).toEqual([]);
    const raw = receiver.rawBodies().join('\n');
    expect(raw).not.toContain(config.confirmationSecret);
  });
});
