import { execFileSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeRuntime } from '../src/runtime.js';
import { call, connectInMemory, testConfig } from './helpers.js';
import { type ListeningOcs, listenOcs } from './support/fake-ocs.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const API_KEY = 'ocs-api-key-5f1e2d3c4b5a';

/** An OCS that echoes the caller's X-API-Key in its error messages, and records every path it is asked for. */
let upstream: Server;
let listening: ListeningOcs | undefined;
let base: string;
const paths: string[] = [];
beforeAll(async () => {
  execFileSync('npx', ['tsc', '-b', 'packages/mcp-server/tsconfig.build.json'], { cwd: ROOT, stdio: 'pipe' });
  upstream = createServer((req, res) => {
    paths.push(req.url ?? '');
    req.resume();
    req.on('end', () => {
      const key = String(req.headers['x-api-key']);
      const status = req.method === 'POST' ? 400 : 409;
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: `request with api key ${key} refused`, details: { [key]: 'bad' } }));
    });
  });
  listening = await listenOcs(upstream);
  base = listening.base;
}, 60_000);
afterAll(async () => listening?.stop());

describe('configured secrets never leave the process', () => {
  it('an echoed OCS_API_KEY never reaches the tool result or the logs (stdio bin, trace logs)', async () => {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [BIN],
      env: { PATH: process.env.PATH ?? '', OCS_API_URL: base, OCS_API_KEY: API_KEY, LOG_LEVEL: 'trace' },
      stderr: 'pipe',
    });
    let logs = '';
    transport.stderr?.on('data', (chunk: Buffer) => {
      logs += chunk.toString();
    });
    const client = new Client({ name: 'secrets-test', version: '1' });
    await client.connect(transport);
    const created = await client.callTool({
      name: 'create_subscriber',
      arguments: { msisdn: '436601234567' },
    });
    const updated = await client.callTool({
      name: 'update_subscriber',
      arguments: { subscriberId: 'abc', updates: [{ fieldName: 'email', fieldValue: 'a@b.cd' }] },
    });
    await client.close();
    for (const r of [created, updated]) {
      expect(r.isError).toBe(true);
      expect(JSON.stringify(r)).not.toContain(API_KEY);
    }
    expect(JSON.stringify(created)).toMatch(/\[redacted\]/);
    expect(logs).toMatch(/OCS error response/);
    expect(logs).not.toContain(API_KEY);
  });
});

describe('ids at the boundary', () => {
  it('refuses ".." and every path-changing character before any OCS call, naming the field', async () => {
    const config = testConfig(base);
    const client = await connectInMemory(config);
    const before = paths.length;
    for (const [tool, field, value] of [
      ['list_subscriptions', 'subscriberId', '..'],
      ['get_subscriber', 'subscriberId', '.'],
      ['get_subscription', 'subscriptionId', 'a/b'],
      ['list_balances', 'subscriptionId', 'x?y=1'],
      ['get_account_history', 'interactionId', 'x#y'],
      ['list_account_history', 'entityId', '%2e%2e'],
      ['get_offer', 'offerId', '../1000'],
    ] as const) {
      const r = await call(client, tool, { [field]: value });
      expect(r.isError, `${tool} ${value}`).toBe(true);
      expect(r.text, `${tool} ${value}`).toContain(field);
    }
    // A resource URI is another way in for an id.
    await expect(client.readResource({ uri: 'ocs://subscribers/a%3Fb%3D1' })).rejects.toThrow(
      /not a valid OCS id/,
    );
    expect(paths.length).toBe(before);
    await client.close();
    await closeRuntime(config);
  });
});
