import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildPackages,
  probeReport,
  REPO,
  type SpawnedService,
  spawnProbedRouter,
} from './resilience/spawned-service.js';

// The built bin, as production starts it: build once.
beforeAll(() => {
  buildPackages(['contract', 'router']);
}, 120_000);

const running: SpawnedService[] = [];
const dir = mkdtempSync(join(tmpdir(), 'router-lazy-sqlite-'));
afterAll(() => {
  for (const service of running) if (service.child.exitCode === null) service.child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

/** Asks the spawned router (through the preloaded probe) whether better-sqlite3 is loaded. */
async function sqliteLoaded(service: SpawnedService): Promise<boolean> {
  service.child.kill('SIGUSR2');
  return (await probeReport(service, /better-sqlite3-loaded=(true|false)/)) === 'true';
}

/** @param store ROUTER_STORE */
async function startRouter(store: 'memory' | 'sqlite'): Promise<SpawnedService> {
  const probe = pathToFileURL(join(REPO, 'packages/router/test/support/sqlite-probe.mjs')).href;
  const service = await spawnProbedRouter(probe, {
    ROUTER_STORE: store,
    ROUTER_DB: join(dir, `${store}.sqlite`),
  });
  running.push(service);
  expect((await fetch(`${service.url}/health`)).status).toBe(200);
  return service;
}

describe('the SQLite addon loads only for the SQLite store', () => {
  it('a healthy router on ROUTER_STORE=memory has not loaded better-sqlite3', async () => {
    expect(await sqliteLoaded(await startRouter('memory'))).toBe(false);
  }, 60_000);

  it('ROUTER_STORE=sqlite loads it and opens the file (the probe sees it loaded)', async () => {
    expect(await sqliteLoaded(await startRouter('sqlite'))).toBe(true);
  }, 60_000);
});
