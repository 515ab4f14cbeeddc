import { canonicalJson, sha256Hex } from './canonical-json.js';
import { AUDIT_GENESIS, AuditRecord } from './record.js';

export type AuditVerdict =
  | { ok: true; records: number }
  | { ok: false; records: number; line: number; reason: string };

/**
 * Checks an audit file's text: every line a valid record, its own hash right, its `prev` the hash
 * of the line before, its `seq` one more. Names the first line (1-based) where any of that fails.
 */
export function verifyAuditText(text: string): AuditVerdict {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  let prev = AUDIT_GENESIS;
  let seq = 0;
  for (let index = 0; index < lines.length; index++) {
    const lineNumber = index + 1;
    const broken = (reason: string): AuditVerdict => ({
      ok: false,
      records: index,
      line: lineNumber,
      reason,
    });
    const line = lines[index] ?? '';
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch {
      return broken('not JSON');
    }
    const parsed = AuditRecord.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return broken(
        `not an audit record (${issue?.path.join('.') || 'record'}: ${issue?.message ?? 'invalid'})`,
      );
    }
    const { hash, ...body } = raw as Record<string, unknown>;
    if (sha256Hex(canonicalJson(body)) !== hash) return broken('hash does not match the record (edited)');
    if (parsed.data.prev !== prev)
      return broken('prev does not match the hash of the line before (removed, inserted or reordered)');
    if (parsed.data.seq !== seq + 1) return broken(`seq ${parsed.data.seq} where ${seq + 1} was due`);
    prev = parsed.data.hash;
    seq = parsed.data.seq;
  }
  return { ok: true, records: lines.length };
}

/** `… audit verify FILE`, shared by the services' bins: exit code and one line to print. */
export function auditVerifyCommand(
  file: string | undefined,
  readText: (file: string) => string,
): {
  exitCode: number;
  message: string;
} {
  if (!file) return { exitCode: 2, message: 'usage: audit verify FILE' };
  let text: string;
  try {
    text = readText(file);
  } catch (error) {
    return {
      exitCode: 2,
      message: `${file}: cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    };
  }
  const verdict = verifyAuditText(text);
  return verdict.ok
    ? { exitCode: 0, message: `${file}: ${verdict.records} records, chain intact` }
    : {
        exitCode: 1,
        message: `${file}:${verdict.line}: ${verdict.reason} (${verdict.records} records intact before it)`,
      };
}
