/**
 * Reads the standard OpenTelemetry variables once. Tracing is off unless an OTLP endpoint is set,
 * so a service that nobody configured for tracing pays nothing: no SDK module is loaded.
 */
export type SamplerName =
  | 'always_on'
  | 'always_off'
  | 'traceidratio'
  | 'parentbased_always_on'
  | 'parentbased_always_off'
  | 'parentbased_traceidratio';

const SAMPLERS: readonly SamplerName[] = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
];

export interface TracingOn {
  enabled: true;
  serviceName: string;
  /** Full URL the spans are POSTed to (…/v1/traces). */
  tracesUrl: string;
  headers: Record<string, string>;
  sampler: SamplerName;
  /** Ratio for the *traceidratio samplers, 0…1. */
  samplerRatio: number;
}

export interface TracingOff {
  enabled: false;
  serviceName: string;
  reason: string;
}

export type TracingConfig = TracingOn | TracingOff;

/** A variable holds a value the SDK cannot use; names the variable, never echoes a header value. */
export class TelemetryConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
    this.name = 'TelemetryConfigError';
  }
}

type Env = Record<string, string | undefined>;

/** Blank means unset, as everywhere else in this project. */
function read(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

function url(variable: string, value: string): string {
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new TelemetryConfigError(variable, 'is not an absolute http(s) URL');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new TelemetryConfigError(variable, 'is not an absolute http(s) URL');
  }
  return parsed.toString();
}

/** `k1=v1,k2=v2`, values percent-decoded, as the OTLP exporter specification defines it. */
function headers(env: Env): Record<string, string> {
  const out: Record<string, string> = {};
  for (const variable of ['OTEL_EXPORTER_OTLP_HEADERS', 'OTEL_EXPORTER_OTLP_TRACES_HEADERS']) {
    const value = read(env, variable);
    if (!value) continue;
    for (const pair of value.split(',')) {
      const at = pair.indexOf('=');
      if (at <= 0) throw new TelemetryConfigError(variable, 'expects key=value pairs separated by commas');
      out[pair.slice(0, at).trim().toLowerCase()] = decodeURIComponent(pair.slice(at + 1).trim());
    }
  }
  return out;
}

export function readTracingConfig(defaultServiceName: string, env: Env): TracingConfig {
  const serviceName = read(env, 'OTEL_SERVICE_NAME') ?? defaultServiceName;
  if (read(env, 'OTEL_SDK_DISABLED')?.toLowerCase() === 'true') {
    return { enabled: false, serviceName, reason: 'OTEL_SDK_DISABLED=true' };
  }
  if (read(env, 'OTEL_TRACES_EXPORTER')?.toLowerCase() === 'none') {
    return { enabled: false, serviceName, reason: 'OTEL_TRACES_EXPORTER=none' };
  }
  const tracesEndpoint = read(env, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT');
  const endpoint = read(env, 'OTEL_EXPORTER_OTLP_ENDPOINT');
  if (!tracesEndpoint && !endpoint) {
    return { enabled: false, serviceName, reason: 'no OTEL_EXPORTER_OTLP_ENDPOINT' };
  }
  const protocol =
    read(env, 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL') ?? read(env, 'OTEL_EXPORTER_OTLP_PROTOCOL');
  if (protocol && protocol !== 'http/json' && protocol !== 'http/protobuf') {
    throw new TelemetryConfigError(
      'OTEL_EXPORTER_OTLP_PROTOCOL',
      'only OTLP over HTTP is supported (http/json)',
    );
  }
  // The signal-specific variable is used as given; the base one gets the signal path appended.
  const tracesUrl = tracesEndpoint
    ? url('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', tracesEndpoint)
    : `${url('OTEL_EXPORTER_OTLP_ENDPOINT', endpoint!).replace(/\/$/, '')}/v1/traces`;

  const samplerValue = read(env, 'OTEL_TRACES_SAMPLER')?.toLowerCase() ?? 'parentbased_always_on';
  if (!SAMPLERS.includes(samplerValue as SamplerName)) {
    throw new TelemetryConfigError('OTEL_TRACES_SAMPLER', `expects one of ${SAMPLERS.join(', ')}`);
  }
  const argValue = read(env, 'OTEL_TRACES_SAMPLER_ARG');
  const samplerRatio = argValue === undefined ? 1 : Number(argValue);
  if (!Number.isFinite(samplerRatio) || samplerRatio < 0 || samplerRatio > 1) {
    throw new TelemetryConfigError('OTEL_TRACES_SAMPLER_ARG', 'expects a number from 0 to 1');
  }
  return {
    enabled: true,
    serviceName,
    tracesUrl,
    headers: headers(env),
    sampler: samplerValue as SamplerName,
    samplerRatio,
  };
}

/** Message content goes on spans only when OTEL_GENAI_CAPTURE_CONTENT=true (off by default). */
export function captureContentEnabled(env: Env): boolean {
  return read(env, 'OTEL_GENAI_CAPTURE_CONTENT')?.toLowerCase() === 'true';
}
