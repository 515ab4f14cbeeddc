import { z } from 'zod';
import { confirmationSchema } from '../../ask/ask-response.js';
import { confirmationOf } from '../../completion/answer-confirmation.js';
import type { ChatChoice, ChatResult, ToolCall, Usage } from '../../providers/types.js';

const openAiToolCallSchema = z.object({
  id: z.string(),
  type: z.literal('function'),
  function: z.object({ name: z.string(), arguments: z.string().describe('JSON object as a string.') }),
});

/** What POST /v1/chat/completions answers without stream (chatCompletion() builds it). */
export const chatCompletionSchema = z
  .object({
    id: z.string(),
    object: z.literal('chat.completion'),
    created: z.number().int().describe('Unix time in seconds.'),
    model: z.string(),
    choices: z.array(
      z.object({
        index: z.number().int(),
        message: z.object({
          role: z.literal('assistant'),
          content: z.string().nullable(),
          refusal: z.null(),
          tool_calls: z.array(openAiToolCallSchema).optional(),
        }),
        logprobs: z
          .object({
            content: z.array(z.unknown()).nullable(),
            refusal: z.array(z.unknown()).nullable().optional(),
          })
          .nullable()
          .describe('Token log probabilities, when logprobs was asked for and the provider gives them.'),
        finish_reason: z.enum(['stop', 'length', 'tool_calls', 'content_filter']),
      }),
    ),
    usage: z
      .object({
        prompt_tokens: z.number().int(),
        completion_tokens: z.number().int(),
        total_tokens: z.number().int(),
        prompt_tokens_details: z.object({ cached_tokens: z.number().int() }).optional(),
      })
      .optional()
      .describe('Absent when the provider reported no usage.'),
    confirmation: confirmationSchema
      .optional()
      .describe(
        "Router extension, only with the router's MCP tools on (x-router-tools: on or the principal's tools_on_compatible_apis): a tool call held for a human's yes. The message content is the question; answer with POST /v1/confirmations/{id} (or /ask's confirm). Streams carry it on the last chunk before [DONE].",
      ),
  })
  .describe('OpenAI Chat Completions response.');

/** Builds OpenAI Chat Completions bodies and stream chunks from the router's provider-neutral results. */

export function openAiUsage(usage: Usage) {
  const body: {
    prompt_tokens: number;
    completion_tokens: number;
    total_tokens: number;
    prompt_tokens_details?: { cached_tokens: number };
  } = {
    prompt_tokens: usage.inputTokens,
    completion_tokens: usage.outputTokens,
    total_tokens: usage.totalTokens,
  };
  if (usage.cachedInputTokens !== undefined)
    body.prompt_tokens_details = { cached_tokens: usage.cachedInputTokens };
  return body;
}

const openAiToolCall = (call: ToolCall) => ({
  id: call.id,
  type: 'function' as const,
  function: { name: call.name, arguments: JSON.stringify(call.arguments) },
});

function choiceBody(index: number, choice: ChatChoice) {
  const message: Record<string, unknown> = {
    role: 'assistant',
    content: choice.content === '' && choice.toolCalls.length ? null : choice.content,
    refusal: null,
  };
  if (choice.toolCalls.length) message.tool_calls = choice.toolCalls.map(openAiToolCall);
  return { index, message, logprobs: choice.logprobs ?? null, finish_reason: choice.finishReason };
}

export function chatCompletion(id: string, created: number, result: ChatResult) {
  const body: Record<string, unknown> = {
    id,
    object: 'chat.completion',
    created,
    model: result.model,
    // n > 1: every choice the provider gave, in order.
    choices: [result, ...(result.moreChoices ?? [])].map((choice, index) => choiceBody(index, choice)),
  };
  if (result.usage) body.usage = openAiUsage(result.usage);
  const confirmation = confirmationOf(result);
  if (confirmation) body.confirmation = confirmation;
  return body;
}

/** Serialises stream chunks that share the id, creation time and model of one completion. */
export class ChunkWriter {
  readonly #prefix: string;
  readonly #withUsage: boolean;
  #toolIndex = 0;
  readonly #sentToolCalls = new Set<string>();

  constructor(id: string, created: number, model: string, includeUsage: boolean) {
    this.#prefix = `{"id":${JSON.stringify(id)},"object":"chat.completion.chunk","created":${created},"model":${JSON.stringify(model)},`;
    this.#withUsage = includeUsage;
  }

  #chunk(
    delta: unknown,
    finishReason: string | null,
    logprobs: unknown = null,
    confirmation?: unknown,
  ): string {
    const choices = JSON.stringify([{ index: 0, delta, logprobs, finish_reason: finishReason }]);
    const extension = confirmation === undefined ? '' : `,"confirmation":${JSON.stringify(confirmation)}`;
    return `data: ${this.#prefix}"choices":${choices}${this.#withUsage ? ',"usage":null' : ''}${extension}}\n\n`;
  }

  role(): string {
    return this.#chunk({ role: 'assistant', content: '' }, null);
  }

  text(text: string): string {
    return this.#chunk({ content: text }, null);
  }

  toolCall(call: ToolCall): string {
    this.#sentToolCalls.add(call.id);
    return this.#chunk({ tool_calls: [{ index: this.#toolIndex++, ...openAiToolCall(call) }] }, null);
  }

  /** The closing chunks: tool calls not streamed yet, the finish reason, usage when asked for, [DONE]. */
  finish(result: ChatResult): string {
    let out = '';
    for (const call of result.toolCalls) if (!this.#sentToolCalls.has(call.id)) out += this.toolCall(call);
    // A held tool call's confirmation (router extension) rides on the last chunk before [DONE].
    // Log probabilities are gathered over the upstream stream and sent whole with the finish reason.
    const confirmation = confirmationOf(result);
    const usageChunk = this.#withUsage && result.usage !== null;
    out += this.#chunk(
      {},
      result.finishReason,
      result.logprobs ?? null,
      usageChunk ? undefined : confirmation,
    );
    if (usageChunk && result.usage) {
      const extension = confirmation ? `,"confirmation":${JSON.stringify(confirmation)}` : '';
      out += `data: ${this.#prefix}"choices":[],"usage":${JSON.stringify(openAiUsage(result.usage))}${extension}}\n\n`;
    }
    return out + 'data: [DONE]\n\n';
  }
}
