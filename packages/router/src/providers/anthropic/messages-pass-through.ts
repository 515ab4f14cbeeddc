/**
 * POST /v1/messages for the anthropic provider without a mapping: the client's Messages request
 * goes upstream as written (cache_control, thinking blocks, betas and fields the router does not
 * model included) and the upstream's message or events come back unchanged. Only the credential is
 * the router's: the client's key never leaves the router.
 */
import type { MessagesPassThrough, MessagesPassThroughRequest, PassThroughEvent } from '../model.js';
import { ProviderError } from '../model.js';
import { providerErrorFromInBand } from '../upstream-errors.js';
import { joinUrl, type UpstreamClient } from '../upstream-http.js';
import { ANTHROPIC_VERSION } from './codec.js';

export class AnthropicMessagesPassThrough implements MessagesPassThrough {
  constructor(
    private readonly client: UpstreamClient,
    private readonly baseUrl: string,
    private readonly apiKey: string,
    private readonly secrets: readonly string[],
  ) {}

  async create(request: MessagesPassThroughRequest): Promise<Record<string, unknown>> {
    const response = await this.#post('/v1/messages', request, request.body);
    return (await this.client.readJson(response, request.signal)) as Record<string, unknown>;
  }

  async *stream(request: MessagesPassThroughRequest): AsyncGenerator<PassThroughEvent> {
    const response = await this.#post('/v1/messages', request, request.body);
    let stopped = false;
    for await (const event of this.client.serverSentEvents(response, request.signal)) {
      // An in-band error is thrown so the router reports it in its own terms, secrets redacted.
      if (event.event === 'error')
        throw providerErrorFromInBand('anthropic', safeJson(event.data), this.secrets);
      yield { event: event.event, data: event.data };
      if (event.event === 'message_stop') stopped = true;
    }
    if (!stopped) {
      throw new ProviderError('anthropic', 'upstream', 'anthropic: stream ended before message_stop', {
        retryable: true,
      });
    }
  }

  async countTokens(request: MessagesPassThroughRequest): Promise<Record<string, unknown>> {
    const response = await this.#post('/v1/messages/count_tokens', request, request.body);
    return (await this.client.readJson(response, request.signal)) as Record<string, unknown>;
  }

  #post(path: string, request: MessagesPassThroughRequest, body: Record<string, unknown>) {
    const url = joinUrl(this.baseUrl, path);
    if (request.search) url.search = request.search;
    return this.client.send({
      method: 'POST',
      url,
      headers: {
        'x-api-key': this.apiKey,
        'anthropic-version': request.version ?? ANTHROPIC_VERSION,
        ...(request.beta && { 'anthropic-beta': request.beta }),
      },
      body,
      signal: request.signal,
    });
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { error: { message: 'malformed error event' } };
  }
}
