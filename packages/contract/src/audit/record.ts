import { z } from 'zod';

/**
 * One line of an audit file, written by the router and by the MCP server alike. The shape is
 * declared once, here, so that one `audit verify` reads both services' files and an operator joins
 * them on `transaction_id`.
 */
export const AUDIT_RECORD_VERSION = 1;

/** The SHA-256 of nothing written before: the `prev` of a file's first record. */
export const AUDIT_GENESIS = '0'.repeat(64);

const Sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lower-case hex digits (SHA-256)');

export const AuditEvent = z.enum(['tool_call', 'confirmation']);
export type AuditEvent = z.infer<typeof AuditEvent>;

/**
 * What became of the audited step.
 * - tool calls: `ok`, `failed` (the tool ran and reported an error or could not be reached),
 *   `denied` (refused by role or scope before it ran), `held` (waiting for a human's yes);
 * - confirmations: `approved`, `rejected`, `expired`.
 */
export const AuditOutcome = z.enum(['ok', 'failed', 'denied', 'held', 'approved', 'rejected', 'expired']);
export type AuditOutcome = z.infer<typeof AuditOutcome>;

export const AuditRecordBody = z.strictObject({
  v: z.literal(AUDIT_RECORD_VERSION),
  /** 1-based position in this file; continues across restarts. */
  seq: z.number().int().positive(),
  ts: z.iso.datetime(),
  service: z.string().min(1),
  event: AuditEvent,
  /** Who acted: the principal the credential maps to, never a value the request asserted. */
  principal: z.string().min(1),
  /** The end user acted for, when there is one. */
  user_id: z.string().nullable(),
  provider: z.string().optional(),
  model: z.string().optional(),
  /** Server-qualified tool name, e.g. `ocs/delete_subscriber`. */
  tool: z.string().optional(),
  /** SHA-256 of the arguments in canonical JSON (keys sorted), before redaction. */
  args_digest: Sha256Hex.optional(),
  /** The arguments with every configured secret replaced by `[redacted]`. */
  args: z.unknown().optional(),
  transaction_id: z.string().optional(),
  outcome: AuditOutcome,
  /** Confirmation id and state for held calls and confirmation decisions. */
  confirmation: z
    .strictObject({
      id: z.string(),
      state: z.enum(['none', 'held', 'approved', 'rejected', 'expired']),
      decided_by: z.string().optional(),
    })
    .optional(),
  latency_ms: z.number().nonnegative().optional(),
  /** A short, redacted reason (an error message, a denial's cause). */
  detail: z.string().optional(),
});
export type AuditRecordBody = z.infer<typeof AuditRecordBody>;

export const AuditRecord = AuditRecordBody.extend({
  /** `hash` of the previous line of the same file; {@link AUDIT_GENESIS} for the first. */
  prev: Sha256Hex,
  /** SHA-256 of this record's canonical JSON without `hash` (so `prev` is covered too). */
  hash: Sha256Hex,
});
export type AuditRecord = z.infer<typeof AuditRecord>;

/** What a caller supplies; the log adds version, sequence, time, service and the chain. */
export type AuditEntry = Omit<AuditRecordBody, 'v' | 'seq' | 'ts' | 'service'> & { ts?: string };
