/** Anthropic transport: one keep-alive client, `POST /v1/messages`, JSON or SSE. */
import type { UpstreamTimeouts } from '../definition.js';
import type { ChatRequest, ChatResult, ProviderAdapter, StreamEvent } from '../model.js';
import { joinUrl, UpstreamClient } from '../upstream-http.js';
import { ANTHROPIC_VERSION, fromAnthropicResponse, toAnthropicRequest } from './codec.js';
import { AnthropicMessagesPassThrough } from './messages-pass-through.js';
import { anthropicStreamEvents } from './stream.js';

export interface AnthropicOptions {
  apiKey: string;
  baseUrl: string;
  defaultModel: string;
  timeouts: UpstreamTimeouts;
  secrets: string[];
}

export class AnthropicAdapter implements ProviderAdapter {
  readonly name = 'anthropic' as const;
  readonly defaultModel: string;
  readonly baseUrl: string;
  private readonly client: UpstreamClient;
  private readonly headers: Record<string, string>;
  private readonly secrets: string[];
  /** POST /v1/messages for this provider is forwarded as the client wrote it. */
  readonly messages: AnthropicMessagesPassThrough;

  constructor(options: AnthropicOptions) {
    this.baseUrl = options.baseUrl;
    this.defaultModel = options.defaultModel;
    this.headers = { 'x-api-key': options.apiKey, 'anthropic-version': ANTHROPIC_VERSION };
    this.secrets = options.secrets;
    this.client = new UpstreamClient('anthropic', this.baseUrl, options.timeouts, this.secrets);
    this.messages = new AnthropicMessagesPassThrough(this.client, this.baseUrl, options.apiKey, this.secrets);
  }

  async chat(request: ChatRequest): Promise<ChatResult> {
    const model = request.model || this.defaultModel;
    const response = await this.post(request, model, false);
    return fromAnthropicResponse(await this.client.readJson(response, request.signal), model);
  }

  async *stream(request: ChatRequest): AsyncGenerator<StreamEvent> {
    const model = request.model || this.defaultModel;
    const response = await this.post(request, model, true);
    yield* anthropicStreamEvents(this.client.serverSentEvents(response, request.signal), model, this.secrets);
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
