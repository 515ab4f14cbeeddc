import { argumentsDigest } from '@ocsai/contract';
import { newTransactionId } from '../ocs/ocs-http.js';
import type { Runtime } from '../runtime.js';
import { boundArguments } from '../tool-kit/confirmation.js';
import { hasScope, type Principal, SCOPES } from './principal.js';

/**
 * The scope a tools/call needs beyond what the token has, or undefined. Runs before the request
 * reaches the SDK, so that a call outside the token's scopes gets an HTTP 403 insufficient_scope
 * (an OAuth client can step up) instead of "unknown tool". A tool the token may call but whose
 * call is irreversible (cancel; a renew that expires) needs ocs:irreversible: that judgement reads
 * the current state, so it runs only for a token without that scope.
 */
export async function missingScope(
  message: Record<string, unknown>,
  principal: Principal,
  runtime: Runtime,
): Promise<{ scope: string; reason: string } | undefined> {
  if (message.method !== 'tools/call') return undefined;
  const params = (message.params ?? {}) as { name?: unknown; arguments?: unknown };
  const def = runtime.tools.find((t) => t.name === params.name);
  if (!def) return undefined;
  if (!hasScope(principal, def.requiredScope))
    return { scope: def.requiredScope, reason: `${def.name} needs ${def.requiredScope}` };
  if (!def.confirm || hasScope(principal, SCOPES.irreversible)) return undefined;
  const parsed = def.inputSchema.safeParse(params.arguments ?? {});
  // Bad arguments are the tool's to explain (a tool error naming the field).
  if (!parsed.success) return undefined;
  const { transaction_id: _t, ...toolArgs } = boundArguments(parsed.data as Record<string, unknown>);
  try {
    const prompt = await def.confirm(
      toolArgs,
      runtime.toolContext(newTransactionId(), AbortSignal.timeout(runtime.config.ocsApiTimeoutMs)),
    );
    return prompt
      ? { scope: SCOPES.irreversible, reason: `this ${def.name} call is irreversible` }
      : undefined;
  } catch {
    // The tool runs the same judgement and reports the failure itself.
    return undefined;
  }
}

/** A tools/call refused before dispatch still gets its audit record (outcome `denied`). */
export function auditDenied(
  runtime: Runtime,
  principal: Principal,
  message: Record<string, unknown>,
  reason: string,
): void {
  if (!runtime.audit.enabled) return;
  const params = (message.params ?? {}) as { name?: unknown; arguments?: unknown };
  const args = (params.arguments ?? {}) as Record<string, unknown>;
  const bound = boundArguments(args);
  runtime.audit.append({
    event: 'tool_call',
    principal: principal.subject,
    user_id: null,
    tool: `ocs/${String(params.name)}`,
    args_digest: argumentsDigest(bound),
    args: bound,
    outcome: 'denied',
    confirmation: { id: '', state: 'none' },
    latency_ms: 0,
    detail: `insufficient_scope: ${reason}`,
  });
}
