import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import type { RunningEmulator } from '@ocsai/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshMsisdn, ok, startTestEmulator, TEST_SECRET } from './helpers.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url));

let emulator: RunningEmulator;
let env: Record<string, string>;

beforeAll(async () => {
  // Builds the contract too (project reference); incremental after the first run.
  execFileSync('npx', ['tsc', '-b', 'packages/mcp-server/tsconfig.build.json'], { cwd: ROOT, stdio: 'pipe' });
  emulator = await startTestEmulator();
  env = {
    PATH: process.env.PATH ?? '',
    OCS_API_URL: emulator.url,
    LOG_LEVEL: 'debug',
    MCP_CONFIRMATION_SECRET: TEST_SECRET,
    MCP_STATE_FILE: ':memory:',
  };
}, 60_000);
afterAll(async () => emulator?.close());

describe('ocs-mcp over stdio (built bin)', () => {
  it('serves a 2025-era client, including elicitation-based confirmation', async () => {
    const client = new Client(
      { name: 'stdio-test', version: '1' },
      { capabilities: { elicitation: { form: {} } } },
    );
    client.setRequestHandler('elicitation/create', async () => ({
      action: 'accept',
      content: { confirm: true },
    }));
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [BIN],
      env,
      stderr: 'pipe',
    });
    await client.connect(transport);
    // 20 by default: the history-admin toolset (update and delete account history) is off.
    expect((await client.listTools()).tools).toHaveLength(20);
    const msisdn = freshMsisdn();
    const { subscriber } = await ok(client, 'create_subscriber', { msisdn });
    expect((await ok(client, 'lookup_subscriber', { msisdn: `+${msisdn}` })).subscriber.subscriberId).toBe(
      subscriber.subscriberId,
    );
    expect((await ok(client, 'delete_subscriber', { subscriberId: subscriber.subscriberId })).deleted).toBe(
      true,
    );
    await client.close();
  });

  it('serves a 2026-07-28 client', async () => {
    const client = new Client(
      { name: 'stdio-modern', version: '1' },
      { versionNegotiation: { mode: { pin: '2026-07-28' } } },
    );
    await client.connect(
      new StdioClientTransport({ command: process.execPath, args: [BIN], env, stderr: 'pipe' }),
    );
    expect(client.getNegotiatedProtocolVersion()).toBe('2026-07-28');
    expect((await ok(client, 'list_offers', { type: 'PREPAID' })).total).toBe(4);
    await client.close();
  });

  it('writes only JSON-RPC lines to stdout (logs go to stderr)', async () => {
    const child = spawn(process.execPath, [BIN], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += String(d);
    });
    const lines: string[] = [];
    const rl = createInterface({ input: child.stdout });
    const responses = new Map<number, (line: unknown) => void>();
    rl.on('line', (line) => {
      lines.push(line);
      const msg = JSON.parse(line) as { id?: number };
      if (typeof msg.id === 'number') responses.get(msg.id)?.(msg);
    });
    const send = (msg: Record<string, unknown>) =>
      child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', ...msg })}\n`);
    const request = (id: number, method: string, params: unknown) =>
      new Promise((resolve) => {
        responses.set(id, resolve);
        send({ id, method, params });
      });
    await request(1, 'initialize', {
      protocolVersion: '2025-11-25',
      capabilities: {},
      clientInfo: { name: 'raw', version: '1' },
    });
    send({ method: 'notifications/initialized' });
    await request(2, 'tools/list', {});
    await request(3, 'tools/call', { name: 'lookup_subscriber', arguments: { msisdn: '43600000000077' } });
    await request(4, 'tools/call', { name: 'get_offer', arguments: { offerId: '1000' } });
    child.stdin.end();
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(0);
    expect(lines.length).toBeGreaterThanOrEqual(4);
    for (const line of lines) {
      const msg = JSON.parse(line) as { jsonrpc?: string };
      expect(msg.jsonrpc).toBe('2.0');
    }
    // Logs went to stderr and never carry the confirmation secret.
    expect(stderr).toMatch(/"msg":"MCP server ready on stdio"/);
    expect(stderr).not.toContain(TEST_SECRET);
  });

  it('serves --http and shuts down gracefully on SIGTERM', async () => {
    const child = spawn(process.execPath, [BIN, '--http'], {
      env: { ...env, MCP_HTTP_PORT: '0', LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const url = await new Promise<string>((resolve, reject) => {
      let err = '';
      child.stderr.on('data', (d) => {
        err += String(d);
        const m = /listening on (http:\/\/\S+)/.exec(err);
        if (m?.[1]) resolve(m[1]);
      });
      child.on('exit', () => reject(new Error(err)));
    });
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    expect((await fetch(url.replace('/mcp', '/healthz'))).status).toBe(200);
    child.kill('SIGTERM');
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(0);
  });

  it('fails fast with a message naming the bad variable', () => {
    const r = spawnSync(process.execPath, [BIN], {
      env: { ...env, OCS_API_TIMEOUT: 'soon', MCP_HTTP_PORT: '70000' },
      encoding: 'utf8',
    });
    expect(r.status).toBe(1);
    // zod's prettifyError through the contract's parseEnv: each problem, then the variable it is at.
    expect(r.stderr).toMatch(/must be a number of seconds\s+→ at OCS_API_TIMEOUT/);
    expect(r.stderr).toMatch(/must be 0-65535\s+→ at MCP_HTTP_PORT/);
    expect(r.stderr).not.toContain('soon');
    expect(r.stdout).toBe('');
  });
});
