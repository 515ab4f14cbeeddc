import type { Attributes } from '@opentelemetry/api';
import { captureContentEnabled } from './config.js';

/**
 * Attribute names of the OpenTelemetry GenAI and MCP semantic conventions (status: development),
 * as of semantic-conventions 1.37+ (gen_ai.provider.name replaced gen_ai.system). They live here,
 * not in @opentelemetry/semantic-conventions' stable entry point, which does not carry them.
 */
export const GEN_AI = {
  OPERATION_NAME: 'gen_ai.operation.name',
  PROVIDER_NAME: 'gen_ai.provider.name',
  REQUEST_MODEL: 'gen_ai.request.model',
  RESPONSE_MODEL: 'gen_ai.response.model',
  RESPONSE_ID: 'gen_ai.response.id',
  RESPONSE_FINISH_REASONS: 'gen_ai.response.finish_reasons',
  USAGE_INPUT_TOKENS: 'gen_ai.usage.input_tokens',
  USAGE_OUTPUT_TOKENS: 'gen_ai.usage.output_tokens',
  CONVERSATION_ID: 'gen_ai.conversation.id',
  TOKEN_TYPE: 'gen_ai.token.type',
  TOOL_NAME: 'gen_ai.tool.name',
  TOOL_CALL_ID: 'gen_ai.tool.call.id',
  TOOL_TYPE: 'gen_ai.tool.type',
  // Opt-in content (OTEL_GENAI_CAPTURE_CONTENT=true), always through the caller's redactor.
  INPUT_MESSAGES: 'gen_ai.input.messages',
  OUTPUT_MESSAGES: 'gen_ai.output.messages',
  TOOL_CALL_ARGUMENTS: 'gen_ai.tool.call.arguments',
  TOOL_CALL_RESULT: 'gen_ai.tool.call.result',
} as const;

export const MCP = {
  METHOD_NAME: 'mcp.method.name',
  PROTOCOL_VERSION: 'mcp.protocol.version',
  JSONRPC_REQUEST_ID: 'jsonrpc.request.id',
} as const;

/** Attributes of this project with no convention of their own, and the general ones it uses. */
export const OCSAI = {
  /** The authenticated caller of the router (API key or OIDC principal). */
  PRINCIPAL: 'ocsai.principal',
  /** The router's user_id (the care agent the context belongs to). */
  USER_ID: 'enduser.id',
  /** held → approved | rejected | expired, on the confirmation-wait span. */
  CONFIRMATION_OUTCOME: 'ocsai.confirmation.outcome',
  /** The OCS X-Transaction-ID header, as the HTTP conventions name a captured request header. */
  TRANSACTION_ID: 'http.request.header.x-transaction-id',
  /** Which attempt of a provider call this span is (1 = first), and whether it is a fallback. */
  ATTEMPT: 'ocsai.provider.attempt',
  FALLBACK: 'ocsai.provider.fallback',
  ERROR_TYPE: 'error.type',
} as const;

/**
 * gen_ai.provider.name for the router's provider names: the conventions' well-known value where
 * there is one (azure.ai.openai), the router's own name otherwise (a custom value is allowed).
 */
const PROVIDER_NAMES: Record<string, string> = { azure: 'azure.ai.openai' };

export function genAiProviderName(provider: string): string {
  return PROVIDER_NAMES[provider] ?? provider;
}

export interface InferenceCall {
  /** `chat` for both /ask and /v1/chat/completions. */
  operation?: string;
  /** The router's provider name (openai, anthropic, azure, …). */
  provider: string;
  requestModel: string;
  responseModel?: string;
  responseId?: string;
  inputTokens?: number;
  outputTokens?: number;
  finishReasons?: readonly string[];
}

/** `{gen_ai.operation.name} {gen_ai.request.model}`, as the conventions name an inference span. */
export function inferenceSpanName(call: Pick<InferenceCall, 'operation' | 'requestModel'>): string {
  return `${call.operation ?? 'chat'} ${call.requestModel}`;
}

function defined(attributes: Record<string, Attributes[string] | undefined>): Attributes {
  const out: Attributes = {};
  for (const [key, value] of Object.entries(attributes)) if (value !== undefined) out[key] = value;
  return out;
}

/** The attributes of one provider call span (kind client). Unknown values are left out, not blanked. */
export function inferenceAttributes(call: InferenceCall): Attributes {
  return defined({
    [GEN_AI.OPERATION_NAME]: call.operation ?? 'chat',
    [GEN_AI.PROVIDER_NAME]: genAiProviderName(call.provider),
    [GEN_AI.REQUEST_MODEL]: call.requestModel,
    [GEN_AI.RESPONSE_MODEL]: call.responseModel,
    [GEN_AI.RESPONSE_ID]: call.responseId,
    [GEN_AI.USAGE_INPUT_TOKENS]: call.inputTokens,
    [GEN_AI.USAGE_OUTPUT_TOKENS]: call.outputTokens,
    [GEN_AI.RESPONSE_FINISH_REASONS]: call.finishReasons ? [...call.finishReasons] : undefined,
  });
}

export interface ToolExecution {
  toolName: string;
  callId?: string;
  /** `function` for MCP tools the model calls; `extension` and `datastore` are the other values. */
  toolType?: 'function' | 'extension' | 'datastore';
}

/** `execute_tool {gen_ai.tool.name}`, as the conventions name a tool span. */
export function executeToolSpanName(toolName: string): string {
  return `execute_tool ${toolName}`;
}

export function executeToolAttributes(tool: ToolExecution): Attributes {
  return defined({
    [GEN_AI.OPERATION_NAME]: 'execute_tool',
    [GEN_AI.TOOL_NAME]: tool.toolName,
    [GEN_AI.TOOL_CALL_ID]: tool.callId,
    [GEN_AI.TOOL_TYPE]: tool.toolType ?? 'function',
  });
}

/** Anything with SecretRedactor's text(): redacts every configured secret in a string. */
export interface Redactor {
  text(text: string): string;
}

export interface ContentCapture {
  readonly enabled: boolean;
  /** The chat history sent to the model, as gen_ai.input.messages. */
  inputMessages(messages: unknown): Attributes;
  /** The model's answer, as gen_ai.output.messages. */
  outputMessages(messages: unknown): Attributes;
  toolArguments(args: unknown): Attributes;
  toolResult(result: unknown): Attributes;
}

const NONE: Attributes = Object.freeze({});
/** A span attribute is not a store: long content is cut, after redaction (a cut secret would survive). */
const MAX_CONTENT = 16_384;

/**
 * Message and tool content for spans: empty attributes unless OTEL_GENAI_CAPTURE_CONTENT=true, and
 * then serialised to JSON and passed through the redactor before it reaches an attribute.
 */
export function contentCapture(options: {
  redactor: Redactor;
  env?: Record<string, string | undefined>;
}): ContentCapture {
  const enabled = captureContentEnabled(options.env ?? process.env);
  const attribute = (name: string) => (value: unknown) => {
    if (!enabled || value === undefined) return NONE;
    const json = typeof value === 'string' ? value : JSON.stringify(value);
    const redacted = options.redactor.text(json);
    return { [name]: redacted.length > MAX_CONTENT ? `${redacted.slice(0, MAX_CONTENT)}…` : redacted };
  };
  return {
    enabled,
    inputMessages: attribute(GEN_AI.INPUT_MESSAGES),
    outputMessages: attribute(GEN_AI.OUTPUT_MESSAGES),
    toolArguments: attribute(GEN_AI.TOOL_CALL_ARGUMENTS),
    toolResult: attribute(GEN_AI.TOOL_CALL_RESULT),
  };
}
