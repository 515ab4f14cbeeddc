import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startEmulator } from '@ocsai/emulator';
import { loadMcpConfig, startMcpHttpServer } from '@ocsai/mcp-server';
import { startRouter } from '@ocsai/router';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeServer, providerEnvFor, startFakeOpenAI } from '../packages/router/test/fakes/index.js';

const run = promisify(execFile);
const scriptsDir = new URL('../examples/curl/', import.meta.url);

// The stack `npm start` runs, on free ports, with a fake OpenAI upstream standing in for the LLM.
describe('examples/curl scripts against a running stack', () => {
  const dir = mkdtempSync(join(tmpdir(), 'examples-'));
  const closers: (() => Promise<void>)[] = [];
  let env: Record<string, string>;
  let fake: FakeServer;

  beforeAll(async () => {
    const emulator = await startEmulator({ port: 0, db: join(dir, 'ocs.sqlite'), logger: false });
    closers.push(emulator.close);
    const mcp = await startMcpHttpServer({ ...loadMcpConfig({ OCS_API_URL: emulator.url }), port: 0 });
    closers.push(mcp.close);
    fake = await startFakeOpenAI(() => ({ text: 'There are four prepaid offers.' }));
    closers.push(fake.close);
    const mcpConfig = join(dir, 'mcp.json');
    writeFileSync(mcpConfig, JSON.stringify({ mcpServers: { ocs: { url: mcp.url, trusted: true } } }));
    const router = await startRouter({
      env: {
        ...providerEnvFor('openai', fake),
        LLM_PROVIDER: 'openai',
        ROUTER_STORE: 'memory',
        MCP_CONFIG: mcpConfig,
      },
      port: 0,
      logger: false,
    });
    closers.push(router.close);
    env = { ...process.env, OCS_URL: emulator.url, MCP_URL: mcp.url, ROUTER_URL: router.url } as Record<
      string,
      string
    >;
  });

  afterAll(async () => {
    for (const close of closers.reverse()) await close();
    rmSync(dir, { recursive: true, force: true });
  });

  const scripts = readdirSync(scriptsDir).filter((f) => f.endsWith('.sh'));

  it('has a script for the emulator, the MCP server and the router', () => {
    expect(scripts.sort()).toEqual(['emulator.sh', 'mcp.sh', 'router.sh']);
  });

  for (const script of scripts) {
    it(`${script} succeeds end to end`, async () => {
      const { stdout } = await run('bash', [new URL(script, scriptsDir).pathname], { env, timeout: 60_000 });
      expect(stdout).toContain('==');
    });
  }

  it('router.sh really reached the model through the router', () => {
    expect(fake.requests.length).toBeGreaterThanOrEqual(3);
  });
});
