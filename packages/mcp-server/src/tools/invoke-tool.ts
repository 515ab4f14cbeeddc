import {
  type CallToolResult,
  CLIENT_CAPABILITIES_META_KEY,
  type ClientCapabilities,
  type InputRequiredResult,
  inputRequired,
  inputResponse,
  type McpServer,
  type ServerContext,
} from '@modelcontextprotocol/server';
import { OcsError } from '../ocs/ocs-error.js';
import { newTransactionId } from '../ocs/ocs-http.js';
import type { Runtime } from '../runtime.js';
import { boundArguments, type ConfirmationRequired, ConfirmForm } from './confirmation.js';
import type { ToolDefinition } from './tool-definition.js';

export function okResult(structured: Record<string, unknown>): CallToolResult {
  return { content: [{ type: 'text', text: JSON.stringify(structured) }], structuredContent: structured };
}

export function errorResult(message: string): CallToolResult {
  return { isError: true, content: [{ type: 'text', text: message }] };
}

/**
 * Whether this request can carry an elicitation back to a human: a 2026-07-28 request declaring
 * `elicitation` in its envelope, or a 2025 connection that declared it at initialize (stdio,
 * stateful). Stateless 2025 HTTP requests never saw an initialize, so they fall back to tokens.
 */
function clientCanElicit(ctx: ServerContext, server: McpServer): boolean {
  const envelope = ctx.mcpReq.envelope as Record<string, unknown> | undefined;
  const fromEnvelope = envelope?.[CLIENT_CAPABILITIES_META_KEY] as ClientCapabilities | undefined;
  const caps = fromEnvelope ?? server.server.getClientCapabilities();
  return caps?.elicitation !== undefined && caps.elicitation !== null;
}

type GateOutcome = { proceed: true } | { proceed: false; result: CallToolResult | InputRequiredResult };

async function confirmationGate(
  def: ToolDefinition,
  args: Record<string, unknown>,
  ctx: ServerContext,
  server: McpServer,
  runtime: Runtime,
): Promise<GateOutcome> {
  const prompt = def.confirm?.(args);
  if (!prompt) return { proceed: true };
  const bound = boundArguments(args);
  const log = runtime.logger.child({ tool: def.name });
  const token = args.confirmation_token;
  if (typeof token === 'string') {
    const verdict = runtime.confirmations.redeem(token, def.name, bound);
    if (verdict.ok) {
      log.info('destructive call confirmed by token');
      return { proceed: true };
    }
    log.warn({ reason: verdict.reason }, 'confirmation token refused');
    return {
      proceed: false,
      result: errorResult(
        `Confirmation token refused (${verdict.reason}); nothing was changed. Call ${def.name} again without confirmation_token to get a new confirmation request.`,
      ),
    };
  }
  const message = `${prompt.summary} This cannot be undone. Proceed?`;
  if (clientCanElicit(ctx, server)) {
    const answer = inputResponse(ctx.mcpReq.inputResponses, 'confirm');
    if (answer.kind === 'elicit') {
      // The retried request must echo the state we minted for exactly these arguments.
      const state = ctx.mcpReq.requestState<string>();
      const stateOk =
        typeof state === 'string' &&
        runtime.confirmations.redeem(state, def.name, bound, 'elicitation').ok === true;
      const parsed = ConfirmForm.safeParse(answer.content);
      if (stateOk && answer.action === 'accept' && parsed.success && parsed.data.confirm) {
        log.info('destructive call confirmed by elicitation');
        return { proceed: true };
      }
      log.info({ action: answer.action, stateOk }, 'destructive call not confirmed');
      return {
        proceed: false,
        result: errorResult(
          stateOk
            ? `Not confirmed by the user (${answer.action}); nothing was changed.`
            : 'Confirmation could not be verified (missing, expired or reused state); nothing was changed. Call the tool again.',
        ),
      };
    }
    const { token: state } = runtime.confirmations.issue(def.name, bound, 'elicitation');
    return {
      proceed: false,
      result: inputRequired({
        inputRequests: { confirm: inputRequired.elicit({ message, requestedSchema: ConfirmForm }) },
        requestState: state,
      }),
    };
  }
  const issued = runtime.confirmations.issue(def.name, bound);
  const pending: ConfirmationRequired = {
    confirmation_required: true,
    confirmation_token: issued.token,
    expires_at: issued.expiresAt.toISOString(),
    message,
    action: { tool: def.name, arguments: bound, summary: prompt.summary },
  };
  return { proceed: false, result: okResult(pending) };
}

/** Runs one tool call: read-only guard, confirmation, the OCS work, and error mapping. */
export async function invokeTool(
  def: ToolDefinition,
  args: Record<string, unknown>,
  ctx: ServerContext,
  server: McpServer,
  runtime: Runtime,
): Promise<CallToolResult | InputRequiredResult> {
  if (def.writes && runtime.config.readOnly)
    return errorResult(
      `${def.name} is disabled: this MCP server runs in read-only mode (OCS_MCP_READ_ONLY).`,
    );
  if (!runtime.config.toolsets.includes(def.toolset))
    return errorResult(`${def.name} is disabled by OCS_MCP_TOOLSETS.`);
  const gate = await confirmationGate(def, args, ctx, server, runtime);
  if (!gate.proceed) return gate.result;
  const transactionId =
    def.callsOcs && typeof args.transaction_id === 'string' ? args.transaction_id : newTransactionId();
  try {
    const out = await def.run(args, { runtime, transactionId, signal: ctx.mcpReq.signal });
    return okResult(def.callsOcs ? { ...out, transaction_id: transactionId } : out);
  } catch (err) {
    const suffix = def.callsOcs ? ` (transaction_id: ${transactionId})` : '';
    if (err instanceof OcsError) {
      runtime.logger.info({ tool: def.name, transactionId, kind: err.kind }, 'tool call failed');
      return errorResult(`${err.message}${suffix}`);
    }
    runtime.logger.error({ tool: def.name, transactionId, err }, 'tool call crashed');
    return errorResult(`Internal error in ${def.name}; details are in the server log${suffix}.`);
  }
}
