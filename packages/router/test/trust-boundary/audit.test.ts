// biome-ignore-all lint/suspicious/noTemplateCurlyInString: mcp.json ${VAR} references under test
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AuditRecord, verifyAuditText } from '@ocsai/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRouter } from '../../src/index.js';
import { FAKE_KEYS, type FakeServer, providerEnvFor, startFakeOpenAI } from '../fakes/index.js';
import { buildPackages, REPO } from '../resilience/spawned-service.js';
import { writeKeysFile } from '../support/principals.js';
import { captureLogs } from '../support/test-router.js';
import { type OcsStack, provisionedState, startOcsStack } from '../tool-loop/ocs-stack.js';

/**
 * The audit trail of a full run: allowed, denied, failed and held tool calls and approved and
 * rejected confirmations, written by the real router (keys file, MCP server, emulator, scripted
 * model) to ROUTER_AUDIT_FILE and to the log stream. Then: no configured secret in either, and
 * `ocs-router audit verify` names the line an attacker edited.
 */
const KEY_AGENT = 'rk-audit-agent-0123456789abcdef';
const KEY_VIEWER = 'rk-audit-viewer-abcdef0123456789';
const MCP_TOKEN = 'mcp-token-audit-5f4e3d2c1b0a';

const dir = mkdtempSync(join(tmpdir(), 'router-audit-'));
const auditFile = join(dir, 'audit', 'router.jsonl');
let stack: OcsStack;
let openai: FakeServer;
let router: Awaited<ReturnType<typeof startRouter>>;
const logs = captureLogs('trace');

beforeAll(async () => {
  stack = await startOcsStack();
  openai = await startFakeOpenAI();
  writeFileSync(
    join(dir, 'mcp.json'),
    JSON.stringify({
      mcpServers: {
        ocs: { url: '${TEST_MCP_URL}', trusted: true, headers: { 'x-test-token': '${TEST_MCP_TOKEN}' } },
      },
      roles: { viewer: { readOnly: true }, agent: { allow: ['*'] } },
    }),
  );
  const keysFile = writeKeysFile(
    [
      { id: 'agent-desk', keys: [KEY_AGENT], roles: ['agent'] },
      { id: 'viewer-desk', keys: [KEY_VIEWER], roles: ['viewer'] },
    ],
    dir,
  );
  router = await startRouter({
    env: {
      ...providerEnvFor('openai', openai),
      LLM_PROVIDER: 'openai',
      MCP_CONFIG: join(dir, 'mcp.json'),
      TEST_MCP_URL: stack.mcp.url,
      TEST_MCP_TOKEN: MCP_TOKEN,
      ROUTER_STORE: 'memory',
      ROUTER_KEYS_FILE: keysFile,
      ROUTER_AUDIT_FILE: auditFile,
      ROUTER_AUDIT_LOG: 'true',
      LOG_LEVEL: 'trace',
    },
    port: 0,
    logger: logs.logger,
  });
});
afterAll(async () => {
  await router?.close();
  await openai?.close();
  await stack?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function ask(key: string, body: unknown) {
  const response = await fetch(`${router.url}/ask`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return (await response.json()) as { finish_reason: string; confirmation: { id: string } };
}

const records = (): AuditRecord[] =>
  readFileSync(auditFile, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as AuditRecord);

/** Runs every kind of step once: ok, denied, failed, held + approved, held + rejected. */
async function fullRun(): Promise<void> {
  const create = (msisdn: string, lastName = 'Gruber') => ({
    name: 'create_subscriber',
    arguments: { msisdn, firstName: 'Eva', lastName, subscriberType: 'PREPAID' },
  });
  // A prompt-injected model copies a provider key into a tool argument: the audit must not keep it.
  openai.setScript([{ toolCalls: [create('+436607500001', FAKE_KEYS.openai)] }, { text: 'Created.' }]);
  await ask(KEY_AGENT, { message: 'create', user_id: 'agent-desk:u1' });
  openai.setScript([{ toolCalls: [create('+436607500002')] }, { text: 'Refused.' }]);
  await ask(KEY_VIEWER, { message: 'create', user_id: 'viewer-desk:u1' });
  openai.setScript([{ toolCalls: [create('12')] }, { text: 'Invalid.' }]);
  await ask(KEY_AGENT, { message: 'create', user_id: 'agent-desk:u1' });

  const subscriberId = (await provisionedState(stack, '436607500001'))?.subscriberId;
  for (const approve of [false, true]) {
    openai.setScript([
      { toolCalls: [{ name: 'delete_subscriber', arguments: { subscriberId } }] },
      { text: approve ? 'Deleted.' : 'Kept.' },
    ]);
    const held = await ask(KEY_AGENT, { message: 'delete', user_id: 'agent-desk:u1' });
    expect(held.finish_reason).toBe('confirmation_required');
    await ask(KEY_AGENT, { user_id: 'agent-desk:u1', confirm: { id: held.confirmation.id, approve } });
  }
}

describe('audit trail', () => {
  beforeAll(fullRun);

  it('records every tool call the model asked for and every confirmation decision, with who and for whom', () => {
    const all = records();
    const calls = all.filter((record) => record.event === 'tool_call');
    // The declined delete is also a tool call the model asked for and that did not run: denied.
    expect(calls.map((record) => record.outcome)).toEqual([
      'ok',
      'denied',
      'failed',
      'held',
      'denied',
      'held',
      'ok',
    ]);
    expect(calls[4]?.detail).toContain('declined');
    for (const record of calls) {
      expect(record.tool).toMatch(/^ocs\/(create|delete)_subscriber$/);
      expect(record.args_digest).toMatch(/^[0-9a-f]{64}$/);
      expect(record.provider).toBe('openai');
      expect(record.model).toBe('gpt-fake');
    }
    expect(calls[0]).toMatchObject({ principal: 'agent-desk', user_id: 'agent-desk:u1' });
    expect(calls[0]?.transaction_id).toEqual(expect.any(String));
    expect(calls[1]).toMatchObject({ principal: 'viewer-desk', outcome: 'denied' });
    expect(calls[1]?.detail).toContain('read-only');
    expect(calls[3]?.confirmation).toMatchObject({ state: 'held', id: expect.stringMatching(/^cfm_/) });

    const decisions = all.filter((record) => record.event === 'confirmation');
    expect(decisions.map((record) => [record.outcome, record.confirmation?.decided_by])).toEqual([
      ['rejected', 'agent-desk'],
      ['approved', 'agent-desk'],
    ]);
    expect(decisions[0]?.confirmation?.id).toBe(calls[3]?.confirmation?.id);
    expect(verifyAuditText(readFileSync(auditFile, 'utf8'))).toEqual({ ok: true, records: all.length });
  });

  it('the audit file and the logs of the full run hold none of the configured secrets', () => {
    const audit = readFileSync(auditFile, 'utf8');
    expect(audit).toContain('[redacted]');
    const logText = logs.lines.join('');
    expect(logText).toContain('"msg":"audit"');
    for (const secret of [KEY_AGENT, KEY_VIEWER, MCP_TOKEN, FAKE_KEYS.openai]) {
      expect(audit).not.toContain(secret);
      expect(logText).not.toContain(secret);
    }
  });

  it('`ocs-router audit verify` passes the file, then names the one line an attacker edited', () => {
    buildPackages(['contract', 'router']);
    const bin = join(REPO, 'packages/router/dist/bin.js');
    const verify = (file: string) => {
      try {
        return {
          code: 0,
          out: execFileSync(process.execPath, [bin, 'audit', 'verify', file], { encoding: 'utf8' }),
        };
      } catch (error) {
        const failed = error as { status: number; stderr: string };
        return { code: failed.status, out: failed.stderr };
      }
    };
    const intact = verify(auditFile);
    expect(intact.code).toBe(0);
    expect(intact.out).toContain('chain intact');

    const lines = readFileSync(auditFile, 'utf8').split('\n');
    const edited = join(dir, 'edited.jsonl');
    // The attacker rewrites the held delete on line 4 as if it had been rejected.
    lines[3] = (lines[3] as string).replace('"outcome":"held"', '"outcome":"rejected"');
    writeFileSync(edited, lines.join('\n'));
    const broken = verify(edited);
    expect(broken.code).toBe(1);
    expect(broken.out).toContain(`${edited}:4:`);
    expect(broken.out).toContain('edited');
  });
});
