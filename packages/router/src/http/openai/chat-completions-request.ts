import { z } from 'zod';
import { MAX_MESSAGE_CHARS } from '../../context-envelope/envelope.js';
import type { ChatMessage, ChatRequest, ToolCall, ToolDefinition } from '../../providers/types.js';

/**
 * The subset of OpenAI's Chat Completions request the router understands. Unknown fields are
 * ignored (SDKs send many), known ones are validated.
 */
const textPartSchema = z.object({ type: z.literal('text'), text: z.string().max(MAX_MESSAGE_CHARS) });
const contentSchema = z.union([z.string().max(MAX_MESSAGE_CHARS), z.array(textPartSchema).max(100)]);

const toolCallSchema = z.object({
  id: z.string().min(1).max(200),
  type: z.literal('function').optional(),
  function: z.object({ name: z.string().min(1).max(200), arguments: z.string().max(MAX_MESSAGE_CHARS) }),
});

const messageSchema = z.discriminatedUnion('role', [
  z.object({ role: z.literal('system'), content: contentSchema }),
  z.object({ role: z.literal('developer'), content: contentSchema }),
  z.object({ role: z.literal('user'), content: contentSchema }),
  z.object({
    role: z.literal('assistant'),
    content: contentSchema.nullish(),
    tool_calls: z.array(toolCallSchema).max(128).optional(),
  }),
  z.object({ role: z.literal('tool'), content: contentSchema, tool_call_id: z.string().min(1).max(200) }),
]);

const toolSchema = z.object({
  type: z.literal('function'),
  function: z.object({
    name: z.string().min(1).max(64),
    description: z.string().max(10_000).optional(),
    parameters: z.record(z.string(), z.unknown()).optional(),
  }),
});

export const chatCompletionsRequestSchema = z.object({
  model: z
    .string()
    .min(1)
    .max(200)
    .describe('"provider/model" picks the provider; a plain name goes to the default provider.'),
  messages: z
    .array(messageSchema)
    .min(1)
    .max(500)
    .describe('OpenAI messages, tool turns included; text content parts are joined.'),
  provider: z
    .string()
    .min(1)
    .max(64)
    .optional()
    .describe('Router extension: pick the provider without a "provider/" model prefix.'),
  tools: z.array(toolSchema).max(128).optional().describe('OpenAI function tools, passed to any provider.'),
  tool_choice: z
    .union([
      z.enum(['auto', 'none', 'required']),
      z.object({ type: z.literal('function'), function: z.object({ name: z.string() }) }),
    ])
    .optional()
    .describe('auto, none, required, or a named function (sent as required).'),
  temperature: z.number().min(0).max(2).nullish().describe('Sampling temperature, 0 to 2.'),
  max_tokens: z.number().int().min(1).nullish().describe('Upper bound on generated tokens.'),
  max_completion_tokens: z
    .number()
    .int()
    .min(1)
    .nullish()
    .describe('Same as max_tokens (newer OpenAI name).'),
  stream: z
    .boolean()
    .nullish()
    .describe('true answers with chat.completion.chunk events, then data: [DONE].'),
  stream_options: z
    .object({ include_usage: z.boolean().optional() })
    .nullish()
    .describe('include_usage adds a usage chunk when the provider reported usage.'),
});

export type ChatCompletionsRequest = z.infer<typeof chatCompletionsRequestSchema>;

const textOf = (content: z.infer<typeof contentSchema> | null | undefined): string =>
  content == null ? '' : typeof content === 'string' ? content : content.map((part) => part.text).join('');

export class ToolArgumentsError extends Error {
  constructor(readonly path: string) {
    super('tool call arguments must be a JSON object string');
  }
}

/** Maps the OpenAI request onto the router's provider-neutral ChatRequest (model filled in later). */
export function toChatRequest(body: ChatCompletionsRequest): Omit<ChatRequest, 'model'> {
  const toolNames = new Map<string, string>();
  const messages = body.messages.map((message, index): ChatMessage => {
    switch (message.role) {
      case 'system':
      case 'developer':
        return { role: 'system', content: textOf(message.content) };
      case 'assistant': {
        const assistant: ChatMessage = { role: 'assistant', content: textOf(message.content) };
        if (message.tool_calls?.length) {
          assistant.toolCalls = message.tool_calls.map((call, callIndex): ToolCall => {
            toolNames.set(call.id, call.function.name);
            return {
              id: call.id,
              name: call.function.name,
              arguments: parseArguments(
                call.function.arguments,
                `messages.${index}.tool_calls.${callIndex}.function.arguments`,
              ),
            };
          });
        }
        return assistant;
      }
      case 'tool':
        return {
          role: 'tool',
          toolCallId: message.tool_call_id,
          name: toolNames.get(message.tool_call_id) ?? '',
          content: textOf(message.content),
        };
      default:
        return { role: 'user', content: textOf(message.content) };
    }
  });

  const chat: Omit<ChatRequest, 'model'> = { messages };
  if (body.tools?.length) {
    chat.tools = body.tools.map(
      (tool): ToolDefinition => ({
        name: tool.function.name,
        description: tool.function.description ?? '',
        inputSchema: tool.function.parameters ?? { type: 'object', properties: {} },
      }),
    );
  }
  if (body.tool_choice !== undefined) {
    // A named function has no provider-neutral form; "required" is the closest promise.
    chat.toolChoice = typeof body.tool_choice === 'string' ? body.tool_choice : 'required';
  }
  if (body.temperature != null) chat.temperature = body.temperature;
  const maxTokens = body.max_completion_tokens ?? body.max_tokens;
  if (maxTokens != null) chat.maxTokens = maxTokens;
  return chat;
}

function parseArguments(text: string, path: string): Record<string, unknown> {
  if (text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ToolArgumentsError(path);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new ToolArgumentsError(path);
  return value as Record<string, unknown>;
}
