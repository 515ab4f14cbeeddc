import { once } from 'node:events';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type {
  IAnyValue,
  IKeyValue,
} from '@opentelemetry/otlp-transformer/build/src/common/internal-types.js';
import type {
  IExportTraceServiceRequest,
  ISpan,
} from '@opentelemetry/otlp-transformer/build/src/trace/internal-types.js';

/** One span as the receiver got it, attributes decoded from OTLP's AnyValue. */
export interface ReceivedSpan {
  serviceName: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  /** OTLP's SpanKind: 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  kind: number;
  attributes: Record<string, unknown>;
  /** OTLP's status code: 0 unset, 1 ok, 2 error. */
  statusCode: number;
  startTimeUnixNano: string;
}

export interface OtlpReceiver {
  /** The base endpoint, for OTEL_EXPORTER_OTLP_ENDPOINT (the exporter appends /v1/traces). */
  endpoint: string;
  spans(): ReceivedSpan[];
  /** Every request body as received, for "no secret anywhere in the exported spans" checks. */
  rawBodies(): string[];
  /** Resolves once `until(spans)` holds; rejects after timeoutMs with what arrived. */
  waitFor(until: (spans: ReceivedSpan[]) => boolean, timeoutMs?: number): Promise<ReceivedSpan[]>;
  clear(): void;
  close(): Promise<void>;
}

function decode(value: IAnyValue | undefined): unknown {
  if (!value) return undefined;
  if (value.stringValue !== undefined && value.stringValue !== null) return value.stringValue;
  if (value.boolValue !== undefined && value.boolValue !== null) return value.boolValue;
  // OTLP/JSON may carry a 64-bit int as a string.
  if (value.intValue !== undefined && value.intValue !== null) return Number(value.intValue);
  if (value.doubleValue !== undefined && value.doubleValue !== null) return value.doubleValue;
  if (value.arrayValue) return (value.arrayValue.values ?? []).map(decode);
  if (value.kvlistValue) return attributes(value.kvlistValue.values ?? []);
  return undefined;
}

function attributes(list: IKeyValue[]): Record<string, unknown> {
  return Object.fromEntries(list.map((kv) => [kv.key, decode(kv.value)]));
}

const hex = (id: string | Uint8Array | undefined) =>
  id === undefined ? undefined : typeof id === 'string' ? id : Buffer.from(id).toString('hex');

async function body(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * A loopback OTLP/HTTP trace receiver: POST /v1/traces with the OTLP JSON encoding (what
 * @opentelemetry/exporter-trace-otlp-http sends), decoded with @opentelemetry/otlp-transformer's
 * types. A protobuf body is answered 415, so a test that configured it sees it fail, not pass empty.
 */
export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const received: ReceivedSpan[] = [];
  const raw: string[] = [];
  const server = createServer(async (request, response) => {
    if (request.method !== 'POST' || request.url !== '/v1/traces') {
      response.writeHead(404).end();
      return;
    }
    const data = await body(request);
    if (!String(request.headers['content-type']).startsWith('application/json')) {
      response.writeHead(415, { 'content-type': 'text/plain' }).end('this receiver takes OTLP/JSON only');
      return;
    }
    const text = data.toString('utf8');
    raw.push(text);
    const payload = JSON.parse(text) as IExportTraceServiceRequest;
    for (const resourceSpans of payload.resourceSpans ?? []) {
      const resource = attributes(resourceSpans.resource?.attributes ?? []);
      for (const scopeSpans of resourceSpans.scopeSpans) {
        for (const span of scopeSpans.spans ?? ([] as ISpan[])) {
          const parent = hex(span.parentSpanId);
          received.push({
            serviceName: String(resource['service.name']),
            traceId: hex(span.traceId)!,
            spanId: hex(span.spanId)!,
            ...(parent ? { parentSpanId: parent } : {}),
            name: span.name,
            kind: span.kind,
            attributes: attributes(span.attributes),
            statusCode: span.status?.code ?? 0,
            startTimeUnixNano: String(span.startTimeUnixNano),
          });
        }
      }
    }
    response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    spans: () => [...received],
    rawBodies: () => [...raw],
    waitFor: async (until, timeoutMs = 10_000) => {
      const deadline = Date.now() + timeoutMs;
      while (!until(received)) {
        if (Date.now() > deadline) {
          throw new Error(
            `OTLP receiver: condition not met in ${timeoutMs} ms; got ${received.map((s) => s.name).join(', ') || 'no spans'}`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      return [...received];
    },
    clear: () => {
      received.length = 0;
      raw.length = 0;
    },
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}
