import { z } from 'zod';
import { confirmationSchema } from '../../ask/ask-response.js';
import { confirmationOf } from '../../completion/answer-confirmation.js';
import type { ChatResult, FinishReason, ToolCall, Usage } from '../../providers/types.js';
import { sseFrame } from '../event-stream.js';

/** What POST /v1/messages answers without stream, for a provider other than anthropic. */
export const messageSchema = z
  .object({
    id: z.string(),
    type: z.literal('message'),
    role: z.literal('assistant'),
    model: z.string(),
    content: z.array(
      z.union([
        z.object({ type: z.literal('text'), text: z.string() }),
        z.object({
          type: z.literal('tool_use'),
          id: z.string(),
          name: z.string(),
          input: z.record(z.string(), z.unknown()),
        }),
      ]),
    ),
    stop_reason: z.enum(['end_turn', 'max_tokens', 'stop_sequence', 'tool_use', 'refusal']),
    stop_sequence: z.string().nullable(),
    usage: z.object({
      input_tokens: z.number().int(),
      output_tokens: z.number().int(),
      cache_creation_input_tokens: z.number().int(),
      cache_read_input_tokens: z.number().int(),
    }),
    confirmation: confirmationSchema
      .optional()
      .describe(
        'Router extension: the answer stopped at a tool call waiting for a human yes (tool loop opted in).',
      ),
  })
  .describe('Anthropic Messages API message (the anthropic provider answers its own, unchanged).');

/**
 * The router's finish reasons in Anthropic's terms. OpenAI-compatible providers and Ollama do not
 * say whether a stop sequence ended the answer, so `stop` is always `end_turn` there.
 */
export const STOP_REASONS: Record<FinishReason, 'end_turn' | 'max_tokens' | 'tool_use' | 'refusal'> = {
  stop: 'end_turn',
  length: 'max_tokens',
  tool_calls: 'tool_use',
  content_filter: 'refusal',
};

/** Anthropic counts cache reads apart from input_tokens; the router's inputTokens includes them. */
export function anthropicUsage(usage: Usage | null) {
  const cached = usage?.cachedInputTokens ?? 0;
  return {
    input_tokens: Math.max(0, (usage?.inputTokens ?? 0) - cached),
    output_tokens: usage?.outputTokens ?? 0,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: cached,
  };
}

const toolUseBlock = (call: ToolCall) => ({
  type: 'tool_use' as const,
  id: call.id,
  name: call.name,
  input: call.arguments,
});

export function messageOf(id: string, result: ChatResult): z.infer<typeof messageSchema> {
  const content: z.infer<typeof messageSchema>['content'] = [];
  if (result.content) content.push({ type: 'text', text: result.content });
  content.push(...result.toolCalls.map(toolUseBlock));
  const message: z.infer<typeof messageSchema> = {
    id,
    type: 'message',
    role: 'assistant',
    model: result.model,
    content,
    stop_reason: STOP_REASONS[result.finishReason],
    stop_sequence: null,
    usage: anthropicUsage(result.usage),
  };
  const confirmation = confirmationOf(result);
  if (confirmation) message.confirmation = confirmation;
  return message;
}

/**
 * Anthropic's stream events for one message, from the router's stream events: message_start, ping,
 * then per block content_block_start / _delta / _stop (text_delta, input_json_delta), message_delta
 * with the stop reason and the usage, message_stop. Usage is only known at the end for most
 * providers, so message_start carries zeros and message_delta the totals (the SDKs overwrite).
 */
export class MessageStreamWriter {
  #index = -1;
  #openText = false;
  readonly #sentToolCalls = new Set<string>();

  constructor(
    private readonly id: string,
    private readonly model: string,
  ) {}

  start(): string {
    const message = {
      id: this.id,
      type: 'message',
      role: 'assistant',
      model: this.model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: anthropicUsage(null),
    };
    return sseFrame('message_start', { type: 'message_start', message }) + sseFrame('ping', { type: 'ping' });
  }

  text(text: string): string {
    let out = '';
    if (!this.#openText) {
      this.#index += 1;
      this.#openText = true;
      out += sseFrame('content_block_start', {
        type: 'content_block_start',
        index: this.#index,
        content_block: { type: 'text', text: '' },
      });
    }
    return (
      out +
      sseFrame('content_block_delta', {
        type: 'content_block_delta',
        index: this.#index,
        delta: { type: 'text_delta', text },
      })
    );
  }

  toolCall(call: ToolCall): string {
    this.#sentToolCalls.add(call.id);
    let out = this.#closeText();
    this.#index += 1;
    out += sseFrame('content_block_start', {
      type: 'content_block_start',
      index: this.#index,
      content_block: { type: 'tool_use', id: call.id, name: call.name, input: {} },
    });
    out += sseFrame('content_block_delta', {
      type: 'content_block_delta',
      index: this.#index,
      delta: { type: 'input_json_delta', partial_json: JSON.stringify(call.arguments) },
    });
    return out + sseFrame('content_block_stop', { type: 'content_block_stop', index: this.#index });
  }

  /** The closing events: tool calls not streamed yet, message_delta (with confirmation), message_stop. */
  finish(result: ChatResult): string {
    let out = this.#closeText();
    for (const call of result.toolCalls) if (!this.#sentToolCalls.has(call.id)) out += this.toolCall(call);
    const delta: Record<string, unknown> = {
      type: 'message_delta',
      delta: { stop_reason: STOP_REASONS[result.finishReason], stop_sequence: null },
      usage: anthropicUsage(result.usage),
    };
    const confirmation = confirmationOf(result);
    if (confirmation) delta.confirmation = confirmation;
    return out + sseFrame('message_delta', delta) + sseFrame('message_stop', { type: 'message_stop' });
  }

  #closeText(): string {
    if (!this.#openText) return '';
    this.#openText = false;
    return sseFrame('content_block_stop', { type: 'content_block_stop', index: this.#index });
  }
}
