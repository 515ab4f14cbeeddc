/**
 * Anthropic Messages API wire format (`POST /v1/messages`): system as a top-level field,
 * tool_use / tool_result content blocks, required max_tokens.
 */
import type {
  ChatMessage,
  ChatRequest,
  ChatResult,
  FinishReason,
  ResponseFormat,
  ToolCall,
  Usage,
} from '../model.js';
import { toolArgumentsFrom } from '../tool-arguments.js';

export const ANTHROPIC_VERSION = '2023-06-01';
/** Anthropic requires max_tokens; used when the request sets none. */
export const ANTHROPIC_DEFAULT_MAX_TOKENS = 4096;

type ContentBlock = Record<string, unknown>;
interface WireMessage {
  role: 'user' | 'assistant';
  content: string | ContentBlock[];
}

/** Tool results go back in a user message; consecutive results share one user message. */
function wireMessages(messages: ChatMessage[]): { system?: string; messages: WireMessage[] } {
  const system: string[] = [];
  const out: WireMessage[] = [];
  for (const message of messages) {
    switch (message.role) {
      case 'system':
        system.push(message.content);
        break;
      case 'user':
        out.push({ role: 'user', content: message.content });
        break;
      case 'assistant': {
        const blocks: ContentBlock[] = [];
        if (message.content) blocks.push({ type: 'text', text: message.content });
        for (const call of message.toolCalls ?? []) {
          blocks.push({ type: 'tool_use', id: call.id, name: call.name, input: call.arguments });
        }
        out.push({ role: 'assistant', content: blocks.length ? blocks : message.content });
        break;
      }
      case 'tool': {
        const block: ContentBlock = {
          type: 'tool_result',
          tool_use_id: message.toolCallId,
          content: message.content,
        };
        if (message.isError) block.is_error = true;
        const last = out.at(-1);
        const lastIsToolResults =
          last?.role === 'user' &&
          Array.isArray(last.content) &&
          last.content.every((b) => b.type === 'tool_result');
        if (lastIsToolResults) (last.content as ContentBlock[]).push(block);
        else out.push({ role: 'user', content: [block] });
        break;
      }
    }
  }
  return { ...(system.length > 0 && { system: system.join('\n\n') }), messages: out };
}

/** The tool a forced-tool structured answer is given as (see {@link structuredOutputTool}). */
export const STRUCTURED_OUTPUT_TOOL = 'structured_output';

/**
 * Where a model lacks `output_config.format` (and for json_object, which output_config cannot
 * express), the answer's schema becomes the input schema of one tool the model is forced to call;
 * the adapter turns that call back into the message content.
 */
export function structuredOutputTool(format: ResponseFormat): Record<string, unknown> {
  return {
    name: STRUCTURED_OUTPUT_TOOL,
    description:
      format.type === 'json_schema' && format.description
        ? format.description
        : "Give the answer as this tool's input: it is the response.",
    input_schema:
      format.type === 'json_schema' ? format.schema : { type: 'object', additionalProperties: true },
  };
}

/** How a structured answer is asked of this model: Anthropic's own field, or a forced tool. */
export type StructuredOutputMode = 'native' | 'tool';

/** OpenAI service tiers in Anthropic's terms; the others have no Anthropic equivalent. */
export const SERVICE_TIERS: Record<string, string> = { auto: 'auto', default: 'standard_only' };

export function toAnthropicRequest(
  request: ChatRequest,
  model: string,
  stream: boolean,
  structuredOutput: StructuredOutputMode = 'native',
): Record<string, unknown> {
  const { system, messages } = wireMessages(request.messages);
  const body: Record<string, unknown> = {
    model,
    max_tokens: request.maxTokens ?? ANTHROPIC_DEFAULT_MAX_TOKENS,
    ...(system !== undefined && { system }),
    messages,
  };
  const format = request.responseFormat;
  const forcedTool = format !== undefined && (structuredOutput === 'tool' || format.type === 'json_object');
  if (request.tools?.length) {
    body.tools = request.tools.map((t) => ({
      name: t.name,
      description: t.description,
      input_schema: t.inputSchema,
      ...(t.strict !== undefined && { strict: t.strict }),
    }));
    let choice: Record<string, unknown> | undefined;
    if (request.toolChoice) {
      choice =
        typeof request.toolChoice === 'object'
          ? { type: 'tool', name: request.toolChoice.name }
          : { type: { auto: 'auto', none: 'none', required: 'any' }[request.toolChoice] };
    }
    if (request.parallelToolCalls === false && choice?.type !== 'none') {
      choice = { ...(choice ?? { type: 'auto' }), disable_parallel_tool_use: true };
    }
    if (choice) body.tool_choice = choice;
  }
  if (forcedTool) {
    body.tools = [structuredOutputTool(format)];
    body.tool_choice = { type: 'tool', name: STRUCTURED_OUTPUT_TOOL };
  } else if (format?.type === 'json_schema') {
    body.output_config = { format: { type: 'json_schema', schema: format.schema } };
  }
  if (request.temperature !== undefined) body.temperature = request.temperature;
  if (request.topP !== undefined) body.top_p = request.topP;
  if (request.stop?.length) body.stop_sequences = request.stop;
  if (request.user !== undefined) body.metadata = { user_id: request.user };
  if (request.serviceTier !== undefined) body.service_tier = SERVICE_TIERS[request.serviceTier];
  if (stream) body.stream = true;
  return body;
}

/** A forced-tool structured answer as the message it stands for: the tool input is the content. */
export function structuredAnswerFromTool(result: ChatResult): ChatResult {
  const call = result.toolCalls.find((candidate) => candidate.name === STRUCTURED_OUTPUT_TOOL);
  if (!call) return result;
  return {
    ...result,
    content: JSON.stringify(call.arguments),
    toolCalls: [],
    finishReason: result.finishReason === 'tool_calls' ? 'stop' : result.finishReason,
  };
}

export function finishReasonFrom(stopReason: unknown): FinishReason {
  switch (stopReason) {
    case 'max_tokens':
      return 'length';
    case 'tool_use':
      return 'tool_calls';
    case 'refusal':
      return 'content_filter';
    default:
      return 'stop';
  }
}

export interface WireUsage {
  input_tokens?: number;
  output_tokens?: number;
  cache_creation_input_tokens?: number | null;
  cache_read_input_tokens?: number | null;
}

/** `input_tokens` excludes cache reads and writes; the router's inputTokens counts all input. */
export function usageFrom(u: WireUsage): Usage {
  const cacheRead = u.cache_read_input_tokens ?? 0;
  const inputTokens = (u.input_tokens ?? 0) + (u.cache_creation_input_tokens ?? 0) + cacheRead;
  const outputTokens = u.output_tokens ?? 0;
  return { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens, cachedInputTokens: cacheRead };
}

interface WireResponse {
  id?: string;
  model?: string;
  content?: { type: string; text?: string; id?: string; name?: string; input?: unknown }[];
  stop_reason?: string;
  usage?: WireUsage;
}

export function fromAnthropicResponse(wire: unknown, requestedModel: string): ChatResult {
  const r = (wire ?? {}) as WireResponse;
  let content = '';
  const toolCalls: ToolCall[] = [];
  for (const block of r.content ?? []) {
    if (block.type === 'text') content += block.text ?? '';
    else if (block.type === 'tool_use') {
      toolCalls.push({
        id: block.id ?? '',
        name: block.name ?? '',
        arguments: toolArgumentsFrom(block.input),
      });
    }
  }
  return {
    ...(r.id !== undefined && { id: r.id }),
    model: r.model ?? requestedModel,
    content,
    toolCalls,
    finishReason: finishReasonFrom(r.stop_reason),
    usage: r.usage ? usageFrom(r.usage) : null,
  };
}
