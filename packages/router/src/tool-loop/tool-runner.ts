import { performance } from 'node:perf_hooks';
import type { CallToolResult, ContentBlock } from '@modelcontextprotocol/client';
import {
  type ContentCapture,
  executeToolAttributes,
  executeToolSpanName,
  OCSAI,
  type TraceCarrier,
  tracingActive,
  withSpan,
} from '@ocsai/telemetry';
import { McpCallError } from '../mcp/mcp-call-error.js';
import type { McpServerSet, McpTool } from '../mcp/mcp-server-set.js';
import type { ToolCall, ToolDefinition } from '../providers/types.js';
import {
  type ConfirmationRequest,
  confirmationFromInputRequired,
  confirmationFromResult,
  descriptionWithoutConfirmationToken,
  schemaWithoutConfirmationToken,
  withoutConfirmationToken,
} from './confirmation-request.js';
import type { ToolAccess } from './tool-access.js';

/** One tool call as /ask reports it. */
export interface ExecutedToolCall {
  id: string;
  /** null when the model named a tool that does not exist. */
  server: string | null;
  /** The tool's name on its server (or what the model asked for, when unknown). */
  name: string;
  arguments: Record<string, unknown>;
  /** The full MCP result (content and structuredContent), or the router's error text. */
  result: { content: ContentBlock[]; structuredContent?: unknown };
  is_error: boolean;
  duration_ms: number;
}

export interface ToolExecution {
  record: ExecutedToolCall;
  /** The exposed name, for the model's tool message. */
  exposedName: string;
  /** Set when the server held the call for a human's confirmation: nothing happened yet. */
  confirmation?: ConfirmationRequest;
  /** For the audit trail: ran (`ok`/`failed`), refused before it ran (`denied`), or `held`. */
  outcome: 'ok' | 'failed' | 'denied' | 'held';
  /** The OCS transaction id the MCP server reports in its result, when it does. */
  transactionId?: string;
}

/** A human's approval of an earlier confirmation request, replayed to the server. */
export type Approval = ConfirmationRequest;

interface ExecuteOptions {
  signal?: AbortSignal;
  approval?: Approval;
  meta?: Record<string, unknown>;
}

const textContent = (text: string): ExecutedToolCall['result'] => ({ content: [{ type: 'text', text }] });

/**
 * The tools one request may use, and their execution. Built per request from the MCP listing
 * filtered by ToolAccess; a tool the request may not use is not offered, and calling it anyway
 * is refused with a tool error the model can read.
 */
export class ToolRunner {
  readonly definitions: ToolDefinition[];
  readonly unavailableServers: { server: string; message: string }[];
  readonly #servers: McpServerSet;
  readonly #access: ToolAccess;
  readonly #all: McpTool[];
  readonly #allowed = new Set<string>();
  readonly #capture: ContentCapture | undefined;

  private constructor(
    servers: McpServerSet,
    access: ToolAccess,
    tools: McpTool[],
    unavailable: { server: string; message: string }[],
    capture: ContentCapture | undefined,
  ) {
    this.#capture = capture;
    this.#servers = servers;
    this.#access = access;
    this.#all = tools;
    this.unavailableServers = unavailable;
    this.definitions = [];
    for (const tool of tools) {
      if (!access.decide(tool).allowed) continue;
      this.#allowed.add(tool.exposedName);
      this.definitions.push({
        name: tool.exposedName,
        description: descriptionWithoutConfirmationToken(tool.description),
        inputSchema: schemaWithoutConfirmationToken(tool.inputSchema),
      });
    }
  }

  /** `capture`: tool arguments and results on the execute_tool span (OTEL_GENAI_CAPTURE_CONTENT=true). */
  static async create(
    servers: McpServerSet,
    access: ToolAccess,
    capture?: ContentCapture,
  ): Promise<ToolRunner> {
    const listing = await servers.listTools(access.servers);
    return new ToolRunner(servers, access, listing.tools, listing.unavailable, capture);
  }

  /** Finds the tool a model meant: exposed name, qualified `<server>__<tool>`, or a unique plain name. */
  resolve(name: string): McpTool | undefined {
    const exact = this.#all.find((tool) => tool.exposedName === name || tool.qualifiedName === name);
    if (exact) return exact;
    const plain = this.#all.filter((tool) => tool.name === name);
    return plain.length === 1 ? plain[0] : undefined;
  }

  /**
   * Runs one call inside an execute_tool span (the MCP request carries its traceparent). `traceParent`:
   * the span to continue instead of the active one (a confirmed call continues the held call's trace).
   */
  execute(
    call: ToolCall,
    options: ExecuteOptions & { traceParent?: TraceCarrier } = {},
  ): Promise<ToolExecution> {
    if (!tracingActive()) return this.#execute(call, options);
    const name = this.resolve(call.name)?.name ?? call.name;
    return withSpan(
      executeToolSpanName(name),
      {
        attributes: {
          ...executeToolAttributes({ toolName: name, callId: call.id }),
          ...this.#capture?.toolArguments(withoutConfirmationToken(call.arguments)),
        },
        ...(options.traceParent ? { parent: options.traceParent } : {}),
      },
      async (span) => {
        const execution = await this.#execute(call, options);
        if (execution.outcome === 'held') span.setAttribute(OCSAI.CONFIRMATION_OUTCOME, 'held');
        if (execution.transactionId) span.setAttribute(OCSAI.TRANSACTION_ID, execution.transactionId);
        if (execution.record.is_error)
          span.setAttribute(OCSAI.ERROR_TYPE, execution.outcome === 'denied' ? 'denied' : 'tool_error');
        const captured = this.#capture?.toolResult(execution.record.result);
        if (captured) span.setAttributes(captured);
        return execution;
      },
    );
  }

  async #execute(call: ToolCall, options: ExecuteOptions): Promise<ToolExecution> {
    const started = performance.now();
    const args = withoutConfirmationToken(call.arguments);
    const tool = this.resolve(call.name);
    const finish = (
      result: ExecutedToolCall['result'],
      isError: boolean,
      confirmation?: ConfirmationRequest,
      denied = false,
    ): ToolExecution => {
      const execution: ToolExecution = {
        outcome: denied ? 'denied' : confirmation ? 'held' : isError ? 'failed' : 'ok',
        exposedName: tool?.exposedName ?? call.name,
        record: {
          id: call.id,
          server: tool?.server ?? null,
          name: tool?.name ?? call.name,
          arguments: args,
          result,
          is_error: isError,
          duration_ms: Math.round((performance.now() - started) * 1000) / 1000,
        },
      };
      if (confirmation) execution.confirmation = confirmation;
      const transactionId = (result.structuredContent as { transaction_id?: unknown } | undefined)
        ?.transaction_id;
      if (typeof transactionId === 'string') execution.transactionId = transactionId;
      return execution;
    };

    if (!tool) {
      const offered = this.definitions.map((definition) => definition.name).join(', ') || 'none';
      return finish(
        textContent(`Unknown tool "${call.name}". Tools you can call: ${offered}.`),
        true,
        undefined,
        true,
      );
    }
    const decision = this.#access.decide(tool);
    if (!decision.allowed) {
      return finish(
        textContent(`Refused: you may not call ${tool.exposedName} (${decision.reason}).`),
        true,
        undefined,
        true,
      );
    }

    const approval = options.approval;
    const sentArgs = approval?.kind === 'token' ? { ...args, confirmation_token: approval.token } : args;
    try {
      const outcome = await this.#servers.callTool(tool, sentArgs, {
        retryable: tool.traits.readOnly || tool.traits.idempotent,
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.meta ? { meta: options.meta } : {}),
        ...(approval?.kind === 'input_required'
          ? {
              inputResponses: approval.approveResponses,
              ...(approval.requestState !== undefined ? { requestState: approval.requestState } : {}),
            }
          : {}),
      });
      if (outcome.kind === 'input_required') {
        const confirmation = confirmationFromInputRequired(
          outcome.inputRequests,
          outcome.requestState,
          tool.name,
        );
        if ('unsupported' in confirmation) return finish(textContent(confirmation.unsupported), true);
        return finish(textContent(confirmation.message), false, confirmation);
      }
      const result = outcome.result as CallToolResult;
      const full: ExecutedToolCall['result'] = { content: result.content ?? [] };
      if (result.structuredContent !== undefined) full.structuredContent = result.structuredContent;
      return finish(full, result.isError === true, confirmationFromResult(result, tool.name));
    } catch (error) {
      if (error instanceof McpCallError && error.kind === 'aborted') throw error;
      const message =
        error instanceof McpCallError ? error.message : `The call to ${tool.exposedName} failed`;
      return finish(textContent(message), true);
    }
  }
}
