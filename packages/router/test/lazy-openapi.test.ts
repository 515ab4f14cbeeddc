import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routerOpenApiJson } from '../src/http/openapi-document.js';
import { buildPackages, REPO, type SpawnedService, spawnService } from './resilience/spawned-service.js';

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
  const seen = running.output().match(/zod-openapi-loaded=/g)?.length ?? 0;
  running.child.kill('SIGUSR2');
  for (let waited = 0; waited < 5_000; waited += 20) {
    const answers = [...running.output().matchAll(/zod-openapi-loaded=(true|false)/g)];
    if (answers.length > seen) return answers.at(-1)?.[1] === 'true';
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`the probe did not answer:\n${running.output()}`);
}

describe('the OpenAPI generator loads on first GET /openapi.json, not at start', () => {
  it('a started, healthy router has not loaded @hono/zod-openapi; /openapi.json loads it and serves the document', async () => {
    const probe = pathToFileURL(join(REPO, 'packages/router/test/support/zod-openapi-probe.mjs')).href;
    service = await spawnService(
      join(REPO, 'packages/router/dist/bin.js'),
      [],
      {
        NODE_OPTIONS: `--import=${probe}`,
        LLM_PROVIDER: 'ollama',
        ROUTER_STORE: 'memory',
        ROUTER_PORT: '0',
        LOG_LEVEL: 'info',
      },
      /"url":"(http:\/\/127\.0\.0\.1:\d+)"/,
    );
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
