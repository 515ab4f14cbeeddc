import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { confirmationSchema } from '../../../ask/ask-response.js';
import { confirmationOf } from '../../../completion/answer-confirmation.js';
import type { ChatResult, ToolCall, Usage } from '../../../providers/types.js';
import type { ResponsesRequest } from './responses-request.js';

/** A response id: OpenAI's prefix and random hex. */
export const newResponseId = () => `resp_${randomBytes(24).toString('hex')}`;

/**
 * An output item's id names its response and place (msg_<hex>_0, fc_<hex>_1), so an
 * `item_reference` in a later request finds the stored response that holds it.
 */
export const outputItemId = (prefix: 'msg' | 'fc', responseId: string, index: number) =>
  `${prefix}_${responseId.slice('resp_'.length)}_${index}`;

export function responseIdOfItem(itemId: string): string | undefined {
  const match = /^(?:msg|fc)_([0-9a-f]{48})_\d{1,4}$/.exec(itemId);
  return match ? `resp_${match[1]}` : undefined;
}

const outputTextSchema = z.object({
  type: z.literal('output_text'),
  text: z.string(),
  annotations: z.array(z.unknown()).describe('Always empty.'),
  logprobs: z.array(z.unknown()).describe('Always empty.'),
});

const messageOutputSchema = z.object({
  id: z.string(),
  type: z.literal('message'),
  status: z.enum(['in_progress', 'completed', 'incomplete']),
  role: z.literal('assistant'),
  content: z.array(outputTextSchema),
});

const functionCallOutputSchema = z.object({
  id: z.string(),
  type: z.literal('function_call'),
  status: z.enum(['in_progress', 'completed', 'incomplete']),
  call_id: z.string().describe('Send it back as function_call_output.call_id.'),
  name: z.string(),
  arguments: z.string().describe('JSON object as a string.'),
});

export const responseOutputItemSchema = z.discriminatedUnion('type', [
  messageOutputSchema,
  functionCallOutputSchema,
]);
export type ResponseOutputItem = z.infer<typeof responseOutputItemSchema>;
export type MessageOutput = z.infer<typeof messageOutputSchema>;
export type FunctionCallOutput = z.infer<typeof functionCallOutputSchema>;

const responseUsageSchema = z.object({
  input_tokens: z.number().int(),
  input_tokens_details: z.object({ cached_tokens: z.number().int() }),
  output_tokens: z.number().int(),
  output_tokens_details: z.object({
    reasoning_tokens: z.number().int().describe('0: no provider reports reasoning tokens to the router yet.'),
  }),
  total_tokens: z.number().int(),
});

/** The response object: what POST /v1/responses answers, GET returns, and stream events carry. */
export const responseObjectSchema = z
  .object({
    id: z.string().describe('resp_...; pass it as previous_response_id to continue.'),
    object: z.literal('response'),
    created_at: z.number().int().describe('Unix time in seconds.'),
    status: z.enum(['in_progress', 'completed', 'incomplete', 'failed']),
    error: z
      .object({ code: z.string(), message: z.string() })
      .nullable()
      .describe('Set when status is failed (a stream that failed after it started).'),
    incomplete_details: z.object({ reason: z.enum(['max_output_tokens', 'content_filter']) }).nullable(),
    instructions: z.string().nullable(),
    max_output_tokens: z.number().int().nullable(),
    model: z.string(),
    output: z.array(responseOutputItemSchema),
    parallel_tool_calls: z.boolean(),
    previous_response_id: z.string().nullable(),
    reasoning: z.object({ effort: z.string().nullable(), summary: z.null() }),
    store: z.boolean(),
    temperature: z.number().nullable(),
    text: z.object({ format: z.record(z.string(), z.unknown()) }),
    tool_choice: z.union([z.string(), z.object({ type: z.literal('function'), name: z.string() })]),
    tools: z.array(z.record(z.string(), z.unknown())),
    top_p: z.number().nullable(),
    truncation: z.literal('disabled'),
    usage: responseUsageSchema
      .nullable()
      .describe('null while in progress or when the provider reported none.'),
    user: z.string().nullable(),
    safety_identifier: z.string().nullable(),
    metadata: z.record(z.string(), z.string()),
    service_tier: z.string().nullable(),
    confirmation: confirmationSchema
      .optional()
      .describe(
        'Router extension: the answer stopped at a tool call waiting for a human (tool loop opted in); the output text is the question.',
      ),
  })
  .describe('OpenAI Responses API response object.');

export type ResponseObject = z.infer<typeof responseObjectSchema>;

export function responseUsage(usage: Usage): NonNullable<ResponseObject['usage']> {
  return {
    input_tokens: usage.inputTokens,
    input_tokens_details: { cached_tokens: usage.cachedInputTokens ?? 0 },
    output_tokens: usage.outputTokens,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: usage.totalTokens,
  };
}

export const outputText = (text: string) => ({
  type: 'output_text' as const,
  text,
  annotations: [] as unknown[],
  logprobs: [] as unknown[],
});

export const messageOutput = (id: string, text: string, status: MessageOutput['status']): MessageOutput => ({
  id,
  type: 'message',
  status,
  role: 'assistant',
  content: status === 'in_progress' ? [] : [outputText(text)],
});

export const functionCallOutput = (
  id: string,
  call: ToolCall,
  status: FunctionCallOutput['status'],
): FunctionCallOutput => ({
  id,
  type: 'function_call',
  status,
  call_id: call.id,
  name: call.name,
  arguments: status === 'in_progress' ? '' : JSON.stringify(call.arguments),
});

/** The output items of a whole answer: its text as one message (when any, or when nothing else), then its calls. */
export function outputItems(result: ChatResult, responseId: string): ResponseOutputItem[] {
  const items: ResponseOutputItem[] = [];
  const status =
    result.finishReason === 'length' || result.finishReason === 'content_filter' ? 'incomplete' : 'completed';
  if (result.content || !result.toolCalls.length)
    items.push(messageOutput(outputItemId('msg', responseId, items.length), result.content, status));
  for (const call of result.toolCalls)
    items.push(functionCallOutput(outputItemId('fc', responseId, items.length), call, 'completed'));
  return items;
}

/** What a response echoes of its request, the same in every event of a stream and in the stored copy. */
export interface ResponseFrame {
  id: string;
  createdAt: number;
  model: string;
  body: ResponsesRequest;
  store: boolean;
}

/** The response object in a given state; `result` is the answer once there is one. */
export function responseObject(
  frame: ResponseFrame,
  state:
    | { status: 'in_progress' }
    | { status: 'completed'; result: ChatResult; output: ResponseOutputItem[] }
    | { status: 'failed'; error: { code: string; message: string }; output: ResponseOutputItem[] },
): ResponseObject {
  const { body } = frame;
  const response: ResponseObject = {
    id: frame.id,
    object: 'response',
    created_at: frame.createdAt,
    status: 'in_progress',
    error: null,
    incomplete_details: null,
    instructions: body.instructions ?? null,
    max_output_tokens: body.max_output_tokens ?? null,
    model: frame.model,
    output: [],
    parallel_tool_calls: body.parallel_tool_calls ?? true,
    previous_response_id: body.previous_response_id ?? null,
    reasoning: { effort: body.reasoning?.effort ?? null, summary: null },
    store: frame.store,
    temperature: body.temperature ?? null,
    text: { format: body.text?.format ?? { type: 'text' } },
    tool_choice: body.tool_choice ?? 'auto',
    tools: (body.tools ?? []).map((tool) => ({
      type: 'function',
      name: tool.name,
      description: tool.description ?? null,
      parameters: tool.parameters ?? null,
      strict: tool.strict ?? null,
    })),
    top_p: body.top_p ?? null,
    truncation: 'disabled',
    usage: null,
    user: body.user ?? null,
    safety_identifier: body.safety_identifier ?? null,
    metadata: body.metadata ?? {},
    service_tier: body.service_tier ?? null,
  };
  if (state.status === 'failed') {
    response.status = 'failed';
    response.error = state.error;
    response.output = state.output;
  } else if (state.status === 'completed') {
    const { result } = state;
    response.model = result.model || frame.model;
    response.output = state.output;
    if (result.finishReason === 'length' || result.finishReason === 'content_filter') {
      response.status = 'incomplete';
      response.incomplete_details = {
        reason: result.finishReason === 'length' ? 'max_output_tokens' : 'content_filter',
      };
    } else response.status = 'completed';
    if (result.usage) response.usage = responseUsage(result.usage);
    const confirmation = confirmationOf(result);
    if (confirmation) response.confirmation = confirmation;
  }
  // usage last: the TPM meter reads total_tokens from the tail of the body (admission/token-meter.ts).
  const { usage, ...rest } = response;
  return { ...rest, usage };
}
