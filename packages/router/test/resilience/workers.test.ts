import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningRedis, startRedis } from '../../../../test/support/redis.js';
import { auditFileForProcess } from '../../src/cluster-env.js';
import { loadRouterConfig } from '../../src/config.js';
import { startRouter } from '../../src/index.js';
import { type FakeServer, providerEnvFor, startFakeOpenAI } from '../fakes/index.js';
import {
  buildPackages,
  REPO,
  refusesConnections,
  type SpawnedService,
  spawnService,
} from './spawned-service.js';

// ROUTER_WORKERS runs the built bin as production does: build once.
beforeAll(() => {
  buildPackages(['contract', 'router']);
}, 120_000);

const bin = join(REPO, 'packages/router/dist/bin.js');
const spawned: SpawnedService[] = [];
let fake: FakeServer;
let dir: string;
beforeAll(async () => {
  fake = await startFakeOpenAI();
  dir = mkdtempSync(join(tmpdir(), 'router-workers-'));
});
afterAll(async () => {
  for (const service of spawned) if (service.child.exitCode === null) service.child.kill('SIGKILL');
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});

/** One request on a fresh connection, so the cluster hands each request to the next worker. */
function getFresh(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const headers = { connection: 'close', ...options.headers };
    const req = request(url, { agent: false, method: options.method ?? 'GET', headers }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => {
        body += chunk.toString('utf8');
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** JSON log lines of the whole cluster (primary and workers share stdout). */
function logLines(service: SpawnedService): Array<Record<string, unknown>> {
  return service
    .output()
    .split('\n')
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as Record<string, unknown>];
      } catch {
        return [];
      }
    });
}

const pidsThatLogged = (service: SpawnedService, msg: string, path?: string) =>
  new Set(
    logLines(service)
      .filter((l) => l.msg === msg && (path === undefined || l.path === path))
      .map((l) => l.pid),
  );

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('ROUTER_WORKERS (node:cluster)', () => {
  it('refuses a worker count the store or the rate limits cannot share', () => {
    expect(() => loadRouterConfig({ ROUTER_WORKERS: '2', ROUTER_STORE: 'memory' })).toThrow(/ROUTER_WORKERS/);
    expect(() => loadRouterConfig({ ROUTER_WORKERS: '2', ROUTER_RATE_LIMIT_RPM: '60' })).toThrow(
      /needs REDIS_URL[^\n]*\n\s*→ at ROUTER_WORKERS/,
    );
    expect(() => loadRouterConfig({ ROUTER_WORKERS: 'many' })).toThrow(/ROUTER_WORKERS/);
    expect(loadRouterConfig({ ROUTER_WORKERS: '2' }).ROUTER_WORKERS).toBe(2);
    expect(loadRouterConfig({ ROUTER_WORKERS: 'auto' }).ROUTER_WORKERS).toBe('auto');
    expect(loadRouterConfig({}).ROUTER_WORKERS).toBe(1);
  });

  it("refuses a keys file's own rate_limits without Redis, as it refuses ROUTER_RATE_LIMIT_*", async () => {
    const keysFile = join(dir, 'keys.json');
    writeFileSync(
      keysFile,
      JSON.stringify({
        principals: [{ id: 'ops', key_sha256: ['a'.repeat(64)], roles: [], rate_limits: { rpm: 10 } }],
      }),
    );
    await expect(
      startRouter({
        env: { ROUTER_WORKERS: '2', ROUTER_KEYS_FILE: keysFile, ROUTER_PORT: '0' },
        logger: false,
      }),
    ).rejects.toThrow(/ROUTER_WORKERS.*rate_limits.*REDIS_URL/);
  });

  it('gives each worker its own audit file, since a hash chain has one writer', () => {
    expect(auditFileForProcess('/var/log/audit.jsonl', undefined)).toBe('/var/log/audit.jsonl');
    expect(auditFileForProcess('/var/log/audit.jsonl', '2')).toBe('/var/log/audit.worker-2.jsonl');
    expect(auditFileForProcess('/var/log.d/audit', '1')).toBe('/var/log.d/audit.worker-1');
  });

  it('serves from 2 workers on one SQLite store, aggregates /metrics, and drains both on SIGTERM', async () => {
    const service = await spawnService(
      bin,
      [],
      {
        ...providerEnvFor('openai', fake),
        LLM_PROVIDER: 'openai',
        ROUTER_WORKERS: '2',
        ROUTER_STORE: 'sqlite',
        ROUTER_DB: join(dir, 'router.sqlite'),
        ROUTER_AUDIT_FILE: join(dir, 'audit.jsonl'),
        ROUTER_PORT: '0',
        LOG_LEVEL: 'info',
      },
      /"url":"(http:\/\/127\.0\.0\.1:\d+)"/,
    );
    spawned.push(service);
    const primaryPid = service.child.pid ?? -1;
    await expect.poll(() => pidsThatLogged(service, 'router listening').size, { timeout: 15_000 }).toBe(2);
    const workerPids = [...pidsThatLogged(service, 'router listening')] as number[];
    expect(workerPids).not.toContain(primaryPid);
    // One audit chain per worker, never two writers on one file.
    expect(existsSync(join(dir, 'audit.worker-1.jsonl'))).toBe(true);
    expect(existsSync(join(dir, 'audit.worker-2.jsonl'))).toBe(true);
    expect(existsSync(join(dir, 'audit.jsonl'))).toBe(false);

    // Both workers answer: every request on a new connection goes to the next worker in turn.
    const hits = 40;
    for (let i = 0; i < hits; i += 1) expect((await getFresh(`${service.url}/health`)).status).toBe(200);
    await expect.poll(() => pidsThatLogged(service, 'request', '/health').size, { timeout: 10_000 }).toBe(2);

    // Whichever worker answers /metrics, it reports the sum over both workers.
    const healthCount = /^router_http_requests_total\{route="\/health",method="GET",status="200"\} (\d+)$/m;
    for (let i = 0; i < 4; i += 1) {
      const metrics = await getFresh(`${service.url}/metrics`);
      expect(metrics.status).toBe(200);
      expect(Number(healthCount.exec(metrics.body)?.[1])).toBe(hits);
    }

    // A slow /ask is in flight on one worker when SIGTERM reaches the primary: it completes, the
    // port closes, and the primary exits 0 after both workers are gone.
    fake.setScript([{ text: 'drained', delayMs: 1500 }]);
    const before = fake.requests.length;
    const ask = fetch(`${service.url}/ask`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ message: 'hi' }),
    }).then(async (res) => ({ status: res.status, body: (await res.json()) as { content?: string } }));
    await expect.poll(() => fake.requests.length, { timeout: 10_000 }).toBe(before + 1);
    service.child.kill('SIGTERM');
    await expect.poll(() => refusesConnections(service.url), { timeout: 5000, interval: 20 }).toBe(true);
    const answer = await ask;
    expect(answer.status).toBe(200);
    expect(answer.body.content).toBe('drained');
    expect(await service.exited).toBe(0);
    for (const pid of workerPids) expect(pidAlive(pid)).toBe(false);
  }, 60_000);

  it('counts in the aggregated /metrics the requests workers serve right after they listen, before prom-client is loaded', async () => {
    const probe = pathToFileURL(join(REPO, 'test/support/module-probe.mjs')).href;
    const service = await spawnService(
      bin,
      [],
      {
        ...providerEnvFor('openai', fake),
        NODE_OPTIONS: `--import=${probe}`,
        LLM_PROVIDER: 'openai',
        ROUTER_WORKERS: '2',
        ROUTER_STORE: 'sqlite',
        ROUTER_DB: join(dir, 'early.sqlite'),
        ROUTER_PORT: '0',
        LOG_LEVEL: 'info',
      },
      /"url":"(http:\/\/127\.0\.0\.1:\d+)"/,
    );
    spawned.push(service);
    // At once: the first request a worker answers is measured before its prom-client is loaded (that
    // measurement starts the load), and the next ones while it loads (if the other worker has not
    // listened yet, the first gets them all).
    const early = 6;
    for (let i = 0; i < early; i += 1) expect((await getFresh(`${service.url}/health`)).status).toBe(200);
    await expect.poll(() => pidsThatLogged(service, 'router listening').size, { timeout: 15_000 }).toBe(2);
    // No worker had loaded prom-client (or the @opentelemetry/api it requires) when it listened, nor
    // had the primary when it opened the shared port (node:cluster listens there for the workers).
    const atListening = [...service.output().matchAll(/modules-at-listening=(\[.*\])/g)].map(
      (m) => JSON.parse(m[1] ?? '[]') as string[],
    );
    expect(atListening).toHaveLength(3);
    for (const packages of atListening) {
      expect(packages).toContain('hono');
      expect(packages).not.toContain('prom-client');
      expect(packages).not.toContain('@opentelemetry/api');
    }
    const healthCount = /^router_http_requests_total\{route="\/health",method="GET",status="200"\} (\d+)$/m;
    for (let i = 0; i < 4; i += 1) {
      const metrics = await getFresh(`${service.url}/metrics`);
      expect(metrics.status).toBe(200);
      expect(Number(healthCount.exec(metrics.body)?.[1])).toBe(early);
    }
    service.child.kill('SIGTERM');
    expect(await service.exited).toBe(0);
  }, 60_000);

  it('shares contexts and rate limits across 2 workers through Redis', async () => {
    let redis: RunningRedis | undefined;
    try {
      redis = await startRedis();
      const key = 'workers-test-key-0123456789';
      const service = await spawnService(
        bin,
        [],
        {
          ...providerEnvFor('openai', fake),
          LLM_PROVIDER: 'openai',
          ROUTER_WORKERS: '2',
          ROUTER_STORE: 'redis',
          REDIS_URL: redis.url,
          ROUTER_API_KEYS: key,
          ROUTER_RATE_LIMIT_RPM: '6',
          ROUTER_PORT: '0',
          LOG_LEVEL: 'info',
        },
        /"url":"(http:\/\/127\.0\.0\.1:\d+)"/,
      );
      spawned.push(service);
      await expect.poll(() => pidsThatLogged(service, 'router listening').size, { timeout: 15_000 }).toBe(2);
      // Fixed one-minute windows: stay clear of a minute boundary so all requests count in one window.
      const remaining = 60_000 - (Date.now() % 60_000);
      if (remaining < 5000) await new Promise((resolve) => setTimeout(resolve, remaining + 50));
      const auth = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
      const put = await getFresh(`${service.url}/context/shared-user`, {
        method: 'PUT',
        headers: auth,
        body: JSON.stringify({ identity: { user_id: 'shared-user', name: 'Grace' } }),
      });
      expect(put.status).toBe(200);
      const statuses: number[] = [];
      for (let i = 0; i < 9; i += 1) {
        const read = await getFresh(`${service.url}/context/shared-user`, { headers: auth });
        statuses.push(read.status);
        if (read.status === 200) expect(JSON.parse(read.body)).toMatchObject({ identity: { name: 'Grace' } });
      }
      // Both workers served the reads, and the limit of 6 per minute held across them (the PUT was one).
      await expect
        .poll(() => pidsThatLogged(service, 'request', '/context/shared-user').size, { timeout: 10_000 })
        .toBe(2);
      expect(statuses.filter((s) => s === 200)).toHaveLength(5);
      expect(statuses.filter((s) => s === 429)).toHaveLength(4);
      service.child.kill('SIGTERM');
      expect(await service.exited).toBe(0);
    } finally {
      await redis?.stop();
    }
  }, 60_000);
});
