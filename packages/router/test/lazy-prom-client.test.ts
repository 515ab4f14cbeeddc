import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RouterMetrics } from '../src/metrics.js';
import {
  buildPackages,
  MODULE_PROBE,
  probeReport,
  type SpawnedService,
  spawnProbedRouter,
} from './resilience/spawned-service.js';

// The built bin, as production starts it: build once.
beforeAll(() => {
  buildPackages(['contract', 'telemetry', 'router']);
}, 120_000);

const running: SpawnedService[] = [];
afterAll(() => {
  for (const service of running) if (service.child.exitCode === null) service.child.kill('SIGKILL');
});

/** The packages named on the probe's first `label=[…]` line from `from` on, waiting for it. */
const probeLine = async (service: SpawnedService, label: string, from = 0): Promise<string[]> =>
  JSON.parse(await probeReport(service, new RegExp(`${label}=(\\[.*\\])`), from)) as string[];

/** What the spawned router had loaded when it started listening (the probe's report). */
const atListening = (service: SpawnedService) => probeLine(service, 'modules-at-listening');

/** What it has loaded by now. */
async function loadedNow(service: SpawnedService): Promise<string[]> {
  const from = service.output().length;
  service.child.kill('SIGUSR2');
  return probeLine(service, 'modules-loaded', from);
}

async function startRouter(): Promise<SpawnedService> {
  const service = await spawnProbedRouter(MODULE_PROBE, { MCP_CONFIG: 'none' });
  running.push(service);
  return service;
}

const healthCount = /^router_http_requests_total\{route="\/health",method="GET",status="200"\} (\d+)$/m;

describe('prom-client loads after the router has answered', () => {
  it('the router listens without prom-client or @opentelemetry/api; /metrics then counts what it served', async () => {
    const router = await startRouter();
    const before = await atListening(router);
    // The probe saw the process's packages at that moment: the router's own stack is there.
    expect(before).toEqual(expect.arrayContaining(['hono', 'pino', 'zod']));
    expect(before).not.toContain('prom-client');
    expect(before).not.toContain('@opentelemetry/api');

    for (let i = 0; i < 3; i += 1) expect((await fetch(`${router.url}/health`)).status).toBe(200);
    const metrics = await fetch(`${router.url}/metrics`);
    expect(metrics.status).toBe(200);
    const text = await metrics.text();
    expect(Number(healthCount.exec(text)?.[1])).toBe(3);
    expect(text).toContain('# TYPE process_cpu_user_seconds_total counter');
    // Loaded by now, which shows the probe sees it when it is there.
    expect(await loadedNow(router)).toEqual(expect.arrayContaining(['prom-client', '@opentelemetry/api']));
  }, 60_000);
});

describe('RouterMetrics before its load', () => {
  it('keeps every measurement taken before prom-client is loaded, and counts it once', async () => {
    const metrics = new RouterMetrics();
    metrics.request('/v1/chat/completions', 'POST', '200', 0.02);
    metrics.request('/v1/chat/completions', 'POST', '200', 0.03);
    metrics.upstream('openai', 0.015);
    metrics.overhead('/v1/chat/completions', 0.0004);
    metrics.genAi.record({
      provider: 'openai',
      requestModel: 'gpt-4o-mini',
      durationSeconds: 0.015,
      inputTokens: 7,
      outputTokens: 2,
    });
    const { body } = await metrics.exposition();
    expect(body).toContain(
      'router_http_requests_total{route="/v1/chat/completions",method="POST",status="200"} 2',
    );
    expect(body).toContain(
      'router_http_request_duration_seconds_count{route="/v1/chat/completions",method="POST",status="200"} 2',
    );
    expect(body).toContain('router_upstream_latency_seconds_count{provider="openai"} 1');
    expect(body).toContain('router_overhead_seconds_count{route="/v1/chat/completions"} 1');
    expect(body).toContain(
      'gen_ai_client_token_usage_sum{gen_ai_operation_name="chat",gen_ai_provider_name="openai",gen_ai_request_model="gpt-4o-mini",gen_ai_token_type="input"} 7',
    );
    // After the load, a measurement is recorded at once, and nothing queued earlier is counted twice.
    metrics.request('/v1/chat/completions', 'POST', '200', 0.01);
    expect((await metrics.exposition()).body).toContain(
      'router_http_requests_total{route="/v1/chat/completions",method="POST",status="200"} 3',
    );
  });
});
