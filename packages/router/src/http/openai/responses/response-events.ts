import type { ChatResult, ToolCall } from '../../../providers/types.js';
import { sseFrame } from '../../event-stream.js';
import {
  functionCallOutput,
  type MessageOutput,
  messageOutput,
  outputItemId,
  outputText,
  type ResponseFrame,
  type ResponseObject,
  type ResponseOutputItem,
  responseObject,
} from './response-object.js';

interface OpenMessage {
  index: number;
  item: MessageOutput;
  text: string;
}

/**
 * Writes one response as OpenAI's typed stream events, in the order OpenAI sends them:
 * response.created, response.in_progress, then per output item output_item.added, (for text)
 * content_part.added, output_text.delta..., output_text.done, content_part.done, (for a call)
 * function_call_arguments.delta/.done, output_item.done; then response.completed (or
 * response.incomplete). Every event carries its sequence_number. The items it wrote are the final
 * response's output, ids included, so the stream and the stored response agree.
 */
export class ResponseEventWriter {
  readonly #frame: ResponseFrame;
  #sequence = 0;
  readonly #output: ResponseOutputItem[] = [];
  /** The message item text is being appended to, if one is open. */
  #message: OpenMessage | undefined;
  readonly #writtenCalls = new Set<string>();
  #wroteText = false;

  constructor(frame: ResponseFrame) {
    this.#frame = frame;
  }

  get output(): readonly ResponseOutputItem[] {
    return this.#output;
  }

  #event(type: string, fields: Record<string, unknown>): string {
    return sseFrame(type, { type, ...fields, sequence_number: this.#sequence++ });
  }

  /** response.created and response.in_progress. */
  start(): string {
    const response = responseObject(this.#frame, { status: 'in_progress' });
    return this.#event('response.created', { response }) + this.#event('response.in_progress', { response });
  }

  #openMessage(): string {
    if (this.#message) return '';
    const item = messageOutput(outputItemId('msg', this.#frame.id, this.#output.length), '', 'in_progress');
    const index = this.#output.push(item) - 1;
    this.#message = { index, item, text: '' };
    return (
      this.#event('response.output_item.added', { output_index: index, item }) +
      this.#event('response.content_part.added', {
        item_id: item.id,
        output_index: index,
        content_index: 0,
        part: outputText(''),
      })
    );
  }

  text(delta: string): string {
    if (!delta) return '';
    const out = this.#openMessage();
    const message = this.#message as OpenMessage;
    message.text += delta;
    this.#wroteText = true;
    return (
      out +
      this.#event('response.output_text.delta', {
        item_id: message.item.id,
        output_index: message.index,
        content_index: 0,
        delta,
        logprobs: [],
      })
    );
  }

  #closeMessage(status: MessageOutput['status']): string {
    const message = this.#message;
    if (!message) return '';
    this.#message = undefined;
    const done = messageOutput(message.item.id, message.text, status);
    this.#output[message.index] = done;
    const at = { item_id: done.id, output_index: message.index, content_index: 0 };
    return (
      this.#event('response.output_text.done', { ...at, text: message.text, logprobs: [] }) +
      this.#event('response.content_part.done', { ...at, part: outputText(message.text) }) +
      this.#event('response.output_item.done', { output_index: message.index, item: done })
    );
  }

  toolCall(call: ToolCall): string {
    let out = this.#closeMessage('completed');
    this.#writtenCalls.add(call.id);
    const id = outputItemId('fc', this.#frame.id, this.#output.length);
    const index = this.#output.push(functionCallOutput(id, call, 'in_progress')) - 1;
    const done = functionCallOutput(id, call, 'completed');
    this.#output[index] = done;
    out += this.#event('response.output_item.added', {
      output_index: index,
      item: functionCallOutput(id, call, 'in_progress'),
    });
    out += this.#event('response.function_call_arguments.delta', {
      item_id: id,
      output_index: index,
      delta: done.arguments,
    });
    out += this.#event('response.function_call_arguments.done', {
      item_id: id,
      output_index: index,
      name: call.name,
      arguments: done.arguments,
    });
    return out + this.#event('response.output_item.done', { output_index: index, item: done });
  }

  /**
   * Closes the open items, writes the calls not streamed yet, and the final response event; returns
   * the frames and the final response (to store).
   */
  finish(result: ChatResult): { frames: string; response: ResponseObject } {
    const incomplete = result.finishReason === 'length' || result.finishReason === 'content_filter';
    // An answer whose text never came as deltas (one the tool loop composed) is written whole.
    let frames = this.#wroteText ? '' : this.text(result.content);
    frames += this.#closeMessage(incomplete ? 'incomplete' : 'completed');
    for (const call of result.toolCalls) if (!this.#writtenCalls.has(call.id)) frames += this.toolCall(call);
    // An answer with neither text nor calls is still one (empty) message, as without stream.
    if (!this.#output.length)
      frames += this.#openMessage() + this.#closeMessage(incomplete ? 'incomplete' : 'completed');
    const response = responseObject(this.#frame, {
      status: 'completed',
      result,
      output: [...this.#output],
    });
    const type = response.status === 'incomplete' ? 'response.incomplete' : 'response.completed';
    return { frames: frames + this.#event(type, { response }), response };
  }

  /**
   * A failure after the stream started: OpenAI's `error` event, then response.failed with what was
   * produced so far.
   */
  fail(error: { code: string; message: string; param: string | null }): string {
    const code = error.code;
    const response = responseObject(this.#frame, {
      status: 'failed',
      error: { code, message: error.message },
      output: [...this.#output],
    });
    return (
      this.#event('error', { code, message: error.message, param: error.param }) +
      this.#event('response.failed', { response })
    );
  }
}
