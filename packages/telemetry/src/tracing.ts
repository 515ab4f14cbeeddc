import {
  type Attributes,
  type Context,
  context,
  propagation,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import { readTracingConfig, type TracingConfig } from './config.js';

/**
 * Tracing for one process. Only @opentelemetry/api (a few kB of no-op defaults) is loaded at
 * start; the SDK and the OTLP exporter come in through sdk.ts when an endpoint is configured.
 * While no SDK is registered, every helper here returns at once without touching the API.
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

let active = false;

/** True while a tracer provider started by startTracing is registered. */
export function tracingActive(): boolean {
  return active;
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
  if (active) throw new Error('startTracing: tracing is already started in this process');
  const { registerSdk } = await import('./sdk.js');
  const sdk = registerSdk(config, options.serviceVersion);
  active = true;
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
        trace.disable();
        propagation.disable();
        context.disable();
        active = false;
      }
    },
  };
}

export type SpanKindName = 'internal' | 'server' | 'client' | 'producer' | 'consumer';

const KINDS: Record<SpanKindName, SpanKind> = {
  internal: SpanKind.INTERNAL,
  server: SpanKind.SERVER,
  client: SpanKind.CLIENT,
  producer: SpanKind.PRODUCER,
  consumer: SpanKind.CONSUMER,
};

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
const NOOP_SPAN = trace.wrapSpanContext({ traceId: '0'.repeat(32), spanId: '0'.repeat(16), traceFlags: 0 });

/**
 * Runs fn inside a new active span and ends it when fn returns or its promise settles. A throw or
 * a rejection marks the span ERROR with `error.type` (the error's name) and rethrows.
 */
export function withSpan<T>(name: string, options: SpanOptions, fn: (span: Span) => T): T {
  if (!active) return fn(NOOP_SPAN);
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
    span.setStatus({ code: SpanStatusCode.ERROR, message: err.message });
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
  if (active) propagation.inject(context.active(), carrier, setter);
  return carrier;
}

/** The context an incoming `traceparent` (HTTP header or MCP `_meta` key) describes. */
export function extractTraceContext(carrier: TraceCarrier): Context {
  if (!active) return ROOT_CONTEXT;
  return propagation.extract(ROOT_CONTEXT, carrier, getter);
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
  if (!active) return {};
  const span = trace.getActiveSpan();
  if (!span) return {};
  const { traceId, spanId } = span.spanContext();
  return { trace_id: traceId, span_id: spanId };
}
