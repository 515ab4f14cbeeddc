import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  AUDIT_GENESIS,
  AuditLog,
  argumentsDigest,
  auditVerifyCommand,
  canonicalJson,
  SecretRedactor,
  verifyAuditText,
} from '../src/index.js';

const tempFile = () => join(mkdtempSync(join(tmpdir(), 'audit-')), 'nested', 'audit.jsonl');

const toolCall = (n: number) =>
  ({
    event: 'tool_call',
    principal: 'ops-bot',
    user_id: 'alice',
    tool: 'ocs/create_balance',
    args_digest: argumentsDigest({ n }),
    args: { subscriptionId: String(n), amount: n },
    transaction_id: `tx-${n}`,
    outcome: 'ok',
    latency_ms: 1.5,
  }) as const;

describe('canonical JSON and digests', () => {
  it('is independent of key order at every depth', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[1,{"y":2,"z":1}]},"b":1}',
    );
    expect(argumentsDigest({ a: 1, b: 2 })).toBe(argumentsDigest({ b: 2, a: 1 }));
    expect(argumentsDigest({ a: 1 })).not.toBe(argumentsDigest({ a: 2 }));
  });
});

describe('SecretRedactor', () => {
  const secret = 'sk-live-0123456789abcdef0123456789abcdef';
  const redactor = new SecretRedactor([secret, undefined, '', 'ab']);

  it('redacts before it truncates, so a secret straddling the cut leaves no prefix', () => {
    const text = `${'x'.repeat(490)}${secret} tail`;
    const out = redactor.truncated(text, 500);
    expect(out).not.toContain(secret.slice(0, 8));
    expect(out.startsWith('x'.repeat(490))).toBe(true);
    expect(out).toContain('[red');
  });

  it('redacts nested values and keys, and ignores too-short secrets', () => {
    expect(redactor.size).toBe(1);
    expect(redactor.value({ [secret]: [`key=${secret}`], ab: 'ab' })).toEqual({
      '[redacted]': ['key=[redacted]'],
      ab: 'ab',
    });
  });

  it('returns a value that holds no secret as it is, and copies one that does', () => {
    const clean = { content: [{ type: 'text', text: 'nothing here' }], structuredContent: { n: 1 } };
    expect(redactor.value(clean)).toBe(clean);
    const dirty = { ...clean, structuredContent: { deep: { deeper: [`x${secret}y`] } } };
    const out = redactor.value(dirty);
    expect(out).not.toBe(dirty);
    expect(JSON.stringify(out)).not.toContain(secret);
    expect(dirty.structuredContent.deep.deeper[0]).toContain(secret); // the input is not modified
  });

  it('still finds a secret that JSON escapes, and values that are not JSON', () => {
    const quoted = 'pa"ss\\word-42';
    const r = new SecretRedactor([quoted]);
    expect(r.value({ a: [`before ${quoted} after`] })).toEqual({ a: ['before [redacted] after'] });
    expect(redactor.value({ big: 10n, text: secret })).toEqual({ big: 10n, text: '[redacted]' });
  });
});

describe('AuditLog and verifyAuditText', () => {
  it('chains records, continues the chain after a restart, and verifies', () => {
    const file = tempFile();
    const sunk: string[] = [];
    const first = new AuditLog({ service: 'ocs-router', file, sink: (line) => sunk.push(line) });
    const r1 = first.append(toolCall(1));
    const r2 = first.append(toolCall(2));
    first.close();
    expect(r1.prev).toBe(AUDIT_GENESIS);
    expect(r2.prev).toBe(r1.hash);
    expect(sunk).toHaveLength(2);

    const second = new AuditLog({ service: 'ocs-router', file });
    const r3 = second.append(toolCall(3));
    second.close();
    expect(r3.seq).toBe(3);
    expect(r3.prev).toBe(r2.hash);
    expect(verifyAuditText(readFileSync(file, 'utf8'))).toEqual({ ok: true, records: 3 });
  });

  it('names the edited line, a removed line and a torn last line', () => {
    const file = tempFile();
    const log = new AuditLog({ service: 'ocs-mcp', file });
    for (let n = 1; n <= 5; n++) log.append(toolCall(n));
    log.close();
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');

    const edited = [...lines];
    edited[2] = (edited[2] ?? '').replace('"outcome":"ok"', '"outcome":"denied"');
    expect(verifyAuditText(edited.join('\n'))).toMatchObject({ ok: false, line: 3, records: 2 });

    const removed = lines.filter((_, i) => i !== 1);
    expect(verifyAuditText(removed.join('\n'))).toMatchObject({ ok: false, line: 2 });

    writeFileSync(file, `${lines.join('\n')}\n{"v":1,"seq"`);
    const resumed = new AuditLog({ service: 'ocs-mcp', file });
    resumed.append(toolCall(6));
    resumed.close();
    expect(verifyAuditText(readFileSync(file, 'utf8'))).toMatchObject({
      ok: false,
      line: 6,
      reason: 'not JSON',
    });
  });

  it('never writes a configured secret, in arguments or in the detail', () => {
    const secret = 'ocs-api-key-do-not-leak-1234';
    const file = tempFile();
    const log = new AuditLog({ service: 'ocs-mcp', file, redactor: new SecretRedactor([secret]) });
    log.append({
      ...toolCall(1),
      args: { note: `key ${secret}` },
      outcome: 'failed',
      detail: `echo ${secret}`,
    });
    log.close();
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain(secret);
    expect(verifyAuditText(text).ok).toBe(true);
  });

  it('audit verify command: exit codes and messages', () => {
    const file = tempFile();
    const log = new AuditLog({ service: 'ocs-router', file });
    log.append(toolCall(1));
    log.close();
    const read = (f: string) => readFileSync(f, 'utf8');
    expect(auditVerifyCommand(file, read)).toEqual({
      exitCode: 0,
      message: `${file}: 1 records, chain intact`,
    });
    writeFileSync(file, 'garbage\n');
    expect(auditVerifyCommand(file, read)).toMatchObject({
      exitCode: 1,
      message: `${file}:1: not JSON (0 records intact before it)`,
    });
    expect(auditVerifyCommand(undefined, read).exitCode).toBe(2);
    expect(auditVerifyCommand(`${file}.missing`, read)).toMatchObject({ exitCode: 2 });
  });
});
