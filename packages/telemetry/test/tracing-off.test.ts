import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { startOtlpReceiver } from '../../../test/support/otlp-receiver.js';
import {
  currentTraceIds,
  extractTraceContext,
  injectTraceContext,
  startTracing,
  tracingActive,
  withSpan,
} from '../src/index.js';

// Every test file runs in its own process (vitest pool: forks), so this file's module cache is
// what this file loaded. The SDK packages are CommonJS, so a load shows in require.cache.
const opentelemetryModules = () =>
  Object.keys(createRequire(import.meta.url).cache).filter((k) => /[\\/]@opentelemetry[\\/]/.test(k));
const SDK =
  /@opentelemetry[\\/](sdk-trace|exporter-trace-otlp-http|resources|otlp-|context-async-hooks|core)[\\/]/;

describe('tracing off (the default)', () => {
  it('without an endpoint, or with OTEL_SDK_DISABLED=true, nothing of OpenTelemetry is loaded and every helper is a no-op', async () => {
    for (const env of [
      {},
      { OTEL_EXPORTER_OTLP_ENDPOINT: '   ' },
      { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:1', OTEL_SDK_DISABLED: 'true' },
      { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:1', OTEL_TRACES_EXPORTER: 'none' },
    ]) {
      const tracing = await startTracing({ serviceName: 'ocs-router', env });
      expect(tracing.enabled, JSON.stringify(env)).toBe(false);
      expect(tracingActive()).toBe(false);
      const headers: Record<string, unknown> = {};
      const result = await withSpan('POST /ask', { kind: 'server' }, async (span) => {
        span.setAttribute('gen_ai.request.model', 'gpt-4o');
        injectTraceContext(headers);
        return currentTraceIds();
      });
      expect(result).toEqual({});
      expect(headers).toEqual({});
      extractTraceContext({ traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' });
      await tracing.shutdown();
    }
    // Nothing of OpenTelemetry is loaded: not the SDK, exporter or resources, and not the API.
    expect(opentelemetryModules()).toEqual([]);

    // The check itself works: starting tracing for real loads the SDK into this same cache.
    const receiver = await startOtlpReceiver();
    const on = await startTracing({
      serviceName: 'ocs-router',
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint },
    });
    expect(on.enabled).toBe(true);
    expect(opentelemetryModules().some((k) => SDK.test(k))).toBe(true);
    expect(opentelemetryModules().some((k) => /[\\/]@opentelemetry[\\/]api[\\/]/.test(k))).toBe(true);
    await on.shutdown();
    await receiver.close();
  });
});
