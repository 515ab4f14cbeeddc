import type { Attributes, Context, Span, SpanKind } from '@opentelemetry/api';
import { readTracingConfig, type TracingConfig } from './config.js';

/**
 * Tracing for one process. Nothing of OpenTelemetry is loaded at start, not even the API: with
 * tracing off this module is all a service loads, and every helper returns at once. startTracing
 * imports @opentelemetry/api and the SDK (sdk.ts) only when an OTLP endpoint is configured, and
 * keeps the API in `otel` while its provider is registered.
 */
export interface Tracing {
  readonly enabled: boolean;
  readonly serviceName: string;
  /** Exports the spans still buffered. */
  forceFlush(): Promise<void>;
  /** Flushes, then unregisters the global provider (a later startTracing may register again). */
  shutdown(): Promise<void>;
}

export interface StartTracingOptions {
  /** service.name unless OTEL_SERVICE_NAME is set. */
  serviceName: string;
  serviceVersion?: string;
  /** Where the OTEL_* variables are read; process.env when absent. */
  env?: Record<string, string | undefined>;
}

type OpenTelemetryApi = typeof import('@opentelemetry/api');

/** The API while a provider started by startTracing is registered; null while tracing is off. */
let otel: OpenTelemetryApi | null = null;

/** True while a tracer provider started by startTracing is registered. */
export function tracingActive(): boolean {
  return otel !== null;
}

export async function startTracing(options: StartTracingOptions): Promise<Tracing> {
  const config: TracingConfig = readTracingConfig(options.serviceName, options.env ?? process.env);
  if (!config.enabled) {
    return {
      enabled: false,
      serviceName: config.serviceName,
      forceFlush: async () => {},
      shutdown: async () => {},
    };
  }
  if (otel) throw new Error('startTracing: tracing is already started in this process');
  const [api, { registerSdk }] = await Promise.all([import('@opentelemetry/api'), import('./sdk.js')]);
  const sdk = registerSdk(config, options.serviceVersion);
  otel = api;
  let stopped = false;
  return {
    enabled: true,
    serviceName: config.serviceName,
    forceFlush: () => sdk.forceFlush(),
    shutdown: async () => {
      if (stopped) return;
      stopped = true;
      try {
        await sdk.shutdown();
      } finally {
        api.trace.disable();
        api.propagation.disable();
        api.context.disable();
        otel = null;
      }
    },
  };
}

export type SpanKindName = 'internal' | 'server' | 'client' | 'producer' | 'consumer';

/** SpanKind's values, which a type-only import cannot name at run time. */
const KINDS: Record<SpanKindName, SpanKind> = {
  internal: 0,
  server: 1,
  client: 2,
  producer: 3,
  consumer: 4,
};
/** SpanStatusCode.ERROR. */
const STATUS_ERROR = 2;

/** HTTP headers (a Headers, a plain or Node incoming-headers object) or an MCP request's `_meta`. */
export type TraceCarrier = Headers | Record<string, unknown>;

export interface SpanOptions {
  kind?: SpanKindName;
  attributes?: Attributes;
  /**
   * The remote parent: the incoming request's headers or `_meta`. Without it the span is a child of
   * the active span (or a root).
   */
  parent?: TraceCarrier;
  /** When the span began (ms since epoch), for a span recorded after the fact (a confirmation wait). */
  startTime?: number;
}

const TRACER = '@ocsai/telemetry';

/** What fn gets while tracing is off: the API's non-recording span, written out here. */
const NOOP_SPAN: Span = {
  spanContext: () => ({ traceId: '0'.repeat(32), spanId: '0'.repeat(16), traceFlags: 0 }),
  setAttribute: () => NOOP_SPAN,
  setAttributes: () => NOOP_SPAN,
  addEvent: () => NOOP_SPAN,
  addLink: () => NOOP_SPAN,
  addLinks: () => NOOP_SPAN,
  setStatus: () => NOOP_SPAN,
  updateName: () => NOOP_SPAN,
  end: () => {},
  isRecording: () => false,
  recordException: () => {},
};

/** The API's ROOT_CONTEXT while tracing is off: empty, and setting a value leaves it so. */
const EMPTY_CONTEXT: Context = {
  getValue: () => undefined,
  setValue: () => EMPTY_CONTEXT,
  deleteValue: () => EMPTY_CONTEXT,
};

/**
 * Runs fn inside a new active span and ends it when fn returns or its promise settles. A throw or
 * a rejection marks the span ERROR with `error.type` (the error's name) and rethrows.
 */
export function withSpan<T>(name: string, options: SpanOptions, fn: (span: Span) => T): T {
  if (!otel) return fn(NOOP_SPAN);
  const { context, trace } = otel;
  const parent = options.parent ? extractTraceContext(options.parent) : context.active();
  const span = trace.getTracer(TRACER).startSpan(
    name,
    {
      kind: KINDS[options.kind ?? 'internal'],
      attributes: options.attributes,
      ...(options.startTime !== undefined ? { startTime: options.startTime } : {}),
    },
    parent,
  );
  const fail = (error: unknown) => {
    const err = error instanceof Error ? error : new Error(String(error));
    span.recordException(err);
    span.setAttribute('error.type', err.name);
    span.setStatus({ code: STATUS_ERROR, message: err.message });
    span.end();
  };
  let result: T;
  try {
    result = context.with(trace.setSpan(parent, span), fn, undefined, span);
  } catch (error) {
    fail(error);
    throw error;
  }
  if (result instanceof Promise) {
    return result.then(
      (value) => {
        span.end();
        return value;
      },
      (error: unknown) => {
        fail(error);
        throw error;
      },
    ) as T;
  }
  span.end();
  return result;
}

function getHeader(carrier: TraceCarrier, key: string): string | undefined {
  if (carrier instanceof Headers) return carrier.get(key) ?? undefined;
  const value = carrier[key];
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && typeof value[0] === 'string') return value[0];
  return undefined;
}

const getter = {
  keys: (carrier: TraceCarrier) => (carrier instanceof Headers ? [...carrier.keys()] : Object.keys(carrier)),
  get: getHeader,
};

const setter = {
  set: (carrier: TraceCarrier, key: string, value: string) => {
    if (carrier instanceof Headers) carrier.set(key, value);
    else carrier[key] = value;
  },
};

/**
 * Writes `traceparent` (and `tracestate`) of the active span into carrier and returns it: outgoing
 * HTTP headers, or the `_meta` of an MCP request (the MCP spec 2026-07-28 and the OpenTelemetry MCP
 * conventions put both keys at the root of `params._meta`). Writes nothing while tracing is off.
 */
export function injectTraceContext<C extends TraceCarrier>(carrier: C): C {
  if (otel) otel.propagation.inject(otel.context.active(), carrier, setter);
  return carrier;
}

/** The context an incoming `traceparent` (HTTP header or MCP `_meta` key) describes. */
export function extractTraceContext(carrier: TraceCarrier): Context {
  if (!otel) return EMPTY_CONTEXT;
  return otel.propagation.extract(otel.ROOT_CONTEXT, carrier, getter);
}

export interface TraceIds {
  trace_id?: string;
  span_id?: string;
}

/**
 * The active span's ids, named for log lines: pass it as pino's `mixin` and every JSON log line
 * written inside a span carries `trace_id` and `span_id`, so logs and traces join. Always a fresh
 * object: pino's default mixinMergeStrategy assigns the line's own fields onto it.
 */
export function currentTraceIds(): TraceIds {
  if (!otel) return {};
  const span = otel.trace.getActiveSpan();
  if (!span) return {};
  const { traceId, spanId } = span.spanContext();
  return { trace_id: traceId, span_id: spanId };
}
