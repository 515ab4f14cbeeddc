import { Counter, Histogram, type Registry } from 'prom-client';

/**
 * Prometheus metric definitions: the GenAI client metrics under the names the OpenTelemetry
 * conventions get in Prometheus form (dots to underscores, the unit `s` as a `_seconds` suffix),
 * and the MCP server's own. Each class registers on the registry it is given, so a service keeps
 * one registry and one /metrics. Imported as @ocsai/telemetry/metrics: loading the tracing entry
 * does not load prom-client.
 */

/** gen_ai.client.token.usage: the conventions' explicit bucket boundaries (powers of 4). */
export const GEN_AI_TOKEN_BUCKETS = [
  1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864,
];
/** gen_ai.client.operation.duration: the conventions' explicit bucket boundaries, seconds. */
export const GEN_AI_DURATION_BUCKETS = [
  0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92,
];
/** mcp.server.operation.duration: the MCP conventions' explicit bucket boundaries, seconds. */
export const MCP_DURATION_BUCKETS = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 30, 60, 120, 300];
/** An OCS HTTP call on loopback or in the same cluster: milliseconds, not minutes. */
export const OCS_DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export interface InferenceMeasurement {
  operation?: string;
  /** gen_ai.provider.name (see genAiProviderName). */
  provider: string;
  requestModel: string;
  durationSeconds: number;
  inputTokens?: number;
  outputTokens?: number;
  /** Set when the call failed: a low-cardinality class (timeout, 429, provider_error, …). */
  errorType?: string;
}

export class GenAiClientMetrics {
  readonly tokenUsage: Histogram<
    'gen_ai_operation_name' | 'gen_ai_provider_name' | 'gen_ai_request_model' | 'gen_ai_token_type'
  >;
  readonly operationDuration: Histogram<
    'gen_ai_operation_name' | 'gen_ai_provider_name' | 'gen_ai_request_model' | 'error_type'
  >;

  constructor(registry: Registry) {
    this.tokenUsage = new Histogram({
      name: 'gen_ai_client_token_usage',
      help: 'Number of input and output tokens used, per provider call (gen_ai.client.token.usage).',
      labelNames: [
        'gen_ai_operation_name',
        'gen_ai_provider_name',
        'gen_ai_request_model',
        'gen_ai_token_type',
      ],
      buckets: GEN_AI_TOKEN_BUCKETS,
      registers: [registry],
    });
    this.operationDuration = new Histogram({
      name: 'gen_ai_client_operation_duration_seconds',
      help: 'Duration of a provider call, each retry and fallback counted (gen_ai.client.operation.duration).',
      labelNames: ['gen_ai_operation_name', 'gen_ai_provider_name', 'gen_ai_request_model', 'error_type'],
      buckets: GEN_AI_DURATION_BUCKETS,
      registers: [registry],
    });
  }

  // Each label object is written out in full: on Node 20 an object spread with further members
  // takes V8's slow path (microseconds each), and this runs for every provider attempt.
  record(m: InferenceMeasurement): void {
    const operation = m.operation ?? 'chat';
    this.operationDuration.observe(
      {
        gen_ai_operation_name: operation,
        gen_ai_provider_name: m.provider,
        gen_ai_request_model: m.requestModel,
        error_type: m.errorType ?? '',
      },
      m.durationSeconds,
    );
    if (m.inputTokens !== undefined) this.#tokens(operation, m, 'input', m.inputTokens);
    if (m.outputTokens !== undefined) this.#tokens(operation, m, 'output', m.outputTokens);
  }

  #tokens(operation: string, m: InferenceMeasurement, type: 'input' | 'output', tokens: number): void {
    this.tokenUsage.observe(
      {
        gen_ai_operation_name: operation,
        gen_ai_provider_name: m.provider,
        gen_ai_request_model: m.requestModel,
        gen_ai_token_type: type,
      },
      tokens,
    );
  }
}

/**
 * ok: a result; tool_error: an isError result (the conventions' error.type for it);
 * error: a JSON-RPC error; confirmation_required: held until a person confirms.
 */
export type ToolCallOutcome = 'ok' | 'tool_error' | 'error' | 'confirmation_required';
/** requested: a confirmation was issued; approved, rejected, expired: how it ended. */
export type ConfirmationOutcome = 'requested' | 'approved' | 'rejected' | 'expired';

export class McpServerMetrics {
  readonly toolCalls: Counter<'gen_ai_tool_name' | 'outcome'>;
  readonly operationDuration: Histogram<'mcp_method_name' | 'gen_ai_tool_name' | 'error_type'>;
  readonly ocsRequestDuration: Histogram<'method' | 'operation' | 'status'>;
  readonly confirmations: Counter<'gen_ai_tool_name' | 'outcome'>;

  constructor(registry: Registry) {
    this.toolCalls = new Counter({
      name: 'mcp_server_tool_calls_total',
      help: 'tools/call requests by tool and outcome (ok, tool_error, error, confirmation_required).',
      labelNames: ['gen_ai_tool_name', 'outcome'],
      registers: [registry],
    });
    this.operationDuration = new Histogram({
      name: 'mcp_server_operation_duration_seconds',
      help: 'MCP request duration on the server, by method and tool (mcp.server.operation.duration).',
      labelNames: ['mcp_method_name', 'gen_ai_tool_name', 'error_type'],
      buckets: MCP_DURATION_BUCKETS,
      registers: [registry],
    });
    this.ocsRequestDuration = new Histogram({
      name: 'mcp_server_ocs_request_duration_seconds',
      help: 'OCS HTTP calls made by the MCP server, by method, OCS operation and status (or "error").',
      labelNames: ['method', 'operation', 'status'],
      buckets: OCS_DURATION_BUCKETS,
      registers: [registry],
    });
    this.confirmations = new Counter({
      name: 'mcp_server_confirmations_total',
      help: 'Confirmations of destructive tool calls by tool and outcome (requested, approved, rejected, expired).',
      labelNames: ['gen_ai_tool_name', 'outcome'],
      registers: [registry],
    });
  }

  recordToolCall(tool: string, outcome: ToolCallOutcome, durationSeconds: number): void {
    this.toolCalls.inc({ gen_ai_tool_name: tool, outcome });
    this.operationDuration.observe(
      {
        mcp_method_name: 'tools/call',
        gen_ai_tool_name: tool,
        error_type: outcome === 'tool_error' || outcome === 'error' ? outcome : '',
      },
      durationSeconds,
    );
  }
}
