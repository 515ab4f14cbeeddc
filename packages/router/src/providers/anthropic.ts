/**
 * Anthropic Messages API (`POST /v1/messages`): system as a top-level field, tool_use / tool_result
 * content blocks, required max_tokens, typed SSE events with cumulative output usage.
 */
import type { ProvidersConfig } from './config.js';
import { providerSecrets, timeoutsFrom } from './config.js';
import { toolArgumentsFrom } from './tool-arguments.js';
import {
  type ChatMessage,
  type ChatRequest,
  type ChatResult,
  type FinishReason,
  type ProviderAdapter,
  ProviderError,
  type StreamEvent,
  type ToolCall,
  type Usage,
} from './types.js';
import { providerErrorFromInBand } from './upstream-errors.js';
import { joinUrl, UpstreamClient } from './upstream-http.js';

export const ANTHROPIC_VERSION = '2023-06-01';
/** Anthropic requires max_tokens; used when the request sets none. */
export const ANTHROPIC_DEFAULT_MAX_TOKENS = 4096;

type ContentBlock = Record<string, unknown>;
interface WireMessage {
  role: 'user' | 'assistant';
  content: string | ContentBlock[];
}

/** Tool results go back in a user message; consecutive results share one user message. */
function wireMessages(messages: ChatMessage[]): { system?: string; messages: WireMessage[] } {
  const system: string[] = [];
  const out: WireMessage[] = [];
  for (const message of messages) {
    switch (message.role) {
      case 'system':
        system.push(message.content);
        break;
      case 'user':
        out.push({ role: 'user', content: message.content });
        break;
      case 'assistant': {
        const blocks: ContentBlock[] = [];
        if (message.content) blocks.push({ type: 'text', text: message.content });
        for (const call of message.toolCalls ?? []) {
          blocks.push({ type: 'tool_use', id: call.id, name: call.name, input: call.arguments });
        }
        out.push({ role: 'assistant', content: blocks.length ? blocks : message.content });
        break;
      }
      case 'tool': {
        const block: ContentBlock = {
          type: 'tool_result',
          tool_use_id: message.toolCallId,
          content: message.content,
        };
        if (message.isError) block.is_error = true;
        const last = out.at(-1);
        const lastIsToolResults =
          last?.role === 'user' &&
          Array.isArray(last.content) &&
          last.content.every((b) => b.type === 'tool_result');
        if (lastIsToolResults) (last.content as ContentBlock[]).push(block);
        else out.push({ role: 'user', content: [block] });
        break;
      }
    }
  }
  return { ...(system.length > 0 && { system: system.join('\n\n') }), messages: out };
}

export function toAnthropicRequest(
  request: ChatRequest,
  model: string,
  stream: boolean,
): Record<string, unknown> {
  const { system, messages } = wireMessages(request.messages);
  const body: Record<string, unknown> = {
    model,
    max_tokens: request.maxTokens ?? ANTHROPIC_DEFAULT_MAX_TOKENS,
    ...(system !== undefined && { system }),
    messages,
  };
  if (request.tools?.length) {
    body.tools = request.tools.map((t) => ({
      name: t.name,
      description: t.description,
      input_schema: t.inputSchema,
    }));
    if (request.toolChoice) {
      body.tool_choice = { type: { auto: 'auto', none: 'none', required: 'any' }[request.toolChoice] };
    }
  }
  if (request.responseFormat) {
    body.output_config = { format: { type: 'json_schema', schema: request.responseFormat.schema } };
  }
  if (request.temperature !== undefined) body.temperature = request.temperature;
  if (stream) body.stream = true;
  return body;
}

function finishReasonFrom(stopReason: unknown): FinishReason {
  switch (stopReason) {
    case 'max_tokens':
      return 'length';
    case 'tool_use':
      return 'tool_calls';
    case 'refusal':
      return 'content_filter';
    default:
      return 'stop';
  }
}

interface WireUsage {
  input_tokens?: number;
  output_tokens?: number;
  cache_creation_input_tokens?: number | null;
  cache_read_input_tokens?: number | null;
}

/** `input_tokens` excludes cache reads and writes; the router's inputTokens counts all input. */
function usageFrom(u: WireUsage): Usage {
  const cacheRead = u.cache_read_input_tokens ?? 0;
  const inputTokens = (u.input_tokens ?? 0) + (u.cache_creation_input_tokens ?? 0) + cacheRead;
  const outputTokens = u.output_tokens ?? 0;
  return { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens, cachedInputTokens: cacheRead };
}

interface WireResponse {
  id?: string;
  model?: string;
  content?: { type: string; text?: string; id?: string; name?: string; input?: unknown }[];
  stop_reason?: string;
  usage?: WireUsage;
}

export function fromAnthropicResponse(wire: unknown, requestedModel: string): ChatResult {
  const r = (wire ?? {}) as WireResponse;
  let content = '';
  const toolCalls: ToolCall[] = [];
  for (const block of r.content ?? []) {
    if (block.type === 'text') content += block.text ?? '';
    else if (block.type === 'tool_use') {
      toolCalls.push({
        id: block.id ?? '',
        name: block.name ?? '',
        arguments: toolArgumentsFrom(block.input),
      });
    }
  }
  return {
    ...(r.id !== undefined && { id: r.id }),
    model: r.model ?? requestedModel,
    content,
    toolCalls,
    finishReason: finishReasonFrom(r.stop_reason),
    usage: r.usage ? usageFrom(r.usage) : null,
  };
}

/** The fields of the SSE event payloads the adapter reads; everything is optional on the wire. */
interface WireStreamEvent {
  type?: string;
  index?: number;
  message?: { id?: string; model?: string; usage?: WireUsage };
  content_block?: { type?: string; id?: string; name?: string; text?: string };
  delta?: { type?: string; text?: string; partial_json?: string; stop_reason?: string };
  usage?: Record<string, unknown>;
}

export class AnthropicAdapter implements ProviderAdapter {
  readonly name = 'anthropic' as const;
  readonly defaultModel: string;
  readonly baseUrl: string;
  private readonly client: UpstreamClient;
  private readonly headers: Record<string, string>;
  private readonly secrets: string[];

  constructor(config: ProvidersConfig) {
    const apiKey = config.ANTHROPIC_API_KEY;
    if (!apiKey) throw new Error('Provider anthropic needs ANTHROPIC_API_KEY');
    this.baseUrl = config.ANTHROPIC_BASE_URL;
    this.defaultModel = config.ANTHROPIC_MODEL;
    this.headers = { 'x-api-key': apiKey, 'anthropic-version': ANTHROPIC_VERSION };
    this.secrets = providerSecrets(config);
    this.client = new UpstreamClient('anthropic', this.baseUrl, timeoutsFrom(config), this.secrets);
  }

  async chat(request: ChatRequest): Promise<ChatResult> {
    const model = request.model || this.defaultModel;
    const response = await this.post(request, model, false);
    return fromAnthropicResponse(await this.client.readJson(response, request.signal), model);
  }

  async *stream(request: ChatRequest): AsyncGenerator<StreamEvent> {
    const model = request.model || this.defaultModel;
    const response = await this.post(request, model, true);
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

    for await (const event of this.client.serverSentEvents(response, request.signal)) {
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
            const call: ToolCall = {
              id: block.id,
              name: block.name,
              arguments: toolArgumentsFrom(block.json),
            };
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
            result: this.streamResult(id, answeredModel, content, toolCalls, stopReason, usage),
          };
          break;
        case 'error':
          throw providerErrorFromInBand('anthropic', data, this.secrets);
        // 'ping' and unknown event types are ignored.
      }
    }
    if (!stopped) {
      throw new ProviderError('anthropic', 'upstream', 'anthropic: stream ended before message_stop', {
        retryable: true,
      });
    }
  }

  private streamResult(
    id: string | undefined,
    model: string,
    content: string,
    toolCalls: ToolCall[],
    stopReason: string | undefined,
    usage: WireUsage,
  ): ChatResult {
    return {
      ...(id !== undefined && { id }),
      model,
      content,
      toolCalls,
      finishReason: finishReasonFrom(stopReason),
      usage: usageFrom(usage),
    };
  }

  close(): Promise<void> {
    return this.client.close();
  }

  private post(request: ChatRequest, model: string, stream: boolean) {
    return this.client.send({
      method: 'POST',
      url: joinUrl(this.baseUrl, '/v1/messages'),
      headers: this.headers,
      body: toAnthropicRequest(request, model, stream),
      signal: request.signal,
    });
  }
}
