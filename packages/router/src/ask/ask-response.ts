import { z } from 'zod';
import { PROVIDER_NAMES } from '../providers/types.js';

/**
 * The /ask answer and its stream events: declared once here. The route documents and the
 * services type their answers with these schemas, and the client's types are generated from the
 * OpenAPI document built from them.
 */

export const providerNameSchema = z.enum(PROVIDER_NAMES);
const toolArgumentsSchema = z.record(z.string(), z.unknown());

export const usageSchema = z
  .object({
    input_tokens: z
      .number()
      .int()
      .nullable()
      .describe('Prompt tokens, cached ones included; null when the provider sent no usage.'),
    output_tokens: z.number().int().nullable().describe('Generated tokens; null when not reported.'),
    total_tokens: z.number().int().nullable().describe('Input plus output; null when not reported.'),
    cached_input_tokens: z
      .number()
      .int()
      .optional()
      .describe("Prompt tokens served from the provider's cache; only when the provider reports them."),
  })
  .describe('Token usage, summed over every model round trip of the request.');

export const executedToolCallSchema = z
  .object({
    id: z.string().describe('Call id issued by the provider (or the router).'),
    server: z
      .string()
      .nullable()
      .describe('MCP server that owns the tool; null when the model named a tool that does not exist.'),
    name: z.string().describe("The tool's name on its server."),
    arguments: toolArgumentsSchema.describe('Arguments the tool ran with, as an object.'),
    result: z
      .object({
        content: z.array(z.record(z.string(), z.unknown())).describe('MCP content blocks.'),
        structuredContent: z.unknown().optional().describe('MCP structured content, when the tool gave it.'),
      })
      .describe("The full MCP result, or the router's error text as one text block."),
    is_error: z.boolean().describe('Whether the tool reported an error.'),
    duration_ms: z.number().describe('How long the tool took.'),
  })
  .describe('A tool call the router executed, with its result.');

export const toolCallRecordSchema = executedToolCallSchema
  .partial({ server: true, result: true, is_error: true, duration_ms: true })
  .describe(
    'A tool call made while answering. server, result, is_error and duration_ms are present once the router ran the tool; a call the model only requested carries id, name and arguments.',
  );

export const confirmationSchema = z
  .object({
    id: z
      .string()
      .describe(
        'Approve or decline with POST /v1/confirmations/{id}, or send it back as confirm.id on the next POST /ask.',
      ),
    tool: z.string().describe('Tool that wants to run.'),
    server: z.string().nullable().describe('MCP server that owns the tool.'),
    arguments: toolArgumentsSchema.describe('Arguments it would run with.'),
    message: z.string().describe('What the call would do, for a human to judge.'),
    expires_at: z.string().describe('ISO 8601 time after which the confirmation is void.'),
  })
  .describe('A tool call held until a human says yes or no.');

export const FINISH_REASONS = [
  'stop',
  'length',
  'tool_calls',
  'content_filter',
  'confirmation_required',
] as const;

export const askResponseSchema = z
  .object({
    id: z.string().describe('Response id (the upstream one when the provider gives one).'),
    provider: providerNameSchema.describe(
      'Provider that answered (after a fallback, not the requested one).',
    ),
    model: z.string().describe('Model that answered, as the provider names it.'),
    content: z.string().describe('The answer text.'),
    parsed: z
      .unknown()
      .optional()
      .describe(
        'With response_format: the answer parsed as JSON and checked against the schema (content holds the same JSON as text).',
      ),
    message: z
      .object({ role: z.literal('assistant'), content: z.string() })
      .describe('The answer as a chat message, ready to append to a conversation.'),
    finish_reason: z.enum(FINISH_REASONS).describe('Why the answer ended.'),
    tool_calls: z.array(toolCallRecordSchema).describe('Tool calls made while answering, in order.'),
    usage: usageSchema,
    latency_ms: z.number().describe('Time spent inside the router for this request, upstream included.'),
    attempts: z
      .number()
      .int()
      .min(1)
      .describe('Upstream calls made for this answer, retries and fallbacks included.'),
    confirmation: confirmationSchema
      .optional()
      .describe('Present when finish_reason is confirmation_required.'),
  })
  .describe('The /ask answer; the same shape for every provider.');

/** The /ask answer, as the router sends it. */
export type AskAnswer = z.output<typeof askResponseSchema>;

export const deltaEventSchema = z
  .object({ text: z.string().describe('Text to append.') })
  .describe('A piece of answer text.');

export const toolCallEventSchema = z
  .object({
    id: z.string().describe('Call id.'),
    server: z.string().nullable().optional().describe('MCP server that owns the tool.'),
    name: z.string().describe('Tool name.'),
    arguments: toolArgumentsSchema.describe('Arguments the model passed.'),
  })
  .describe('A tool call the model made, before it runs.');

export const doneEventSchema = askResponseSchema
  .extend({
    router_overhead_ms: z
      .number()
      .describe('Time the router itself spent, without the waits for the provider and the tools.'),
  })
  .describe('The full answer; the last event of a successful stream.');
