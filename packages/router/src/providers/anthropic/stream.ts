/**
 * Anthropic's typed SSE events (`message_start`, `content_block_*`, `message_delta`,
 * `message_stop`) folded into the router's stream events. Output usage arrives cumulative.
 */
import type { EventSourceMessage as SseEvent } from 'eventsource-parser';
import { ProviderError, type StreamEvent, type ToolCall } from '../model.js';
import { toolArgumentsFrom } from '../tool-arguments.js';
import { providerErrorFromInBand } from '../upstream-errors.js';
import { finishReasonFrom, usageFrom, type WireUsage } from './codec.js';

/** The fields of the SSE event payloads read here; everything is optional on the wire. */
interface WireStreamEvent {
  type?: string;
  index?: number;
  message?: { id?: string; model?: string; usage?: WireUsage };
  content_block?: { type?: string; id?: string; name?: string; text?: string };
  delta?: { type?: string; text?: string; partial_json?: string; stop_reason?: string };
  usage?: Record<string, unknown>;
}

export async function* anthropicStreamEvents(
  events: AsyncIterable<SseEvent>,
  model: string,
  secrets: readonly string[],
): AsyncGenerator<StreamEvent> {
  let id: string | undefined;
  let answeredModel = model;
  let content = '';
  const toolCalls: ToolCall[] = [];
  const blocks = new Map<
    number | undefined,
    { type: string | undefined; id: string; name: string; json: string }
  >();
  let usage: WireUsage = {};
  let stopReason: string | undefined;
  let stopped = false;

  for await (const event of events) {
    if (stopped) continue; // drain to the end so the connection can be reused
    let data: WireStreamEvent;
    try {
      data = JSON.parse(event.data);
    } catch (error) {
      throw new ProviderError('anthropic', 'upstream', 'anthropic: malformed stream event', {
        retryable: true,
        cause: error,
      });
    }
    switch (data.type ?? event.event) {
      case 'message_start': {
        const message = data.message ?? {};
        id = message.id;
        if (message.model) answeredModel = message.model;
        usage = { ...message.usage };
        break;
      }
      case 'content_block_start': {
        const block = data.content_block ?? {};
        blocks.set(data.index, { type: block.type, id: block.id ?? '', name: block.name ?? '', json: '' });
        if (block.type === 'text' && block.text) {
          content += block.text;
          yield { type: 'text', text: block.text };
        }
        break;
      }
      case 'content_block_delta': {
        const delta = data.delta ?? {};
        if (delta.type === 'text_delta' && delta.text) {
          content += delta.text;
          yield { type: 'text', text: delta.text };
        } else if (delta.type === 'input_json_delta') {
          const block = blocks.get(data.index);
          if (block) block.json += delta.partial_json ?? '';
        }
        break;
      }
      case 'content_block_stop': {
        const block = blocks.get(data.index);
        if (block?.type === 'tool_use') {
          const call: ToolCall = { id: block.id, name: block.name, arguments: toolArgumentsFrom(block.json) };
          toolCalls.push(call);
          yield { type: 'tool_call', call };
        }
        blocks.delete(data.index);
        break;
      }
      case 'message_delta': {
        if (data.delta?.stop_reason) stopReason = data.delta.stop_reason;
        // Usage here is cumulative: take the latest values, never add them up.
        for (const [key, value] of Object.entries(data.usage ?? {})) {
          if (typeof value === 'number') (usage as Record<string, number>)[key] = value;
        }
        break;
      }
      case 'message_stop':
        // `done` goes out at once; the loop then drains the body so the connection is reused.
        stopped = true;
        yield {
          type: 'done',
          result: {
            ...(id !== undefined && { id }),
            model: answeredModel,
            content,
            toolCalls,
            finishReason: finishReasonFrom(stopReason),
            usage: usageFrom(usage),
          },
        };
        break;
      case 'error':
        throw providerErrorFromInBand('anthropic', data, [...secrets]);
      // 'ping' and unknown event types are ignored.
    }
  }
  if (!stopped) {
    throw new ProviderError('anthropic', 'upstream', 'anthropic: stream ended before message_stop', {
      retryable: true,
    });
  }
}
