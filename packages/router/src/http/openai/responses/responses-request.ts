import { z } from 'zod';
import { MAX_MESSAGE_CHARS } from '../../../context-envelope/envelope.js';
import type { ValidationIssue } from '../../../errors.js';
import type {
  ChatMessage,
  ChatRequest,
  ResponseFormat,
  ToolCall,
  ToolDefinition,
} from '../../../providers/types.js';

/**
 * OpenAI's Responses API request (POST /v1/responses) as far as the router can honour it. Every field
 * the API defines is declared: those the router maps are validated, those it cannot honour (built-in
 * tools, background mode, server-side conversations, prompt templates...) are refused with 400
 * naming the field when set, and a field the API does not define is refused as an unknown
 * parameter, as OpenAI does. Nothing is dropped.
 */

const text = z.string().max(MAX_MESSAGE_CHARS);
const id = z.string().min(1).max(200);

const inputTextPart = z.object({ type: z.literal('input_text'), text });
const outputTextPart = z.object({
  type: z.literal('output_text'),
  text,
  annotations: z.array(z.unknown()).max(0, 'annotations are not supported').optional(),
  logprobs: z.array(z.unknown()).optional(),
});
const refusalPart = z.object({ type: z.literal('refusal'), refusal: text });
const contentPart = z.discriminatedUnion(
  'type',
  [inputTextPart, outputTextPart, refusalPart],
  'only text content parts are supported (input_text, output_text, refusal)',
);

const messageItem = z.object({
  type: z.literal('message').optional(),
  role: z.enum(['user', 'assistant', 'system', 'developer']),
  content: z.union([text, z.array(contentPart).max(100)]),
  id: id.optional(),
  status: z.enum(['in_progress', 'completed', 'incomplete']).optional(),
});
const functionCallItem = z.object({
  type: z.literal('function_call'),
  call_id: id,
  name: z.string().min(1).max(200),
  arguments: text.describe('JSON object as a string.'),
  id: id.optional(),
  status: z.enum(['in_progress', 'completed', 'incomplete']).optional(),
});
const functionCallOutputItem = z.object({
  type: z.literal('function_call_output'),
  call_id: id,
  output: z.union([text, z.array(inputTextPart).max(100)]),
  id: id.nullish(),
  status: z.enum(['in_progress', 'completed', 'incomplete']).nullish(),
});

const itemReference = z.object({
  type: z.literal('item_reference'),
  id: id.describe('An output item of a stored response of this principal (msg_... or fc_...).'),
});

export const responsesInputItemSchema = z.discriminatedUnion(
  'type',
  [messageItem, functionCallItem, functionCallOutputItem, itemReference],
  'only message, function_call, function_call_output and item_reference items are supported',
);

const functionTool = z.object({
  type: z.literal(
    'function',
    'only function tools are supported: the router runs no built-in tools (web_search, file_search, code_interpreter, computer_use, mcp...)',
  ),
  name: z.string().min(1).max(64),
  description: z.string().max(10_000).nullish(),
  parameters: z.record(z.string(), z.unknown()).nullish(),
  strict: z.boolean().nullish(),
});

/** A field the router cannot honour: accepted only when absent, null or the API's "off" value. */
const refused = <T extends z.ZodType>(schema: T, what: string, isOff: (value: z.infer<T>) => boolean) =>
  schema
    .nullish()
    .refine((value) => value == null || isOff(value as z.infer<T>), `${what} is not supported by the router`)
    .describe(`Refused with 400 when set: ${what} is not supported by the router.`);

const never = () => false;

const responsesRequestShape = {
  model: z
    .string()
    .min(1)
    .max(200)
    .optional()
    .describe(
      '"provider/model" picks the provider; a plain name goes to the default provider; absent: the default provider\'s default model.',
    ),
  provider: z
    .string()
    .min(1)
    .max(64)
    .optional()
    .describe('Router extension: pick the provider without a "provider/" model prefix.'),
  input: z
    .union([text, z.array(responsesInputItemSchema).max(500)])
    .optional()
    .describe('A user message, or items: messages (text parts), function_call and function_call_output.'),
  instructions: text.nullish().describe('A system message put first; not carried by previous_response_id.'),
  tools: z.array(functionTool).max(128).optional().describe('Function tools, offered to any provider.'),
  tool_choice: z
    .union([
      z.enum(['auto', 'none', 'required']),
      z.object({ type: z.literal('function'), name: z.string().min(1).max(64) }),
    ])
    .optional()
    .describe('auto, none, required, or {type:"function", name}.'),
  parallel_tool_calls: z.boolean().nullish().describe('Whether the model may call several tools at once.'),
  temperature: z.number().min(0).max(2).nullish().describe('Sampling temperature, 0 to 2.'),
  top_p: z.number().min(0).max(1).nullish().describe('Nucleus sampling, 0 to 1.'),
  max_output_tokens: z.number().int().min(1).nullish().describe('Upper bound on generated tokens.'),
  text: z
    .object({
      format: z
        .discriminatedUnion('type', [
          z.object({ type: z.literal('text') }),
          z.object({ type: z.literal('json_object') }),
          z.object({
            type: z.literal('json_schema'),
            name: z.string().min(1).max(64),
            schema: z.record(z.string(), z.unknown()),
            description: refused(z.string(), 'text.format.description', never),
            strict: z.boolean().nullish(),
          }),
        ])
        .optional(),
      verbosity: refused(z.enum(['low', 'medium', 'high']), 'text.verbosity', never),
    })
    .optional()
    .describe('text.format: text, json_object or json_schema (structured output).'),
  reasoning: z
    .object({
      effort: z.enum(['none', 'minimal', 'low', 'medium', 'high', 'xhigh']).nullish(),
      summary: refused(z.enum(['auto', 'concise', 'detailed']), 'reasoning.summary', never),
      generate_summary: refused(z.enum(['auto', 'concise', 'detailed']), 'reasoning.generate_summary', never),
    })
    .nullish()
    .describe('reasoning.effort is passed to the provider; summaries are refused.'),
  user: z.string().max(256).optional().describe('End-user id for the provider (as safety_identifier).'),
  safety_identifier: z.string().max(256).nullish().describe('End-user id for the provider.'),
  metadata: z
    .record(z.string().max(64), z.string().max(512))
    .refine((value) => Object.keys(value).length <= 16, 'at most 16 keys')
    .nullish()
    .describe('Up to 16 string pairs, passed to the provider and echoed on the response.'),
  service_tier: z
    .enum(['auto', 'default', 'flex', 'scale', 'priority'])
    .nullish()
    .describe('Passed to the provider as its service tier.'),
  store: z
    .boolean()
    .nullish()
    .describe(
      'Default true: the input and output items are kept for previous_response_id and GET, for this API key only.',
    ),
  previous_response_id: id
    .nullish()
    .describe("Continue a stored response of this principal's (another's is 404, like an unknown id)."),
  stream: z.boolean().nullish().describe('true answers with the typed response.* events.'),
  stream_options: z
    .object({
      include_obfuscation: refused(
        z.boolean(),
        'stream_options.include_obfuscation (the router adds no obfuscation)',
        (value) => value === false,
      ),
    })
    .nullish(),
  background: refused(z.boolean(), 'background', (value) => value === false),
  conversation: refused(z.unknown(), 'conversation (use previous_response_id)', never),
  context_management: refused(z.array(z.unknown()), 'context_management', (value) => value.length === 0),
  include: refused(z.array(z.string()), 'include', (value) => value.length === 0),
  moderation: refused(z.unknown(), 'moderation', never),
  prompt: refused(z.unknown(), 'prompt (prompt templates)', never),
  prompt_cache_key: refused(z.string(), 'prompt_cache_key', never),
  prompt_cache_options: refused(z.unknown(), 'prompt_cache_options', never),
  prompt_cache_retention: refused(z.string(), 'prompt_cache_retention', never),
  top_logprobs: refused(z.number(), 'top_logprobs', (value) => value === 0),
  truncation: refused(z.enum(['auto', 'disabled']), 'truncation "auto"', (value) => value === 'disabled'),
  max_tool_calls: refused(z.number(), 'max_tool_calls', never),
};

const KNOWN_FIELDS = new Set(Object.keys(responsesRequestShape));

export const responsesRequestSchema = z
  .looseObject(responsesRequestShape)
  .superRefine((body, ctx) => {
    for (const key of Object.keys(body))
      if (!KNOWN_FIELDS.has(key)) ctx.addIssue({ code: 'custom', path: [key], message: 'Unknown parameter' });
    if (body.input === undefined && !body.previous_response_id)
      ctx.addIssue({ code: 'custom', path: ['input'], message: 'Required (or previous_response_id)' });
    if (body.user && body.safety_identifier && body.user !== body.safety_identifier)
      ctx.addIssue({
        code: 'custom',
        path: ['safety_identifier'],
        message: 'differs from user: give one end-user id',
      });
  })
  .describe('OpenAI Responses API request.');

export type ResponsesRequest = z.infer<typeof responsesRequestSchema>;
export type ResponsesInputItem = z.infer<typeof responsesInputItemSchema>;

/** A request that is well-formed but inconsistent (a tool output naming no call, bad arguments). */
export class ResponsesInputError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
  get issue(): ValidationIssue {
    return { path: this.path, message: this.message };
  }
}

const partText = (part: z.infer<typeof contentPart>) => (part.type === 'refusal' ? part.refusal : part.text);

const contentText = (content: string | z.infer<typeof contentPart>[]) =>
  typeof content === 'string' ? content : content.map(partText).join('');

/**
 * The input items as the router's messages, after `prior` (a stored conversation): consecutive
 * function_call items become one assistant turn (parallel calls), a function_call_output needs the
 * call it answers, in `prior` or earlier in `items`.
 */
export function inputMessages(
  input: ResponsesRequest['input'],
  prior: readonly ChatMessage[] = [],
): ChatMessage[] {
  if (input === undefined) return [];
  if (typeof input === 'string') return [{ role: 'user', content: input }];
  const toolNames = new Map<string, string>();
  for (const message of prior)
    if (message.role === 'assistant')
      for (const call of message.toolCalls ?? []) toolNames.set(call.id, call.name);
  const messages: ChatMessage[] = [];
  input.forEach((item, index) => {
    switch (item.type) {
      case 'item_reference':
        // Resolved against the store before mapping (see resolveItemReferences); one left is unknown.
        throw new ResponsesInputError(`input.${index}.id`, `Item with id '${item.id}' not found.`);
      case 'function_call': {
        const call: ToolCall = {
          id: item.call_id,
          name: item.name,
          arguments: parseArguments(item.arguments, `input.${index}.arguments`),
        };
        toolNames.set(call.id, call.name);
        const last = messages.at(-1);
        if (last?.role === 'assistant') last.toolCalls = [...(last.toolCalls ?? []), call];
        else messages.push({ role: 'assistant', content: '', toolCalls: [call] });
        return;
      }
      case 'function_call_output': {
        const name = toolNames.get(item.call_id);
        if (name === undefined)
          throw new ResponsesInputError(
            `input.${index}.call_id`,
            `No function call found with call_id ${item.call_id} (send its function_call item, or previous_response_id)`,
          );
        const output =
          typeof item.output === 'string' ? item.output : item.output.map((part) => part.text).join('');
        messages.push({ role: 'tool', toolCallId: item.call_id, name, content: output });
        return;
      }
      default: {
        const content = contentText(item.content);
        if (item.role === 'system' || item.role === 'developer') messages.push({ role: 'system', content });
        else if (item.role === 'assistant') messages.push({ role: 'assistant', content });
        else messages.push({ role: 'user', content });
      }
    }
  });
  return messages;
}

/** The generation controls of a Responses request in ChatRequest terms (messages and model apart). */
export function generationOptions(body: ResponsesRequest): Omit<ChatRequest, 'model' | 'messages'> {
  const chat: Omit<ChatRequest, 'model' | 'messages'> = {};
  if (body.tools?.length) {
    chat.tools = body.tools.map(
      (tool): ToolDefinition => ({
        name: tool.name,
        description: tool.description ?? '',
        inputSchema: tool.parameters ?? { type: 'object', properties: {} },
      }),
    );
  }
  if (body.tool_choice !== undefined)
    chat.toolChoice =
      typeof body.tool_choice === 'string' ? body.tool_choice : { name: body.tool_choice.name };
  if (body.temperature != null) chat.temperature = body.temperature;
  if (body.top_p != null) chat.topP = body.top_p;
  if (body.max_output_tokens != null) chat.maxTokens = body.max_output_tokens;
  const format = responseFormat(body.text?.format);
  if (format) chat.responseFormat = format;
  if (body.parallel_tool_calls != null) chat.parallelToolCalls = body.parallel_tool_calls;
  const user = body.safety_identifier ?? body.user;
  if (user) chat.user = user;
  if (body.metadata) chat.metadata = body.metadata;
  if (body.reasoning?.effort) chat.reasoningEffort = body.reasoning.effort;
  if (body.service_tier) chat.serviceTier = body.service_tier;
  return chat;
}

function responseFormat(format: NonNullable<ResponsesRequest['text']>['format']): ResponseFormat | undefined {
  if (!format || format.type === 'text') return undefined;
  if (format.type === 'json_object') return { type: 'json_object' };
  const schema: ResponseFormat = { type: 'json_schema', name: format.name, schema: format.schema };
  if (format.strict != null) schema.strict = format.strict;
  return schema;
}

function parseArguments(source: string, path: string): Record<string, unknown> {
  if (source.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(source);
  } catch {
    value = undefined;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new ResponsesInputError(path, 'function call arguments must be a JSON object string');
  return value as Record<string, unknown>;
}
