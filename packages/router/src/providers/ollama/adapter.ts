/** Ollama transport: `POST /api/chat`, one JSON answer or an NDJSON stream. */
import type { UpstreamTimeouts } from '../definition.js';
import {
  type ChatRequest,
  type ChatResult,
  type ProviderAdapter,
  ProviderError,
  type StreamEvent,
  type ToolCall,
} from '../model.js';
import { assertParametersSupported, type ParameterTable } from '../parameters.js';
import { providerErrorFromInBand } from '../upstream-errors.js';
import { joinUrl, UpstreamClient } from '../upstream-http.js';
import { finishReasonFrom, toOllamaRequest, toolCallsFrom, usageFrom, type WireLine } from './codec.js';

export interface OllamaOptions {
  host: string;
  parameters: ParameterTable;
  defaultModel: string;
  timeouts: UpstreamTimeouts;
  secrets: string[];
}

export class OllamaAdapter implements ProviderAdapter {
  readonly name = 'ollama' as const;
  readonly defaultModel: string;
  readonly baseUrl: string;
  readonly parameters: ParameterTable;
  private readonly client: UpstreamClient;

  constructor(options: OllamaOptions) {
    this.baseUrl = options.host;
    this.parameters = options.parameters;
    this.defaultModel = options.defaultModel;
    this.client = new UpstreamClient('ollama', this.baseUrl, options.timeouts, options.secrets);
  }

  async chat(request: ChatRequest): Promise<ChatResult> {
    assertParametersSupported(this.name, this.parameters, request);
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
    assertParametersSupported(this.name, this.parameters, request);
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
