import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashApiKey } from '../src/admission/index.js';
import {
  buildPackages,
  MODULE_PROBE,
  probeReport,
  type SpawnedService,
  spawnProbedRouter,
} from './resilience/spawned-service.js';
import { writeKeysFile } from './support/principals.js';

// The built bin, as production starts it: build once.
beforeAll(() => {
  buildPackages(['contract', 'router']);
}, 120_000);

const running: SpawnedService[] = [];
const dir = mkdtempSync(join(tmpdir(), 'router-lazy-yaml-'));
afterAll(() => {
  for (const service of running) if (service.child.exitCode === null) service.child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

/** The npm packages the spawned router has loaded, as its preloaded probe reports them. */
async function loadedPackages(service: SpawnedService): Promise<string[]> {
  service.child.kill('SIGUSR2');
  return JSON.parse(await probeReport(service, /modules-loaded=(\[.*\])/)) as string[];
}

async function startRouter(keysFile: string): Promise<SpawnedService> {
  const service = await spawnProbedRouter(MODULE_PROBE, { MCP_CONFIG: 'none', ROUTER_KEYS_FILE: keysFile });
  running.push(service);
  expect((await fetch(`${service.url}/health`)).status).toBe(200);
  return service;
}

const whoami = async (service: SpawnedService, key: string) => {
  const response = await fetch(`${service.url}/whoami`, { headers: { authorization: `Bearer ${key}` } });
  return { status: response.status, body: (await response.json()) as { id?: string } };
};

describe('the YAML parser loads only for a YAML keys file', () => {
  it('a healthy router on a JSON ROUTER_KEYS_FILE has not loaded yaml, and its key is accepted', async () => {
    const router = await startRouter(writeKeysFile([{ id: 'json-desk', keys: ['k-json'] }], dir));
    expect(await loadedPackages(router)).not.toContain('yaml');
    expect(await whoami(router, 'k-json')).toMatchObject({ status: 200, body: { id: 'json-desk' } });
    expect((await whoami(router, 'k-other')).status).toBe(401);
  }, 60_000);

  it('a .yaml ROUTER_KEYS_FILE loads it, and the principals it lists authenticate', async () => {
    const file = join(dir, 'keys.yaml');
    writeFileSync(
      file,
      ['principals:', '  - id: yaml-desk', `    key_sha256: ["${hashApiKey('k-yaml')}"]`].join('\n'),
    );
    const router = await startRouter(file);
    expect(await loadedPackages(router)).toContain('yaml');
    expect(await whoami(router, 'k-yaml')).toMatchObject({ status: 200, body: { id: 'yaml-desk' } });
    expect((await whoami(router, 'k-json')).status).toBe(401);
  }, 60_000);
});
