import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routerOpenApiJson } from '../src/http/openapi-document.js';
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

let service: SpawnedService | undefined;
afterAll(() => {
  if (service?.child.exitCode === null) service.child.kill('SIGKILL');
});

/** Asks the spawned router (through the preloaded probe) whether @hono/zod-openapi is loaded. */
async function zodOpenApiLoaded(running: SpawnedService): Promise<boolean> {
  const from = running.output().length;
  running.child.kill('SIGUSR2');
  return (await probeReport(running, /zod-openapi-loaded=(true|false)/, from)) === 'true';
}

describe('the OpenAPI generator loads on first GET /openapi.json, not at start', () => {
  it('a started, healthy router has not loaded @hono/zod-openapi; /openapi.json loads it and serves the document', async () => {
    const probe = pathToFileURL(join(REPO, 'packages/router/test/support/zod-openapi-probe.mjs')).href;
    service = await spawnProbedRouter(probe);
    const health = await fetch(`${service.url}/health`);
    expect(health.status).toBe(200);
    // A validated route is served (its 422 comes from the route's schema) without the generator.
    const invalid = await fetch(`${service.url}/ask`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ messages: 'not a list' }),
    });
    expect(invalid.status).toBe(422);
    expect(((await invalid.json()) as { error: { type: string } }).error.type).toBe('validation_error');
    expect(await zodOpenApiLoaded(service)).toBe(false);

    const document = await fetch(`${service.url}/openapi.json`);
    expect(document.status).toBe(200);
    // The same bytes as the document of every declared route (one declaration, one document).
    expect(await document.text()).toBe(routerOpenApiJson());
    // The probe itself works: the generator is loaded now, in the same process.
    expect(await zodOpenApiLoaded(service)).toBe(true);
  }, 60_000);
});
