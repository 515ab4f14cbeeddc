import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OtlpReceiver, startOtlpReceiver } from '../support/otlp-receiver.js';
import { buildPackages, REPO, spawnService } from '../support/router-under-test.js';

/**
 * Zero cost when off (issue #17 §1), checked on the built services as they start: each process is
 * run with a preloaded recorder (load-recorder/) that writes down every ES module it resolves and
 * every CommonJS module in its require cache at exit, with who required it. With tracing off,
 * nothing of OpenTelemetry may be among them: not the SDK, and not even the API.
 */
const RECORDER = fileURLToPath(new URL('./load-recorder/register.mjs', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'tracing-off-'));
const bin = (pkg: string) => join(REPO, 'packages', pkg, 'dist/bin.js');
let receiver: OtlpReceiver;
let runs = 0;

interface Loaded {
  /** Absolute file path of the module. */
  file: string;
  /** The files that imported (ES module) or required (CommonJS) it. */
  requiredBy: string[];
}

const path = (urlOrPath: string) => (urlOrPath.startsWith('file:') ? fileURLToPath(urlOrPath) : urlOrPath);

/** A fresh record file and the environment that makes a child process write it. */
function recorder(): { env: Record<string, string>; loaded: () => Loaded[] } {
  const file = join(dir, `loads-${++runs}.jsonl`);
  return {
    env: { NODE_OPTIONS: `--import=${RECORDER}`, LOAD_RECORD_FILE: file },
    loaded: () =>
      readFileSync(file, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map(
          (line) =>
            JSON.parse(line) as { esm?: string; parent?: string | null; cjs?: string; requiredBy?: string[] },
        )
        .map((r) => ({
          file: path(r.esm ?? r.cjs ?? ''),
          requiredBy: r.esm ? (r.parent ? [path(r.parent)] : []) : (r.requiredBy ?? []),
        })),
  };
}

const OPENTELEMETRY = /[\\/]node_modules[\\/]@opentelemetry[\\/]/;
const opentelemetry = (loaded: Loaded[]) => [
  ...new Set(loaded.filter((m) => OPENTELEMETRY.test(m.file)).map((m) => m.file)),
];
const packageOf = (file: string) => /node_modules[\\/](@opentelemetry[\\/][^\\/]+)/.exec(file)?.[1];

const tracingOn = () => ({
  OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
  OTEL_TRACES_SAMPLER: 'always_on',
});

/** Runs an ES module script with the recorder; resolves when it exits 0. */
async function runScript(script: string, env: Record<string, string>): Promise<void> {
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
    cwd: REPO,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => {
    output += String(chunk);
  });
  child.stderr.on('data', (chunk) => {
    output += String(chunk);
  });
  const [code] = await once(child, 'exit');
  expect(code, output).toBe(0);
}

/** Every helper of the entry, called as a service calls them: a span, inject, extract, log ids. */
const EXERCISE_TELEMETRY = `
  const t = await import(${JSON.stringify(join(REPO, 'packages/telemetry/dist/index.js'))});
  const tracing = await t.startTracing({ serviceName: 'probe' });
  const headers = {};
  await t.withSpan('probe', { kind: 'server', parent: { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' } }, async (span) => {
    span.setAttribute('probe', 1);
    t.injectTraceContext(headers);
    t.currentTraceIds();
  });
  t.extractTraceContext(headers);
  await tracing.shutdown();
`;

beforeAll(async () => {
  buildPackages(['contract', 'telemetry', 'emulator', 'mcp-server', 'router']);
  receiver = await startOtlpReceiver();
}, 180_000);

afterAll(async () => {
  await receiver?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('tracing off loads nothing of OpenTelemetry', () => {
  it('@ocsai/telemetry: every helper runs, and no @opentelemetry module is loaded; with an endpoint, the API and the SDK are', async () => {
    const off = recorder();
    await runScript(EXERCISE_TELEMETRY, off.env);
    expect(off.loaded().some((m) => m.file.endsWith(join('telemetry', 'dist', 'tracing.js')))).toBe(true);
    expect(opentelemetry(off.loaded())).toEqual([]);

    // The recorder sees OpenTelemetry when it is there: the same script with tracing on.
    const on = recorder();
    await runScript(EXERCISE_TELEMETRY, { ...on.env, ...tracingOn() });
    const packages = new Set(opentelemetry(on.loaded()).map(packageOf));
    expect(packages).toContain('@opentelemetry/api');
    expect(packages).toContain('@opentelemetry/sdk-trace-node');
  }, 60_000);

  it('the emulator starts and serves a request (through its tracing middleware) without any @opentelemetry module', async () => {
    const off = recorder();
    const emulator = await spawnService(
      bin('emulator'),
      [],
      { OCS_EMULATOR_PORT: '0', OCS_EMULATOR_DB: ':memory:', LOG_LEVEL: 'info', ...off.env },
      /"url":"(http:\/\/127\.0\.0\.1:\d+[^"]*)"/,
    );
    const served = await fetch(`${emulator.url}/subscribers`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ msisdn: '436605399111', languageId: 'en' }),
    });
    expect(served.status).toBe(201);
    emulator.child.kill('SIGTERM');
    expect(await emulator.exited).toBe(0);
    expect(off.loaded().length).toBeGreaterThan(50);
    expect(opentelemetry(off.loaded())).toEqual([]);
  }, 60_000);

  it('the MCP server over stdio answers initialize without any @opentelemetry module', async () => {
    const off = recorder();
    const child = spawn(process.execPath, [bin('mcp-server')], {
      cwd: REPO,
      env: {
        PATH: process.env.PATH ?? '',
        OCS_API_URL: 'http://127.0.0.1:9/ocs/prov/v1',
        LOG_LEVEL: 'silent',
        ...off.env,
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const exited = once(child, 'exit');
    let stdout = '';
    const answered = new Promise<void>((resolve) => {
      child.stdout.on('data', (chunk) => {
        stdout += String(chunk);
        if (stdout.includes('"serverInfo"')) resolve();
      });
    });
    child.stdin.write(
      `${JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: {
          protocolVersion: '2025-06-18',
          capabilities: {},
          clientInfo: { name: 'probe', version: '1' },
        },
      })}\n`,
    );
    await answered;
    child.stdin.end();
    await exited;
    expect(opentelemetry(off.loaded())).toEqual([]);
  }, 60_000);

  it('the router: no SDK, and the only OpenTelemetry module is the API that prom-client (its /metrics) requires itself', async () => {
    const off = recorder();
    const router = await spawnService(
      bin('router'),
      [],
      {
        LLM_PROVIDER: 'openai',
        OPENAI_API_KEY: 'sk-tracing-off-probe',
        ROUTER_STORE: 'memory',
        ROUTER_PORT: '0',
        LOG_LEVEL: 'info',
        ...off.env,
      },
      /"url":"(http:\/\/127\.0\.0\.1:\d+)"/,
    );
    expect((await fetch(`${router.url}/v1/models`)).status).toBeLessThan(500);
    // prom-client loads with the first measurement, in the background; /metrics waits for it, so the
    // modules are recorded before the router is stopped.
    const metrics = await fetch(`${router.url}/metrics`);
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain('router_http_requests_total');
    router.child.kill('SIGTERM');
    await router.exited;
    const loaded = off.loaded();
    const otel = loaded.filter((m) => OPENTELEMETRY.test(m.file));
    expect(new Set(otel.map((m) => packageOf(m.file)))).toEqual(new Set(['@opentelemetry/api']));
    // Whoever required an API module is prom-client or the API itself, never this project's code.
    for (const m of otel) {
      for (const by of m.requiredBy)
        expect(by).toMatch(/node_modules[\\/](prom-client|@opentelemetry[\\/]api)[\\/]/);
    }
    expect(otel.some((m) => m.requiredBy.some((by) => /prom-client/.test(by)))).toBe(true);
  }, 60_000);
});
