import { closeSync, fstatSync, mkdirSync, openSync, readSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { canonicalJson, sha256Hex } from './canonical-json.js';
import { AUDIT_GENESIS, AUDIT_RECORD_VERSION, type AuditEntry, type AuditRecord } from './record.js';
import { SecretRedactor } from './secret-redactor.js';

export interface AuditLogOptions {
  /** Written into every record: `ocs-router`, `ocs-mcp`. */
  service: string;
  /** Append-only JSON-lines file. One file per running instance: two writers would fork the chain. */
  file?: string;
  /** Receives every line as written, e.g. to put it on the log stream as well. */
  sink?: (line: string, record: AuditRecord) => void;
  /** Applied to `args` and `detail` before anything is written. */
  redactor?: SecretRedactor;
  now?: () => Date;
}

/** How much of an existing file's end is read to find the record the chain continues from. */
const TAIL_BYTES = 1 << 20;

/**
 * Tamper-evident audit trail: each record carries the hash of the one before it, so an edited,
 * removed or inserted line breaks the chain at that line ({@link verifyAuditText}). Writes are
 * synchronous appends, so a record is in the file (the OS's page cache) before the step it
 * describes is acknowledged, and a crash of the process loses none.
 */
export class AuditLog {
  private readonly fd: number | undefined;
  private readonly redactor: SecretRedactor;
  private readonly now: () => Date;
  private prev: string;
  private seq: number;
  private closed = false;

  constructor(private readonly options: AuditLogOptions) {
    this.redactor = options.redactor ?? new SecretRedactor([]);
    this.now = options.now ?? (() => new Date());
    this.prev = AUDIT_GENESIS;
    this.seq = 0;
    if (options.file) {
      mkdirSync(dirname(options.file), { recursive: true });
      this.fd = openSync(options.file, 'a+');
      this.resumeChain(this.fd);
    }
  }

  /** Whether records go anywhere; callers may skip building an entry when not. */
  get enabled(): boolean {
    return this.fd !== undefined || this.options.sink !== undefined;
  }

  append(entry: AuditEntry): AuditRecord {
    if (this.closed) throw new Error('audit log is closed');
    const { ts, ...rest } = entry;
    const body = {
      v: AUDIT_RECORD_VERSION,
      seq: this.seq + 1,
      ts: ts ?? this.now().toISOString(),
      service: this.options.service,
      ...rest,
      ...(rest.args !== undefined ? { args: this.redactor.value(rest.args) } : {}),
      ...(rest.detail !== undefined ? { detail: this.redactor.text(rest.detail) } : {}),
      prev: this.prev,
    };
    const record = { ...body, hash: sha256Hex(canonicalJson(body)) } as AuditRecord;
    const line = canonicalJson(record);
    if (this.fd !== undefined) writeSync(this.fd, `${line}\n`);
    this.prev = record.hash;
    this.seq = record.seq;
    this.options.sink?.(line, record);
    return record;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.fd !== undefined) closeSync(this.fd);
  }

  /** Continues the chain of an existing file from its last line. */
  private resumeChain(fd: number): void {
    const size = fstatSync(fd).size;
    if (size === 0) return;
    const length = Math.min(size, TAIL_BYTES);
    const buffer = Buffer.alloc(length);
    readSync(fd, buffer, 0, length, size - length);
    const text = buffer.toString('utf8');
    // A torn last line (a crash mid-write) is closed off, so the next record starts a line of its own;
    // verify then names the torn line.
    if (!text.endsWith('\n')) writeSync(fd, '\n');
    const lines = text.split('\n').filter((line) => line.trim() !== '');
    const last = lines.at(-1);
    if (last === undefined) return;
    try {
      const parsed = JSON.parse(last) as { hash?: unknown; seq?: unknown };
      if (typeof parsed.hash === 'string') this.prev = parsed.hash;
      else this.prev = sha256Hex(last);
      if (typeof parsed.seq === 'number') this.seq = parsed.seq;
    } catch {
      this.prev = sha256Hex(last);
      this.seq = lines.length;
    }
  }
}
