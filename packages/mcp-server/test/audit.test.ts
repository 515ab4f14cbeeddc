import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { AuditRecord, argumentsDigest } from '@ocsai/contract';
import type { RunningEmulator } from '@ocsai/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { McpConfig } from '../src/config.js';
import { type McpHttpServerHandle, startMcpHttpServer } from '../src/http.js';
import { closeRuntime } from '../src/runtime.js';
import { freshMsisdn, ok, startTestEmulator, testConfig } from './helpers.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const ROUTER_TOKEN = 'router-token-0123456789abcdef';
const INTRUDER_TOKEN = 'intruder-token-0123456789abcd';
const READER_TOKEN = 'reader-token-0123456789abcdefg';
const OCS_KEY = 'ocs-key-abcdef0123456789';

let emulator: RunningEmulator;
let config: McpConfig;
let server: McpHttpServerHandle;
let dir: string;
let auditFile: string;

beforeAll(async () => {
  execFileSync('npx', ['tsc', '-b', 'packages/mcp-server/tsconfig.build.json'], { cwd: ROOT, stdio: 'pipe' });
  emulator = await startTestEmulator('friendly', OCS_KEY);
  dir = mkdtempSync(join(tmpdir(), 'ocs-mcp-audit-'));
  auditFile = join(dir, 'audit.jsonl');
  const tokens = join(dir, 'tokens.json');
  writeFileSync(
    tokens,
    JSON.stringify([
      { token: ROUTER_TOKEN, subject: 'router', scopes: 'ocs:read ocs:write ocs:irreversible delegate' },
      { token: INTRUDER_TOKEN, subject: 'intruder', scopes: 'ocs:read ocs:write ocs:irreversible' },
      { token: READER_TOKEN, subject: 'reader', scopes: 'ocs:read' },
    ]),
  );
  config = testConfig(emulator.url, {
    MCP_AUTH_TOKENS_FILE: tokens,
    MCP_AUDIT_FILE: auditFile,
    OCS_API_KEY: OCS_KEY,
  });
  server = await startMcpHttpServer({ ...config, port: 0 });
}, 60_000);
afterAll(async () => {
  await server?.close();
  await closeRuntime(config);
  await emulator?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function clientFor(token: string) {
  const client = new Client({ name: 'audited', version: '1' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(server.url), {
      requestInit: { headers: { authorization: `Bearer ${token}` } },
    }),
  );
  return client;
}

const records = () =>
  readFileSync(auditFile, 'utf8')
    .trim()
    .split('\n')
    .map((line) => AuditRecord.parse(JSON.parse(line)));

describe('audit log: one record per tools/call', () => {
  it('records subject, delegated user (only for a delegate token), digest, redacted args, transaction id, outcome, confirmation, latency', async () => {
    const meta = { 'ocs-ai/principal': 'ops-team', 'ocs-ai/user_id': 'alice' };
    const router = await clientFor(ROUTER_TOKEN);
    const msisdn = freshMsisdn();
    const args = { msisdn, firstName: `echo ${OCS_KEY}`, transaction_id: `AUDIT-${msisdn}` };
    const created = await router.callTool({ name: 'create_subscriber', arguments: args, _meta: meta });
    expect(created.isError).toBeFalsy();
    const subscriberId = (created.structuredContent as { subscriber: { subscriberId: string } }).subscriber
      .subscriberId;
    const held = await router.callTool({
      name: 'delete_subscriber',
      arguments: { subscriberId },
      _meta: meta,
    });
    const token = (held.structuredContent as { confirmation_token: string }).confirmation_token;
    await router.callTool({
      name: 'delete_subscriber',
      arguments: { subscriberId, confirmation_token: token },
      _meta: meta,
    });
    await router.close();

    // Anyone else's claim to act for a user is ignored.
    const intruder = await clientFor(INTRUDER_TOKEN);
    await intruder.callTool({ name: 'list_offers', arguments: {}, _meta: { 'ocs-ai/user_id': 'alice' } });
    await intruder.close();

    const all = records();
    const [create, hold, approve, list] = all.slice(-4);
    expect(create).toMatchObject({
      service: 'ocs-mcp',
      event: 'tool_call',
      principal: 'router/ops-team',
      user_id: 'alice',
      tool: 'ocs/create_subscriber',
      args_digest: argumentsDigest(args),
      transaction_id: `AUDIT-${msisdn}`,
      outcome: 'ok',
      confirmation: { state: 'none' },
    });
    expect(JSON.stringify(create?.args)).not.toContain(OCS_KEY);
    expect(JSON.stringify(create?.args)).toContain('[redacted]');
    expect(create?.latency_ms).toBeGreaterThanOrEqual(0);
    expect(hold).toMatchObject({
      tool: 'ocs/delete_subscriber',
      outcome: 'held',
      confirmation: { state: 'held' },
    });
    expect(approve).toMatchObject({
      tool: 'ocs/delete_subscriber',
      outcome: 'ok',
      confirmation: { id: hold?.confirmation?.id, state: 'approved' },
    });
    expect(JSON.stringify(approve?.args)).not.toContain(token);
    expect(list).toMatchObject({ principal: 'intruder', user_id: null, tool: 'ocs/list_offers' });
    expect(readFileSync(auditFile, 'utf8')).not.toContain(ROUTER_TOKEN);
  });

  it('a call refused for its scope before dispatch is recorded as denied', async () => {
    const r = await fetch(server.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'mcp-protocol-version': '2025-11-25',
        authorization: `Bearer ${READER_TOKEN}`,
      },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: { name: 'delete_subscriber', arguments: { subscriberId: 'victim' } },
      }),
    });
    expect(r.status).toBe(403);
    expect(records().at(-1)).toMatchObject({
      principal: 'reader',
      tool: 'ocs/delete_subscriber',
      outcome: 'denied',
      args: { subscriberId: 'victim' },
    });
  });

  it('ocs-mcp audit verify FILE says intact, then names the edited line', async () => {
    const admin = await clientFor(ROUTER_TOKEN);
    await ok(admin, 'list_offers', {});
    await admin.close();
    const intact = spawnSync(process.execPath, [BIN, 'audit', 'verify', auditFile], { encoding: 'utf8' });
    expect(intact.status).toBe(0);
    expect(intact.stdout).toMatch(/records, chain intact/);

    const copy = join(dir, 'tampered.jsonl');
    const lines = readFileSync(auditFile, 'utf8').trim().split('\n');
    lines[1] =
      lines[1]
        ?.replace('"outcome":"ok"', '"outcome":"denied"')
        .replace('"outcome":"held"', '"outcome":"ok"') ?? '';
    writeFileSync(copy, `${lines.join('\n')}\n`);
    const broken = spawnSync(process.execPath, [BIN, 'audit', 'verify', copy], { encoding: 'utf8' });
    expect(broken.status).toBe(1);
    expect(broken.stderr).toMatch(/tampered\.jsonl:2: /);
    const usage = spawnSync(process.execPath, [BIN, 'audit', 'verify'], { encoding: 'utf8' });
    expect(usage.status).toBe(2);
  });
});
