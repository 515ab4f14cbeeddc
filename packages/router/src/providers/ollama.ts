/**
 * Ollama's native API (`POST /api/chat`): NDJSON streams, object tool arguments, tool calls that
 * may lack ids, token counts on the final `done` line, errors as `{"error": "..."}`.
 */
import type { ProvidersConfig } from './config.js';
import { providerSecrets, timeoutsFrom } from './config.js';
import { generatedToolCallId, toolArgumentsFrom } from './tool-arguments.js';
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

function wireMessage(message: ChatMessage): Record<string, unknown> {
  switch (message.role) {
    case 'system':
    case 'user':
      return { role: message.role, content: message.content };
    case 'assistant':
      return {
        role: 'assistant',
        content: message.content,
        ...(message.toolCalls?.length && {
          tool_calls: message.toolCalls.map((call) => ({
            function: { name: call.name, arguments: call.arguments },
          })),
        }),
      };
    case 'tool':
      return { role: 'tool', content: message.content, tool_name: message.name };
  }
}

export function toOllamaRequest(
  request: ChatRequest,
  model: string,
  stream: boolean,
): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  if (request.temperature !== undefined) options.temperature = request.temperature;
  if (request.maxTokens !== undefined) options.num_predict = request.maxTokens;
  return {
    model,
    messages: request.messages.map(wireMessage),
    ...(request.tools?.length &&
      request.toolChoice !== 'none' && {
        tools: request.tools.map((t) => ({
          type: 'function',
          function: { name: t.name, description: t.description, parameters: t.inputSchema },
        })),
      }),
    ...(request.responseFormat && { format: request.responseFormat.schema }),
    // Ollama streams unless told otherwise, so the flag is always explicit.
    stream,
    ...(Object.keys(options).length > 0 && { options }),
  };
}

interface WireLine {
  model?: string;
  message?: {
    content?: string;
    tool_calls?: { id?: string; function?: { name?: string; arguments?: unknown } }[];
  };
  done?: boolean;
  done_reason?: string;
  prompt_eval_count?: number;
  eval_count?: number;
  error?: unknown;
}

function toolCallsFrom(line: WireLine): ToolCall[] {
  return (line.message?.tool_calls ?? []).map((call) => ({
    id: call.id || generatedToolCallId(),
    name: call.function?.name ?? '',
    arguments: toolArgumentsFrom(call.function?.arguments),
  }));
}

function finishReasonFrom(doneReason: unknown, hasToolCalls: boolean): FinishReason {
  if (hasToolCalls) return 'tool_calls';
  return doneReason === 'length' ? 'length' : 'stop';
}

function usageFrom(line: WireLine): Usage | null {
  if (typeof line.prompt_eval_count !== 'number' && typeof line.eval_count !== 'number') return null;
  const inputTokens = line.prompt_eval_count ?? 0;
  const outputTokens = line.eval_count ?? 0;
  return { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens };
}

export class OllamaAdapter implements ProviderAdapter {
  readonly name = 'ollama' as const;
  readonly defaultModel: string;
  readonly baseUrl: string;
  private readonly client: UpstreamClient;

  constructor(config: ProvidersConfig) {
    this.baseUrl = config.OLLAMA_HOST;
    this.defaultModel = config.OLLAMA_MODEL;
    this.client = new UpstreamClient('ollama', this.baseUrl, timeoutsFrom(config), providerSecrets(config));
  }

  async chat(request: ChatRequest): Promise<ChatResult> {
    const model = request.model || this.defaultModel;
    const response = await this.post(request, model, false);
    const line = (await this.client.readJson(response, request.signal)) as WireLine;
    if (line.error) throw providerErrorFromInBand('ollama', line, []);
    const toolCalls = toolCallsFrom(line);
    return {
      model: line.model ?? model,
      content: line.message?.content ?? '',
      toolCalls,
      finishReason: finishReasonFrom(line.done_reason, toolCalls.length > 0),
      usage: usageFrom(line),
    };
  }

  async *stream(request: ChatRequest): AsyncGenerator<StreamEvent> {
    const model = request.model || this.defaultModel;
    const response = await this.post(request, model, true);
    let content = '';
    const toolCalls: ToolCall[] = [];
    let finished = false;
    for await (const value of this.client.ndjsonLines(response, request.signal)) {
      if (finished) continue; // drain so the connection is reused; `done` has gone out already
      const line = (value ?? {}) as WireLine;
      if (line.error) throw providerErrorFromInBand('ollama', line, []);
      if (line.message?.content) {
        content += line.message.content;
        yield { type: 'text', text: line.message.content };
      }
      for (const call of toolCallsFrom(line)) {
        toolCalls.push(call);
        yield { type: 'tool_call', call };
      }
      if (line.done) {
        finished = true;
        yield {
          type: 'done',
          result: {
            model: line.model ?? model,
            content,
            toolCalls,
            finishReason: finishReasonFrom(line.done_reason, toolCalls.length > 0),
            usage: usageFrom(line),
          },
        };
      }
    }
    if (!finished) {
      throw new ProviderError('ollama', 'upstream', 'ollama: stream ended before the final done line', {
        retryable: true,
      });
    }
  }

  async listModels(signal?: AbortSignal): Promise<string[]> {
    const response = await this.client.send({
      method: 'GET',
      url: joinUrl(this.baseUrl, '/api/tags'),
      headers: {},
      signal,
    });
    const json = (await this.client.readJson(response, signal)) as { models?: { name?: unknown }[] };
    return (json.models ?? []).map((m) => m.name).filter((n): n is string => typeof n === 'string');
  }

  close(): Promise<void> {
    return this.client.close();
  }

  private post(request: ChatRequest, model: string, stream: boolean) {
    return this.client.send({
      method: 'POST',
      url: joinUrl(this.baseUrl, '/api/chat'),
      headers: {},
      body: toOllamaRequest(request, model, stream),
      signal: request.signal,
    });
  }
}
