/** Anthropic transport: one keep-alive client, `POST /v1/messages`, JSON or SSE. */
import type { UpstreamTimeouts } from '../definition.js';
import type { ChatRequest, ChatResult, ProviderAdapter, StreamEvent } from '../model.js';
import { assertParametersSupported, type ParameterTable, UnsupportedParameterError } from '../parameters.js';
import { joinUrl, UpstreamClient } from '../upstream-http.js';
import {
  ANTHROPIC_VERSION,
  fromAnthropicResponse,
  STRUCTURED_OUTPUT_TOOL,
  type StructuredOutputMode,
  structuredAnswerFromTool,
  toAnthropicRequest,
} from './codec.js';
import { AnthropicMessagesPassThrough } from './messages-pass-through.js';
import { anthropicStreamEvents } from './stream.js';

export interface AnthropicOptions {
  apiKey: string;
  baseUrl: string;
  defaultModel: string;
  timeouts: UpstreamTimeouts;
  secrets: string[];
  parameters: ParameterTable;
  /** How a model is asked for a structured answer (ANTHROPIC_STRUCTURED_OUTPUT_TOOL_MODELS). */
  structuredOutput(model: string): StructuredOutputMode;
}

export class AnthropicAdapter implements ProviderAdapter {
  readonly name = 'anthropic' as const;
  readonly defaultModel: string;
  readonly baseUrl: string;
  readonly parameters: ParameterTable;
  private readonly client: UpstreamClient;
  private readonly headers: Record<string, string>;
  private readonly secrets: string[];
  /** POST /v1/messages for this provider is forwarded as the client wrote it. */
  readonly messages: AnthropicMessagesPassThrough;
  private readonly structuredOutput: (model: string) => StructuredOutputMode;

  constructor(options: AnthropicOptions) {
    this.baseUrl = options.baseUrl;
    this.defaultModel = options.defaultModel;
    this.parameters = options.parameters;
    this.structuredOutput = options.structuredOutput;
    this.headers = { 'x-api-key': options.apiKey, 'anthropic-version': ANTHROPIC_VERSION };
    this.secrets = options.secrets;
    this.client = new UpstreamClient('anthropic', this.baseUrl, options.timeouts, this.secrets);
    this.messages = new AnthropicMessagesPassThrough(this.client, this.baseUrl, options.apiKey, this.secrets);
  }

  async chat(request: ChatRequest): Promise<ChatResult> {
    const model = request.model || this.defaultModel;
    const forcedTool = this.check(request, model);
    const response = await this.post(request, model, false);
    const result = fromAnthropicResponse(await this.client.readJson(response, request.signal), model);
    return forcedTool ? structuredAnswerFromTool(result) : result;
  }

  async *stream(request: ChatRequest): AsyncGenerator<StreamEvent> {
    const model = request.model || this.defaultModel;
    const forcedTool = this.check(request, model);
    const response = await this.post(request, model, true);
    const events = anthropicStreamEvents(
      this.client.serverSentEvents(response, request.signal),
      model,
      this.secrets,
    );
    if (!forcedTool) {
      yield* events;
      return;
    }
    // The forced tool's arguments are the answer: they reach the caller as its text.
    for await (const event of events) {
      if (event.type === 'tool_call' && event.call.name === STRUCTURED_OUTPUT_TOOL) {
        yield { type: 'text', text: JSON.stringify(event.call.arguments) };
      } else if (event.type === 'done') {
        yield { type: 'done', result: structuredAnswerFromTool(event.result) };
      } else {
        yield event;
      }
    }
  }

  close(): Promise<void> {
    return this.client.close();
  }

  /** Refuses what Anthropic cannot honour; true when the answer comes through the forced tool. */
  private check(request: ChatRequest, model: string): boolean {
    assertParametersSupported(this.name, this.parameters, request);
    const format = request.responseFormat;
    if (!format) return false;
    const forcedTool = format.type === 'json_object' || this.structuredOutput(model) === 'tool';
    if (forcedTool && request.tools?.length) {
      throw new UnsupportedParameterError(
        this.name,
        'response_format',
        `response_format together with tools on ${model}`,
        'the structured answer is itself a forced tool call for this model',
      );
    }
    return forcedTool;
  }

  private post(request: ChatRequest, model: string, stream: boolean) {
    return this.client.send({
      method: 'POST',
      url: joinUrl(this.baseUrl, '/v1/messages'),
      headers: this.headers,
      body: toAnthropicRequest(request, model, stream, this.structuredOutput(model)),
      signal: request.signal,
    });
  }
}
