import { describe, expect, it } from 'vitest';
import { readTracingConfig, TelemetryConfigError } from '../src/index.js';

describe('readTracingConfig', () => {
  it('is off without an endpoint and names why', () => {
    expect(readTracingConfig('ocs-mcp-server', {})).toEqual({
      enabled: false,
      serviceName: 'ocs-mcp-server',
      reason: 'no OTEL_EXPORTER_OTLP_ENDPOINT',
    });
  });

  it('appends /v1/traces to the base endpoint, takes the traces endpoint as given, and reads headers', () => {
    const on = readTracingConfig('ocs-emulator', {
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/',
      OTEL_EXPORTER_OTLP_HEADERS: 'Authorization=Bearer%20abc,x-tenant=ocs',
    });
    expect(on).toMatchObject({
      enabled: true,
      tracesUrl: 'http://collector:4318/v1/traces',
      headers: { authorization: 'Bearer abc', 'x-tenant': 'ocs' },
      sampler: 'parentbased_always_on',
      samplerRatio: 1,
    });
    expect(
      readTracingConfig('x', {
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://ignored:4318',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/custom',
      }),
    ).toMatchObject({ tracesUrl: 'http://collector:4318/custom' });
  });

  it('fails fast on a bad sampler, ratio, endpoint or protocol, naming the variable and not echoing header values', () => {
    const base = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' };
    const cases: [Record<string, string>, string][] = [
      [{ ...base, OTEL_TRACES_SAMPLER: 'sometimes' }, 'OTEL_TRACES_SAMPLER'],
      [
        { ...base, OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '1.5' },
        'OTEL_TRACES_SAMPLER_ARG',
      ],
      [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318 nope' }, 'OTEL_EXPORTER_OTLP_ENDPOINT'],
      [{ ...base, OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }, 'OTEL_EXPORTER_OTLP_PROTOCOL'],
      [{ ...base, OTEL_EXPORTER_OTLP_HEADERS: 'secret-token-value' }, 'OTEL_EXPORTER_OTLP_HEADERS'],
    ];
    for (const [env, variable] of cases) {
      let error: unknown;
      try {
        readTracingConfig('x', env);
      } catch (e) {
        error = e;
      }
      expect(error, variable).toBeInstanceOf(TelemetryConfigError);
      expect((error as TelemetryConfigError).variable).toBe(variable);
      expect((error as Error).message).not.toContain('secret-token-value');
    }
  });
});
