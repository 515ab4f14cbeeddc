import type { ProviderContext, UpstreamTimeouts } from '../definition.js';
import {
  type AdapterName,
  type ChatRequest,
  type ChatResult,
  type ProviderAdapter,
  ProviderError,
  type StreamEvent,
} from '../model.js';
import { assertParametersSupported, type ParameterTable, UnsupportedParameterError } from '../parameters.js';
import { providerErrorFromInBand } from '../upstream-errors.js';
import { joinUrl, UpstreamClient } from '../upstream-http.js';
import { ChatChunkAssembler, fromWireResponse, toWireRequest, type WireRequestOptions } from './codec.js';

/**
 * What distinguishes one OpenAI-compatible provider from another: where to send the request, which
 * headers to add, and how to sharpen its error messages. Everything else is the shared codec.
 */
export interface OpenAICompatibleProfile {
  name: AdapterName;
  /** For logs and error messages: no secrets, no query string. */
  baseUrl: string;
  defaultModel: string | undefined;
  /** The chat-completions URL for a model (Azure classic puts the deployment in the path). */
  chatUrl(model: string): URL;
  /** GET URL listing models (`{data:[{id}]}`), when the provider has one. */
  modelsUrl?: URL;
  headers: Record<string, string>;
  includeStreamUsage: boolean;
  maxTokensField: WireRequestOptions['maxTokensField'];
  jsonObject?: WireRequestOptions['jsonObject'];
  reasoningEffort?: WireRequestOptions['reasoningEffort'];
  /** The provider definition's parameter table (from the provider context). */
  parameters: ParameterTable;
  secrets: (string | undefined)[];
  /** Provider-specific rewording of an error (Azure's DeploymentNotFound). */
  refineError?(error: ProviderError, model: string): ProviderError;
}

/**
 * A provider folder's adapter: `/chat/completions` and `/models` under `baseUrl` unless the profile
 * says otherwise; default model, secrets and timeouts from the provider context.
 */
export function compatibleAdapter(
  context: ProviderContext,
  profile: Omit<OpenAICompatibleProfile, 'defaultModel' | 'secrets' | 'chatUrl' | 'parameters'> &
    Partial<Pick<OpenAICompatibleProfile, 'chatUrl'>>,
): OpenAICompatibleAdapter {
  return new OpenAICompatibleAdapter(
    {
      chatUrl: () => joinUrl(profile.baseUrl, '/chat/completions'),
      modelsUrl: joinUrl(profile.baseUrl, '/models'),
      ...profile,
      defaultModel: context.defaultModel,
      secrets: context.secrets,
      parameters: context.parameters,
    },
    context.timeouts,
  );
}

export class OpenAICompatibleAdapter implements ProviderAdapter {
  readonly name: AdapterName;
  readonly defaultModel: string | undefined;
  readonly baseUrl: string;
  readonly parameters: ParameterTable;
  private readonly client: UpstreamClient;
  private discoveredModel: string | undefined;

  constructor(
    private readonly profile: OpenAICompatibleProfile,
    timeouts: UpstreamTimeouts,
  ) {
    this.name = profile.name;
    this.defaultModel = profile.defaultModel;
    this.baseUrl = profile.baseUrl;
    this.parameters = profile.parameters;
    this.client = new UpstreamClient(profile.name, profile.baseUrl, timeouts, profile.secrets);
  }

  async chat(request: ChatRequest): Promise<ChatResult> {
    assertParametersSupported(this.name, this.parameters, request);
    const model = await this.resolveModel(request);
    const response = await this.post(request, model, false);
    return this.completion(await this.client.readJson(response, request.signal), model);
  }

  async *stream(request: ChatRequest): AsyncGenerator<StreamEvent> {
    assertParametersSupported(this.name, this.parameters, request);
    if (request.n !== undefined && request.n > 1) {
      // The router's stream carries one choice: several would be folded into one.
      throw new UnsupportedParameterError(
        this.name,
        'n',
        `n: ${request.n} with stream`,
        'n > 1 is served without stream only',
      );
    }
    const model = await this.resolveModel(request);
    const response = await this.post(request, model, true);
    const contentType = String(response.headers['content-type'] ?? '');
    if (contentType.includes('application/json')) {
      // Some compatible servers ignore `stream: true` and answer with one JSON completion.
      yield* this.singleResponseAsStream(await this.client.readJson(response, request.signal), model);
      return;
    }
    const assembler = new ChatChunkAssembler(model);
    let sawDone = false;
    for await (const event of this.client.serverSentEvents(response, request.signal)) {
      // After [DONE] the rest is drained, so the keep-alive connection stays reusable; `done` is
      // yielded first so a server that keeps the response open cannot hold the caller back.
      if (sawDone) continue;
      if (event.data === '[DONE]') {
        sawDone = true;
        yield* this.finishStream(assembler);
        continue;
      }
      let chunk: unknown;
      try {
        chunk = JSON.parse(event.data);
      } catch (error) {
        throw new ProviderError(this.name, 'upstream', `${this.name}: malformed stream event`, {
          retryable: true,
          cause: error,
        });
      }
      if (chunk && typeof chunk === 'object' && (chunk as { error?: unknown }).error) {
        throw providerErrorFromInBand(this.name, chunk, this.profile.secrets);
      }
      yield* assembler.push(chunk);
    }
    if (sawDone) return;
    if (!assembler.finished) {
      throw new ProviderError(
        this.name,
        'upstream',
        `${this.name}: stream ended before the response was complete`,
        {
          retryable: true,
        },
      );
    }
    yield* this.finishStream(assembler);
  }

  private *finishStream(assembler: ChatChunkAssembler): Generator<StreamEvent> {
    const { events, result } = assembler.finish();
    yield* events;
    yield { type: 'done', result };
  }

  /** OpenRouter reports failures that happen after routing as a 200 carrying an error body. */
  private completion(json: unknown, model: string): ChatResult {
    if (json && typeof json === 'object' && (json as { error?: unknown }).error) {
      throw providerErrorFromInBand(this.name, json, this.profile.secrets);
    }
    return fromWireResponse(json, model);
  }

  private *singleResponseAsStream(json: unknown, model: string): Generator<StreamEvent> {
    const result = this.completion(json, model);
    if (result.content) yield { type: 'text', text: result.content };
    for (const call of result.toolCalls) yield { type: 'tool_call', call };
    yield { type: 'done', result };
  }

  async listModels(signal?: AbortSignal): Promise<string[]> {
    if (!this.profile.modelsUrl) return this.defaultModel ? [this.defaultModel] : [];
    const response = await this.client.send({
      method: 'GET',
      url: this.profile.modelsUrl,
      headers: this.profile.headers,
      signal,
    });
    const json = (await this.client.readJson(response, signal)) as { data?: { id?: unknown }[] };
    return (json.data ?? []).map((m) => m.id).filter((id): id is string => typeof id === 'string');
  }

  close(): Promise<void> {
    return this.client.close();
  }

  /** The request's model, else the configured default, else the first model the server lists. */
  private async resolveModel(request: ChatRequest): Promise<string> {
    const model = request.model || this.defaultModel || this.discoveredModel;
    if (model) return model;
    const models = await this.listModels(request.signal);
    if (!models[0]) {
      throw new ProviderError(this.name, 'bad_request', `${this.name}: no model configured and none listed`, {
        retryable: false,
      });
    }
    this.discoveredModel = models[0];
    return models[0];
  }

  private async post(request: ChatRequest, model: string, stream: boolean) {
    const body = toWireRequest(request, {
      model,
      stream,
      includeStreamUsage: this.profile.includeStreamUsage,
      maxTokensField: this.profile.maxTokensField,
      jsonObject: this.profile.jsonObject ?? 'json_object',
      reasoningEffort: this.profile.reasoningEffort ?? 'reasoning_effort',
    });
    try {
      return await this.client.send({
        method: 'POST',
        url: this.profile.chatUrl(model),
        headers: this.profile.headers,
        body,
        signal: request.signal,
      });
    } catch (error) {
      if (error instanceof ProviderError && this.profile.refineError)
        throw this.profile.refineError(error, model);
      throw error;
    }
  }
}
