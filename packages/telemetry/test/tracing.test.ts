import { createRequire } from 'node:module';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type OtlpReceiver, startOtlpReceiver } from '../../../test/support/otlp-receiver.js';
import {
  currentTraceIds,
  executeToolAttributes,
  executeToolSpanName,
  GEN_AI,
  inferenceAttributes,
  inferenceSpanName,
  injectTraceContext,
  startTracing,
  type Tracing,
  withSpan,
} from '../src/index.js';

const loaded = (pattern: RegExp) =>
  Object.keys(createRequire(import.meta.url).cache).some((k) => pattern.test(k));
const SDK = /@opentelemetry[\\/](sdk-trace|exporter-trace-otlp-http|resources|otlp-|context-async-hooks)/;

let receiver: OtlpReceiver;
let tracing: Tracing | undefined;

beforeAll(async () => {
  receiver = await startOtlpReceiver();
});
afterEach(async () => {
  await tracing?.shutdown();
  tracing = undefined;
  receiver.clear();
});
afterAll(async () => {
  await receiver.close();
});

const start = (env: Record<string, string> = {}) =>
  startTracing({
    serviceName: 'ocs-router',
    env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint, ...env },
  });

describe('startTracing with OTEL_EXPORTER_OTLP_ENDPOINT', () => {
  it('loads the SDK lazily and exports spans over OTLP/HTTP with parent, child and GenAI attributes', async () => {
    tracing = await start();
    expect(tracing.enabled).toBe(true);
    expect(loaded(SDK)).toBe(true);

    await withSpan('POST /ask', { kind: 'server' }, async () => {
      const call = { provider: 'azure', requestModel: 'gpt-4o', responseModel: 'gpt-4o-2024-08-06' };
      await withSpan(
        inferenceSpanName(call),
        {
          kind: 'client',
          attributes: inferenceAttributes({
            ...call,
            inputTokens: 12,
            outputTokens: 34,
            finishReasons: ['stop'],
          }),
        },
        async () => {},
      );
      withSpan(
        executeToolSpanName('get_balance'),
        { attributes: executeToolAttributes({ toolName: 'get_balance', callId: 'call_1' }) },
        () => {},
      );
    });
    await tracing.shutdown();

    const spans = receiver.spans();
    expect(spans.map((s) => s.name).sort()).toEqual(['POST /ask', 'chat gpt-4o', 'execute_tool get_balance']);
    const root = spans.find((s) => s.name === 'POST /ask')!;
    const chat = spans.find((s) => s.name === 'chat gpt-4o')!;
    const tool = spans.find((s) => s.name === 'execute_tool get_balance')!;
    expect(root.parentSpanId).toBeUndefined();
    expect(root.kind).toBe(2);
    expect(root.serviceName).toBe('ocs-router');
    for (const child of [chat, tool]) {
      expect(child.traceId).toBe(root.traceId);
      expect(child.parentSpanId).toBe(root.spanId);
    }
    expect(chat.kind).toBe(3);
    expect(chat.attributes).toEqual({
      [GEN_AI.OPERATION_NAME]: 'chat',
      [GEN_AI.PROVIDER_NAME]: 'azure.ai.openai',
      [GEN_AI.REQUEST_MODEL]: 'gpt-4o',
      [GEN_AI.RESPONSE_MODEL]: 'gpt-4o-2024-08-06',
      [GEN_AI.USAGE_INPUT_TOKENS]: 12,
      [GEN_AI.USAGE_OUTPUT_TOKENS]: 34,
      [GEN_AI.RESPONSE_FINISH_REASONS]: ['stop'],
    });
    expect(tool.attributes).toEqual({
      'gen_ai.operation.name': 'execute_tool',
      'gen_ai.tool.name': 'get_balance',
      'gen_ai.tool.call.id': 'call_1',
      'gen_ai.tool.type': 'function',
    });
  });

  it('OTEL_SERVICE_NAME wins over the service default; the traces endpoint is used as given', async () => {
    tracing = await startTracing({
      serviceName: 'ocs-router',
      env: {
        OTEL_SERVICE_NAME: 'router-eu-1',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${receiver.endpoint}/v1/traces`,
      },
    });
    withSpan('one', {}, () => {});
    await tracing.shutdown();
    expect(receiver.spans().map((s) => s.serviceName)).toEqual(['router-eu-1']);
  });

  it('a thrown error marks the span ERROR with error.type and is rethrown', async () => {
    tracing = await start();
    await expect(
      withSpan('chat gpt-4o', { kind: 'client' }, async () => {
        throw new TypeError('upstream said no');
      }),
    ).rejects.toThrow('upstream said no');
    expect(() =>
      withSpan('sync', {}, () => {
        throw new RangeError('bad');
      }),
    ).toThrow('bad');
    await tracing.shutdown();
    const byName = Object.fromEntries(receiver.spans().map((s) => [s.name, s]));
    expect(byName['chat gpt-4o']).toMatchObject({ statusCode: 2, attributes: { 'error.type': 'TypeError' } });
    expect(byName.sync).toMatchObject({ statusCode: 2, attributes: { 'error.type': 'RangeError' } });
  });

  it('currentTraceIds gives the active span ids for log lines, and nothing outside a span', async () => {
    tracing = await start();
    expect(currentTraceIds()).toEqual({});
    const ids = withSpan('log', {}, (span) => ({ inside: currentTraceIds(), span: span.spanContext() }));
    expect(ids.inside).toEqual({ trace_id: ids.span.traceId, span_id: ids.span.spanId });
    expect(ids.inside.trace_id).toMatch(/^[0-9a-f]{32}$/);
  });
});

describe('propagation', () => {
  it('round trip through HTTP headers: the server span continues the client span', async () => {
    tracing = await start();
    const headers = new Headers({ 'content-type': 'application/json' });
    withSpan('GET /subscribers', { kind: 'client' }, () => injectTraceContext(headers));
    expect(headers.get('traceparent')).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    // The receiving side sees Node's lower-cased incoming headers object.
    const incoming = Object.fromEntries(headers.entries());
    withSpan('GET /subscribers/{msisdn}', { kind: 'server', parent: incoming }, () => {});
    await tracing.shutdown();
    const [client, server] = ['GET /subscribers', 'GET /subscribers/{msisdn}'].map(
      (name) => receiver.spans().find((s) => s.name === name)!,
    );
    expect(server!.traceId).toBe(client!.traceId);
    expect(server!.parentSpanId).toBe(client!.spanId);
    expect(headers.get('traceparent')).toBe(`00-${client!.traceId}-${client!.spanId}-01`);
  });

  it("round trip through an MCP request's _meta, keeping the keys already there", async () => {
    tracing = await start();
    const meta: Record<string, unknown> = { 'io.modelcontextprotocol/protocolVersion': '2026-07-28' };
    withSpan('tools/call get_balance', { kind: 'client' }, () => injectTraceContext(meta));
    expect(Object.keys(meta).sort()).toEqual(['io.modelcontextprotocol/protocolVersion', 'traceparent']);
    const request = JSON.parse(
      JSON.stringify({ method: 'tools/call', params: { name: 'get_balance', _meta: meta } }),
    );
    withSpan('tools/call get_balance', { kind: 'server', parent: request.params._meta }, () => {});
    await tracing.shutdown();
    const [client, server] = [3, 2].map((kind) => receiver.spans().find((s) => s.kind === kind)!);
    expect(server!.traceId).toBe(client!.traceId);
    expect(server!.parentSpanId).toBe(client!.spanId);
  });

  it('tracestate travels with traceparent', async () => {
    tracing = await start();
    const incoming = {
      traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
      tracestate: 'rojo=00f067aa0ba902b7',
    };
    const out: Record<string, unknown> = {};
    withSpan('hop', { kind: 'server', parent: incoming }, () => injectTraceContext(out));
    expect(out.tracestate).toBe('rojo=00f067aa0ba902b7');
    expect(String(out.traceparent)).toMatch(/^00-4bf92f3577b34da6a3ce929d0e0e4736-/);
  });
});

describe('OTEL_TRACES_SAMPLER', () => {
  it('always_off records nothing and propagates an unsampled traceparent', async () => {
    tracing = await start({ OTEL_TRACES_SAMPLER: 'always_off' });
    const headers: Record<string, unknown> = {};
    withSpan('dropped', {}, () => injectTraceContext(headers));
    await tracing.shutdown();
    expect(receiver.spans()).toEqual([]);
    expect(String(headers.traceparent)).toMatch(/-00$/);
  });

  it('traceidratio with OTEL_TRACES_SAMPLER_ARG=0 drops roots; parentbased follows a sampled parent', async () => {
    tracing = await start({ OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0' });
    withSpan('root', {}, () => {});
    const sampledParent = { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' };
    withSpan('continued', { kind: 'server', parent: sampledParent }, () => {});
    await tracing.shutdown();
    expect(receiver.spans().map((s) => s.name)).toEqual(['continued']);
  });

  it.each([
    ['always_on', ''],
    ['traceidratio', '1'],
    ['parentbased_always_off', ''],
  ])('%s (arg %s) as the conventions define it', async (sampler, arg) => {
    tracing = await start({ OTEL_TRACES_SAMPLER: sampler, ...(arg ? { OTEL_TRACES_SAMPLER_ARG: arg } : {}) });
    withSpan('root', {}, () => {});
    await tracing.shutdown();
    expect(receiver.spans()).toHaveLength(sampler === 'parentbased_always_off' ? 0 : 1);
  });

  it('the default (parentbased_always_on) samples every root', async () => {
    tracing = await start();
    for (let i = 0; i < 5; i++) withSpan(`root ${i}`, {}, () => {});
    await tracing.shutdown();
    expect(receiver.spans()).toHaveLength(5);
  });
});
