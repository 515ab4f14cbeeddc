import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeServer, providerEnvFor, startFakeOpenAI } from '../fakes/index.js';
import {
  buildPackages,
  REPO,
  refusesConnections,
  type SpawnedService,
  spawnService,
  twoPartPost,
} from './spawned-service.js';

// These tests run the built bins, as production does: build once.
beforeAll(() => {
  buildPackages(['contract', 'emulator', 'mcp-server', 'router']);
}, 120_000);

const bin = (pkg: string) => join(REPO, 'packages', pkg, 'dist/bin.js');
const spawned: SpawnedService[] = [];
let fake: FakeServer;
beforeAll(async () => {
  fake = await startFakeOpenAI();
});
afterAll(async () => {
  for (const service of spawned) if (service.child.exitCode === null) service.child.kill('SIGKILL');
  await fake.close();
});

/** SIGTERM while a request is in flight: it completes, new connections are refused, exit code 0. */
async function expectGracefulStop(
  service: SpawnedService,
  inFlight: { finish?: () => void; response: Promise<{ status: number }> },
) {
  service.child.kill('SIGTERM');
  await expect.poll(() => refusesConnections(service.url), { timeout: 5000, interval: 20 }).toBe(true);
  expect(service.child.exitCode).toBeNull();
  inFlight.finish?.();
  const { status } = await inFlight.response;
  expect(await service.exited).toBe(0);
  return status;
}

describe('graceful shutdown on SIGTERM (built bins)', () => {
  it('router: the in-flight /ask succeeds, then the process exits 0', async () => {
    fake.setScript([{ text: 'slow but complete', delayMs: 1500 }]);
    const service = await spawnService(
      bin('router'),
      [],
      {
        ...providerEnvFor('openai', fake),
        LLM_PROVIDER: 'openai',
        ROUTER_STORE: 'memory',
        ROUTER_PORT: '0',
        LOG_LEVEL: 'info',
      },
      /"url":"(http:\/\/127\.0\.0\.1:\d+)"/,
    );
    spawned.push(service);
    const before = fake.requests.length;
    const response = fetch(`${service.url}/ask`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ message: 'hi' }),
    }).then(async (res) => ({ status: res.status, body: await res.json() }));
    await expect.poll(() => fake.requests.length, { timeout: 10_000 }).toBe(before + 1);
    const status = await expectGracefulStop(service, { response });
    expect(status).toBe(200);
    expect((await response).body.content).toBe('slow but complete');
  });

  it('emulator: a write whose body is still arriving completes, then exit 0', async () => {
    const service = await spawnService(
      bin('emulator'),
      [],
      { OCS_EMULATOR_PORT: '0', OCS_EMULATOR_DB: ':memory:', LOG_LEVEL: 'info' },
      /"url":"(http:\/\/127\.0\.0\.1:\d+[^"]*)"/,
    );
    spawned.push(service);
    const post = twoPartPost(
      `${service.url}/subscribers`,
      JSON.stringify({ msisdn: '4790001234567', languageId: 'en' }),
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    const status = await expectGracefulStop(service, post);
    expect(status).toBe(201);
  });

  // Known gap (reported): McpHttpServerHandle.close() closes the MCP handler before the HTTP
  // server has drained, so a request still in flight gets a JSON-RPC 500. Flip to it() once fixed.
  it('MCP server --http: an initialize whose body is still arriving completes, then exit 0', async () => {
    const service = await spawnService(
      bin('mcp-server'),
      ['--http'],
      { MCP_HTTP_PORT: '0', LOG_LEVEL: 'silent', OCS_API_URL: 'http://127.0.0.1:9/ocs/prov/v1' },
      /listening on (http:\/\/127\.0\.0\.1:\d+\/mcp)/,
    );
    spawned.push(service);
    const initialize = JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: {
        protocolVersion: '2025-06-18',
        capabilities: {},
        clientInfo: { name: 'shutdown-test', version: '1' },
      },
    });
    const post = twoPartPost(service.url, initialize, { accept: 'application/json, text/event-stream' });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const status = await expectGracefulStop(service, post);
    expect(status).toBe(200);
  });
});
