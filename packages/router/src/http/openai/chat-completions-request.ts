import { z } from 'zod';
import { responseFormatSchema, toResponseFormat } from '../../completion/structured-output.js';
import { MAX_MESSAGE_CHARS } from '../../context-envelope/envelope.js';
import { RouterError } from '../../errors.js';
import type { ChatMessage, ChatRequest, ToolCall, ToolDefinition } from '../../providers/types.js';

const textPartSchema = z.object({ type: z.literal('text'), text: z.string().max(MAX_MESSAGE_CHARS) });
const contentSchema = z.union([z.string().max(MAX_MESSAGE_CHARS), z.array(textPartSchema).max(100)]);

const toolCallSchema = z.object({
  id: z.string().min(1).max(200),
  type: z.literal('function').optional(),
  function: z.object({ name: z.string().min(1).max(200), arguments: z.string().max(MAX_MESSAGE_CHARS) }),
});

/**
 * Fields an SDK echoes back on an assistant message it got from an answer (the openai SDK's
 * ChatCompletionMessage), empty: they say nothing the router would have to carry. Any other field
 * of a message (`name`, a non-empty `refusal` or `audio`, `cache_control`, …) is refused naming it
 * (strict objects), never stripped.
 */
const emptyEchoFields = {
  refusal: z.null().optional(),
  annotations: z.array(z.unknown()).max(0).nullish(),
  audio: z.null().optional(),
  function_call: z.null().optional(),
};

const messageSchema = z.discriminatedUnion('role', [
  z.object({ role: z.literal('system'), content: contentSchema }).strict(),
  z.object({ role: z.literal('developer'), content: contentSchema }).strict(),
  z.object({ role: z.literal('user'), content: contentSchema }).strict(),
  z
    .object({
      role: z.literal('assistant'),
      content: contentSchema.nullish(),
      tool_calls: z.array(toolCallSchema).max(128).optional(),
      ...emptyEchoFields,
    })
    .strict(),
  z
    .object({ role: z.literal('tool'), content: contentSchema, tool_call_id: z.string().min(1).max(200) })
    .strict(),
]);

const toolSchema = z.object({
  type: z.literal('function'),
  function: z
    .object({
      name: z.string().min(1).max(64),
      description: z.string().max(10_000).optional(),
      parameters: z.record(z.string(), z.unknown()).optional(),
      strict: z.boolean().nullish(),
    })
    .strict(),
});

const namedFunctionSchema = z
  .object({ type: z.literal('function'), function: z.object({ name: z.string().min(1).max(64) }).strict() })
  .strict();

const toolChoiceSchema = z.union([
  z.enum(['auto', 'none', 'required']),
  namedFunctionSchema,
  z
    .object({
      type: z.literal('allowed_tools'),
      allowed_tools: z
        .object({ mode: z.enum(['auto', 'required']), tools: z.array(namedFunctionSchema).min(1).max(128) })
        .strict(),
    })
    .strict(),
]);

/**
 * OpenAI's Chat Completions request. Every field it documents that the router models is
 * validated here and mapped into ChatRequest; each provider then passes, maps or refuses it
 * (providers/parameters.ts). A field not listed here is refused with a 400 naming it, unless the
 * operator lets it through to OpenAI-compatible upstreams (ROUTER_PASS_THROUGH_FIELDS): hence
 * `loose()`, so the route sees those fields at all.
 */
export const chatCompletionsRequestSchema = z
  .object({
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
    tool_choice: toolChoiceSchema
      .optional()
      .describe(
        'auto, none, required, a named function, or allowed_tools (the router narrows tools to the allowed ones).',
      ),
    parallel_tool_calls: z.boolean().nullish().describe('false: at most one tool call per answer.'),
    response_format: responseFormatSchema
      .nullish()
      .describe(
        'text, json_object or json_schema (strict included), on every provider; the router checks the answer against the schema (502 when it does not match).',
      ),
    temperature: z.number().min(0).max(2).nullish().describe('Sampling temperature, 0 to 2.'),
    top_p: z.number().min(0).max(1).nullish().describe('Nucleus sampling, 0 to 1.'),
    max_tokens: z.number().int().min(1).nullish().describe('Upper bound on generated tokens.'),
    max_completion_tokens: z
      .number()
      .int()
      .min(1)
      .nullish()
      .describe('Same as max_tokens (newer OpenAI name); wins when both are given.'),
    stop: z
      .union([z.string().min(1).max(1000), z.array(z.string().min(1).max(1000)).max(4)])
      .nullish()
      .describe('Up to 4 stop sequences.'),
    seed: z.number().int().nullish().describe('Best-effort deterministic sampling.'),
    presence_penalty: z.number().min(-2).max(2).nullish().describe('-2 to 2.'),
    frequency_penalty: z.number().min(-2).max(2).nullish().describe('-2 to 2.'),
    logit_bias: z
      .record(z.string().regex(/^\d+$/, 'a token id'), z.number().min(-100).max(100))
      .nullish()
      .describe('Token id to bias, -100 to 100.'),
    logprobs: z.boolean().nullish().describe('Return log probabilities in choices[].logprobs.'),
    top_logprobs: z.number().int().min(0).max(20).nullish().describe('Needs logprobs: true.'),
    n: z
      .number()
      .int()
      .min(1)
      .max(128)
      .nullish()
      .describe(
        'Number of choices: openai and azure return them all (not with stream); elsewhere n > 1 is a 400.',
      ),
    user: z.string().max(256).nullish().describe("End-user id, for the provider's abuse monitoring."),
    reasoning_effort: z
      .enum(['none', 'minimal', 'low', 'medium', 'high', 'xhigh'])
      .nullish()
      .describe('Reasoning effort of reasoning models (Ollama: think).'),
    metadata: z
      .record(z.string().max(64), z.string().max(512))
      .nullish()
      .refine((value) => value == null || Object.keys(value).length <= 16, 'at most 16 keys')
      .describe('Up to 16 string pairs stored with the request by the provider.'),
    service_tier: z
      .enum(['auto', 'default', 'flex', 'scale', 'priority'])
      .nullish()
      .describe('Processing tier (Anthropic: auto or standard_only).'),
    stream: z
      .boolean()
      .nullish()
      .describe('true answers with chat.completion.chunk events, then data: [DONE].'),
    stream_options: z
      .object({ include_usage: z.boolean().optional() })
      .strict()
      .nullish()
      .describe('include_usage adds a usage chunk when the provider reported usage.'),
  })
  .loose()
  .superRefine((body, ctx) => {
    if (body.top_logprobs != null && body.logprobs !== true)
      ctx.addIssue({ code: 'custom', path: ['top_logprobs'], message: 'needs logprobs: true' });
    const choice = body.tool_choice;
    const toolNames = new Set(body.tools?.map((tool) => tool.function.name));
    if (choice !== undefined && choice !== 'none' && choice !== 'auto' && !body.tools?.length)
      ctx.addIssue({ code: 'custom', path: ['tool_choice'], message: 'needs tools' });
    const named =
      typeof choice !== 'object'
        ? []
        : choice.type === 'function'
          ? [choice.function.name]
          : choice.allowed_tools.tools.map((tool) => tool.function.name);
    for (const name of named) {
      if (body.tools?.length && !toolNames.has(name))
        ctx.addIssue({ code: 'custom', path: ['tool_choice'], message: `no tool named ${name}` });
    }
  });

/** The fields the schema above models: anything else in a body is a pass-through candidate. */
export const CHAT_COMPLETIONS_FIELDS: ReadonlySet<string> = new Set(
  Object.keys(chatCompletionsRequestSchema.shape),
);

export type ChatCompletionsRequest = z.infer<typeof chatCompletionsRequestSchema>;

const textOf = (content: z.infer<typeof contentSchema> | null | undefined): string =>
  content == null ? '' : typeof content === 'string' ? content : content.map((part) => part.text).join('');

export class ToolArgumentsError extends Error {
  constructor(readonly path: string) {
    super('tool call arguments must be a JSON object string');
  }
}

/** Maps the OpenAI request onto the router's provider-neutral ChatRequest (model filled in later). */
export function toChatRequest(
  body: ChatCompletionsRequest,
  options: { passThroughFields: readonly string[] } = { passThroughFields: [] },
): Omit<ChatRequest, 'model'> {
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
  let tools = body.tools ?? [];
  const choice = body.tool_choice;
  if (typeof choice === 'object' && choice.type === 'allowed_tools') {
    // Served by the router for every provider: only the allowed tools are offered.
    const allowed = new Set(choice.allowed_tools.tools.map((tool) => tool.function.name));
    tools = tools.filter((tool) => allowed.has(tool.function.name));
    chat.toolChoice = choice.allowed_tools.mode;
  } else if (typeof choice === 'object') {
    chat.toolChoice = { name: choice.function.name };
  } else if (choice !== undefined) {
    chat.toolChoice = choice;
  }
  if (tools.length) {
    chat.tools = tools.map(
      (tool): ToolDefinition => ({
        name: tool.function.name,
        description: tool.function.description ?? '',
        inputSchema: tool.function.parameters ?? { type: 'object', properties: {} },
        ...(tool.function.strict != null && { strict: tool.function.strict }),
      }),
    );
  }
  const responseFormat = toResponseFormat(body.response_format);
  if (responseFormat) chat.responseFormat = responseFormat;
  if (body.temperature != null) chat.temperature = body.temperature;
  const maxTokens = body.max_completion_tokens ?? body.max_tokens;
  if (maxTokens != null) chat.maxTokens = maxTokens;
  if (body.stop != null) chat.stop = typeof body.stop === 'string' ? [body.stop] : body.stop;
  if (body.top_p != null) chat.topP = body.top_p;
  if (body.seed != null) chat.seed = body.seed;
  if (body.presence_penalty != null) chat.presencePenalty = body.presence_penalty;
  if (body.frequency_penalty != null) chat.frequencyPenalty = body.frequency_penalty;
  if (body.logit_bias != null) chat.logitBias = body.logit_bias;
  if (body.logprobs != null) chat.logprobs = body.logprobs;
  if (body.top_logprobs != null) chat.topLogprobs = body.top_logprobs;
  if (body.n != null) chat.n = body.n;
  if (body.parallel_tool_calls != null) chat.parallelToolCalls = body.parallel_tool_calls;
  if (body.user != null) chat.user = body.user;
  if (body.reasoning_effort != null) chat.reasoningEffort = body.reasoning_effort;
  if (body.metadata != null) chat.metadata = body.metadata;
  if (body.service_tier != null) chat.serviceTier = body.service_tier;
  const passThrough = passThroughFields(body, options.passThroughFields);
  if (passThrough) chat.passThrough = passThrough;
  return chat;
}

/**
 * The body's fields the router does not model: those the operator allows go through (each
 * provider's table then passes or refuses them), any other is a 400 naming it.
 */
function passThroughFields(
  body: Record<string, unknown>,
  allowed: readonly string[],
): Record<string, unknown> | undefined {
  let passThrough: Record<string, unknown> | undefined;
  for (const [field, value] of Object.entries(body)) {
    if (CHAT_COMPLETIONS_FIELDS.has(field)) continue;
    if (!allowed.includes(field) && !allowed.includes('*')) {
      throw new RouterError(
        400,
        'unknown_parameter',
        `Unknown parameter: ${field.slice(0, 64)} (the router refuses fields it does not model; an operator can pass them to OpenAI-compatible upstreams with ROUTER_PASS_THROUGH_FIELDS)`,
        { issues: [{ path: field.slice(0, 64), message: 'unknown parameter' }] },
      );
    }
    passThrough = { ...passThrough, [field]: value };
  }
  return passThrough;
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
