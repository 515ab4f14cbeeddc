import { type ChildProcess, execFileSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { RunningEmulator } from '@ocsai/emulator';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeReport } from '../../../test/support/probe-report.js';
import { startTestEmulator } from './helpers.js';
import { type RunningAuthorizationServer, startAuthorizationServer } from './support/authorization-server.js';
import { spawnProbedHttpBin } from './support/spawned-http-bin.js';

/**
 * jose (JWT verification) is loaded by the first token that needs it, not at start-up: the built
 * bin, started as users start it, with a preloaded probe that reports the packages loaded.
 */

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const PROBE = pathToFileURL(
  fileURLToPath(new URL('../../../test/support/module-probe.mjs', import.meta.url)),
).href;

let emulator: RunningEmulator;
let as: RunningAuthorizationServer;
const children: ChildProcess[] = [];

beforeAll(async () => {
  execFileSync('npx', ['tsc', '-b', 'packages/mcp-server/tsconfig.build.json'], { cwd: ROOT, stdio: 'pipe' });
  emulator = await startTestEmulator();
  as = await startAuthorizationServer({
    clientId: 'lazy-jose',
    redirectUri: 'http://127.0.0.1:1/cb',
    grantedScopes: 'ocs:read',
  });
}, 60_000);
afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  await as?.close();
  await emulator?.close();
});

interface Started {
  url: string;
  loaded(): Promise<string[]>;
}

async function startHttp(extra: Record<string, string>): Promise<Started> {
  const spawned = await spawnProbedHttpBin({ probe: PROBE, ocsUrl: emulator.url, env: extra });
  children.push(spawned.child);
  expect((await fetch(spawned.url.replace('/mcp', '/healthz'))).status).toBe(200);
  return {
    url: spawned.url,
    loaded: async () => {
      const seen = spawned.stderr().length;
      spawned.child.kill('SIGUSR2');
      return JSON.parse(await probeReport(spawned.stderr, /modules-loaded=(\[.*\])/, seen)) as string[];
    },
  };
}

const LIST = { jsonrpc: '2.0', id: 1, method: 'tools/list' };
const post = (url: string, token: string) =>
  fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': '2025-11-25',
      authorization: `Bearer ${token}`,
    },
    body: JSON.stringify(LIST),
  });

describe('jose loads only when a JWT is to be verified', () => {
  it('a healthy server on static tokens has not loaded jose, and still authenticates', async () => {
    const server = await startHttp({ MCP_AUTH_TOKENS: 'static-token-0123456789' });
    expect(await server.loaded()).not.toContain('jose');
    expect((await post(server.url, 'static-token-0123456789')).status).toBe(200);
    expect((await post(server.url, 'another-token-0123456789')).status).toBe(401);
    expect(await server.loaded()).not.toContain('jose');
  }, 60_000);

  it('with MCP_OAUTH_ISSUER, the first access token loads it and is verified', async () => {
    const server = await startHttp({ MCP_OAUTH_ISSUER: as.issuer });
    expect(await server.loaded()).not.toContain('jose');
    const claims = { iss: as.issuer, sub: 'alice', aud: server.url, scope: 'ocs:read' };
    const sign = (exp: number) =>
      new SignJWT({ ...claims, exp }).setProtectedHeader({ alg: 'RS256', kid: as.kid }).sign(as.privateKey);
    const now = Math.floor(Date.now() / 1000);
    expect((await post(server.url, await sign(now + 300))).status).toBe(200);
    expect(await server.loaded()).toContain('jose');
    const expired = await post(server.url, await sign(now - 60));
    expect(expired.status).toBe(401);
    expect(expired.headers.get('www-authenticate')).toMatch(/expired/);
  }, 60_000);
});
