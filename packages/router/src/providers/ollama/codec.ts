/**
 * Ollama's native wire format (`POST /api/chat`): object tool arguments, tool calls that may lack
 * ids, token counts on the final `done` line, errors as `{"error": "..."}`.
 */
import type { ChatMessage, ChatRequest, FinishReason, ToolCall, Usage } from '../model.js';
import { generatedToolCallId, toolArgumentsFrom } from '../tool-arguments.js';

function wireMessage(message: ChatMessage): Record<string, unknown> {
  switch (message.role) {
    case 'system':
    case 'user':
      return { role: message.role, content: message.content };
    case 'assistant':
      return {
        role: 'assistant',
        content: message.content,
        ...(message.toolCalls?.length && {
          tool_calls: message.toolCalls.map((call) => ({
            function: { name: call.name, arguments: call.arguments },
          })),
        }),
      };
    case 'tool':
      return { role: 'tool', content: message.content, tool_name: message.name };
  }
}

/** reasoning_effort as Ollama's `think`: off, or the level gpt-oss-style models take. */
export const THINK_LEVELS: Record<NonNullable<ChatRequest['reasoningEffort']>, boolean | string> = {
  none: false,
  minimal: 'low',
  low: 'low',
  medium: 'medium',
  high: 'high',
  xhigh: 'high',
};

export function toOllamaRequest(
  request: ChatRequest,
  model: string,
  stream: boolean,
): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  if (request.temperature !== undefined) options.temperature = request.temperature;
  if (request.maxTokens !== undefined) options.num_predict = request.maxTokens;
  if (request.stop?.length) options.stop = request.stop;
  if (request.topP !== undefined) options.top_p = request.topP;
  if (request.seed !== undefined) options.seed = request.seed;
  if (request.presencePenalty !== undefined) options.presence_penalty = request.presencePenalty;
  if (request.frequencyPenalty !== undefined) options.frequency_penalty = request.frequencyPenalty;
  return {
    model,
    messages: request.messages.map(wireMessage),
    ...(request.tools?.length &&
      request.toolChoice !== 'none' && {
        tools: request.tools.map((t) => ({
          type: 'function',
          function: { name: t.name, description: t.description, parameters: t.inputSchema },
        })),
      }),
    ...(request.responseFormat && {
      format: request.responseFormat.type === 'json_schema' ? request.responseFormat.schema : 'json',
    }),
    ...(request.reasoningEffort !== undefined && { think: THINK_LEVELS[request.reasoningEffort] }),
    // Ollama streams unless told otherwise, so the flag is always explicit.
    stream,
    ...(Object.keys(options).length > 0 && { options }),
  };
}

export interface WireLine {
  model?: string;
  message?: {
    content?: string;
    tool_calls?: { id?: string; function?: { name?: string; arguments?: unknown } }[];
  };
  done?: boolean;
  done_reason?: string;
  prompt_eval_count?: number;
  eval_count?: number;
  error?: unknown;
}

export function toolCallsFrom(line: WireLine): ToolCall[] {
  return (line.message?.tool_calls ?? []).map((call) => ({
    id: call.id || generatedToolCallId(),
    name: call.function?.name ?? '',
    arguments: toolArgumentsFrom(call.function?.arguments),
  }));
}

export function finishReasonFrom(doneReason: unknown, hasToolCalls: boolean): FinishReason {
  if (hasToolCalls) return 'tool_calls';
  return doneReason === 'length' ? 'length' : 'stop';
}

export function usageFrom(line: WireLine): Usage | null {
  if (typeof line.prompt_eval_count !== 'number' && typeof line.eval_count !== 'number') return null;
  const inputTokens = line.prompt_eval_count ?? 0;
  const outputTokens = line.eval_count ?? 0;
  return { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens };
}
