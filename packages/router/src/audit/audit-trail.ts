import {
  type AuditEntry,
  AuditLog,
  type AuditOutcome,
  argumentsDigest,
  SecretRedactor,
} from '@ocsai/contract';

const MIN_ENV_SECRET_LENGTH = 8;

/** Names of environment variables whose values are secrets (keys, tokens, passwords, secrets). */
const SECRET_NAME = /(KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL)S?($|_)/i;

/**
 * Every configured secret: the values of secret-named variables (comma lists split too, as
 * ROUTER_API_KEYS and MCP_AUTH_TOKENS are lists). The redactor built from them is applied to audit
 * records and upstream error text.
 */
export function secretsFromEnv(env: Record<string, string | undefined>): string[] {
  const secrets: string[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (!value || !SECRET_NAME.test(name) || /_(FILE|HASHES|CLAIM)$/.test(name)) continue;
    // Short values ("true", "1") are settings, not secrets: redacting them would blank ordinary text.
    for (const part of [value, ...value.split(',')].map((item) => item.trim()))
      if (part.length >= MIN_ENV_SECRET_LENGTH) secrets.push(part);
  }
  return secrets;
}

/** Who and what a tool-call record is about; the loop fills it from the credential, never the request. */
export interface AuditSubject {
  principal: string;
  userId: string | null;
  provider?: string;
  model?: string;
}

export interface ToolCallAudit extends AuditSubject {
  /** `server/tool`, or the name the model asked for when no such tool exists. */
  tool: string;
  args: Record<string, unknown>;
  outcome: Extract<AuditOutcome, 'ok' | 'failed' | 'denied' | 'held'>;
  transactionId?: string;
  latencyMs?: number;
  detail?: string;
  confirmationId?: string;
}

export interface DecisionAudit extends AuditSubject {
  tool: string;
  args: Record<string, unknown>;
  confirmationId: string;
  outcome: Extract<AuditOutcome, 'approved' | 'rejected' | 'expired'>;
  decidedBy: string;
  detail?: string;
}

/**
 * The router's audit trail: every tool call the model asks for and every confirmation decision,
 * as hash-chained JSON lines (ROUTER_AUDIT_FILE) and/or on the log stream (ROUTER_AUDIT_LOG).
 */
export class AuditTrail {
  readonly #log: AuditLog;
  readonly #redactor: SecretRedactor;

  constructor(options: {
    file?: string;
    sink?: (line: string) => void;
    redactor: SecretRedactor;
  }) {
    this.#redactor = options.redactor;
    this.#log = new AuditLog({
      service: 'ocs-router',
      redactor: options.redactor,
      ...(options.file ? { file: options.file } : {}),
      ...(options.sink ? { sink: options.sink } : {}),
    });
  }

  get enabled(): boolean {
    return this.#log.enabled;
  }

  toolCall(call: ToolCallAudit): void {
    if (!this.#log.enabled) return;
    const entry: AuditEntry = {
      event: 'tool_call',
      ...subject(call),
      tool: call.tool,
      args_digest: argumentsDigest(call.args),
      args: call.args,
      outcome: call.outcome,
    };
    if (call.transactionId !== undefined) entry.transaction_id = call.transactionId;
    if (call.latencyMs !== undefined) entry.latency_ms = call.latencyMs;
    if (call.detail !== undefined) entry.detail = this.#redactor.truncated(call.detail, 500);
    if (call.confirmationId !== undefined) entry.confirmation = { id: call.confirmationId, state: 'held' };
    this.#log.append(entry);
  }

  decision(decision: DecisionAudit): void {
    if (!this.#log.enabled) return;
    const entry: AuditEntry = {
      event: 'confirmation',
      ...subject(decision),
      tool: decision.tool,
      args_digest: argumentsDigest(decision.args),
      args: decision.args,
      outcome: decision.outcome,
      confirmation: {
        id: decision.confirmationId,
        state: decision.outcome,
        decided_by: decision.decidedBy,
      },
    };
    if (decision.detail !== undefined) entry.detail = this.#redactor.truncated(decision.detail, 500);
    this.#log.append(entry);
  }

  close(): void {
    this.#log.close();
  }
}

function subject(subject: AuditSubject): Pick<AuditEntry, 'principal' | 'user_id' | 'provider' | 'model'> {
  const out: Pick<AuditEntry, 'principal' | 'user_id' | 'provider' | 'model'> = {
    principal: subject.principal,
    user_id: subject.userId,
  };
  if (subject.provider !== undefined) out.provider = subject.provider;
  if (subject.model !== undefined) out.model = subject.model;
  return out;
}

export { SecretRedactor };
