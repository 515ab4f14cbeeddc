import { randomUUID } from 'node:crypto';
import type { Context } from 'hono';
import { type CompletionTarget, resolveCompletionTarget } from '../../completion/completion-target.js';
import { compatibleToolLoop } from '../../completion/completion-tools.js';
import { runCompletion, streamCompletion } from '../../completion/run-completion.js';
import { RouterError, toRouterError } from '../../errors.js';
import type {
  ChatRequest,
  MessagesPassThrough,
  MessagesPassThroughRequest,
  PassThroughEvent,
} from '../../providers/types.js';
import { type ApiRoutes, createRoute } from '../api-routes.js';
import { respondWithEventStream } from '../compatible-event-stream.js';
import { preserialised, requestIdHeaders } from '../error-response.js';
import { jsonBody } from '../json-body.js';
import type { RouterEnv, RouterServices } from '../router-env.js';
import { type MessagesRequest, messagesRequestSchema, toChatRequest } from './messages-request.js';
import { MessageStreamWriter, messageOf, messageSchema } from './messages-response.js';

const anthropicError = (description: string) => ({
  description,
  content: {
    'application/json': {
      schema: {
        type: 'object' as const,
        properties: {
          type: { type: 'string' as const, enum: ['error'] },
          error: {
            type: 'object' as const,
            properties: { type: { type: 'string' as const }, message: { type: 'string' as const } },
          },
        },
      },
    },
  },
});

const ERRORS = {
  400: anthropicError(
    'invalid_request_error: invalid body (the message names the field), or a field this provider cannot honour (unsupported_parameter: the message names the field and the provider).',
  ),
  401: anthropicError(
    'authentication_error: API key missing, not recognised, or x-api-key and Authorization disagree.',
  ),
  403: anthropicError("permission_error: provider or model outside the principal's allowance."),
  413: anthropicError('request_too_large: the body is larger than ROUTER_MAX_BODY_BYTES.'),
  429: anthropicError('rate_limit_error: the provider or this key is rate limited (retry-after when known).'),
  500: anthropicError('api_error: unexpected router failure.'),
  502: anthropicError('api_error: the provider failed or refused the credentials.'),
  504: anthropicError('timeout_error: the provider did not answer in time.'),
  529: anthropicError('overloaded_error: the provider is overloaded.'),
};

const anthropicHeaders = requestIdHeaders.extend({
  'anthropic-version': requestIdHeaders.shape['x-request-id'].describe(
    'Sent upstream unchanged on the anthropic provider; otherwise not needed.',
  ),
  'anthropic-beta': requestIdHeaders.shape['x-request-id'].describe(
    'Sent upstream unchanged on the anthropic provider; otherwise ignored (betas are Anthropic features).',
  ),
});

const STREAM_EXAMPLE = [
  'event: message_start',
  'data: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"gpt-4o","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":0,"output_tokens":0,"cache_creation_input_tokens":0,"cache_read_input_tokens":0}}}',
  '',
  'event: content_block_delta',
  'data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hi"}}',
  '',
  'event: message_stop',
  'data: {"type":"message_stop"}',
  '',
].join('\n');

export const messagesRoute = createRoute({
  method: 'post',
  path: '/v1/messages',
  operationId: 'createMessage',
  summary: 'Anthropic Messages API over any provider, plain and streaming',
  description:
    "Point an Anthropic SDK or Claude Code at the router (ANTHROPIC_BASE_URL, the router key as ANTHROPIC_API_KEY or ANTHROPIC_AUTH_TOKEN). On the anthropic provider the request is forwarded unchanged (cache_control, thinking, betas included); on the others it is mapped, and a field that cannot be honoured is a 400 naming it. Errors use Anthropic's error body.",
  tags: ['anthropic'],
  request: {
    headers: anthropicHeaders,
    body: {
      required: true,
      content: {
        'application/json': {
          schema: messagesRequestSchema,
          example: {
            model: 'openai/gpt-4o',
            max_tokens: 256,
            messages: [{ role: 'user', content: 'Hello' }],
          },
        },
      },
    },
  },
  responses: {
    200: {
      description: 'The message, or Anthropic stream events when stream is true.',
      content: {
        'application/json': { schema: messageSchema },
        'text/event-stream': {
          schema: {
            type: 'string',
            description:
              'event: message_start, ping, content_block_start / content_block_delta / content_block_stop, message_delta, message_stop; a failure after the start arrives as event: error.',
          },
          example: STREAM_EXAMPLE,
        },
      },
    },
    ...ERRORS,
  },
});

export const countTokensRoute = createRoute({
  method: 'post',
  path: '/v1/messages/count_tokens',
  operationId: 'countMessageTokens',
  summary: "Anthropic's token count, on the anthropic provider",
  description:
    "Forwarded to Anthropic's count_tokens on the anthropic provider. The other providers have no counting endpoint, so the answer is a 400 naming the provider rather than a guess.",
  tags: ['anthropic'],
  request: {
    headers: anthropicHeaders,
    body: {
      required: true,
      content: { 'application/json': { schema: messagesRequestSchema.partial({ max_tokens: true }) } },
    },
  },
  responses: {
    200: {
      description: "Anthropic's answer, unchanged.",
      content: {
        'application/json': {
          schema: {
            type: 'object',
            properties: { input_tokens: { type: 'integer' } },
            required: ['input_tokens'],
          },
        },
      },
    },
    ...ERRORS,
  },
});

export const ANTHROPIC_ROUTES = [messagesRoute, countTokensRoute];

export function registerAnthropicRoutes(app: ApiRoutes<RouterEnv>, services: RouterServices): void {
  const { providers, config } = services;

  app.openapi(
    { ...messagesRoute, middleware: [jsonBody(config.ROUTER_MAX_BODY_BYTES)] as const },
    async (c) => {
      c.header('request-id', c.get('requestId'));
      const body = c.req.valid('json') as MessagesRequest;
      const target = resolveCompletionTarget(providers, c.get('principal'), body);
      const id = `msg_${randomUUID().replaceAll('-', '')}`;
      // Pass-through forwards the client's body untouched, so it cannot offer the router's tools:
      // with the tool loop opted in, an Anthropic request takes the mapped path like any other.
      const native = compatibleToolLoop(c, services) ? undefined : target.adapter.messages;
      if (native) {
        const request = passThroughRequest(c, body, target.model);
        if (body.stream) return streamPassThrough(c, services, target, native, request);
        c.set('provider', target.adapter.name);
        c.set('model', target.model);
        const clock = c.get('clock');
        try {
          // Anthropic's own message, unchanged: its shape is Anthropic's, not the router's schema.
          return preserialised(c.json(await clock.timeUpstream(native.create(request)), 200));
        } catch (error) {
          throw toRouterError(error, target.adapter.baseUrl);
        } finally {
          services.metrics.upstream(target.adapter.name, clock.upstreamMs / 1000);
        }
      }
      const chat: ChatRequest = {
        ...toChatRequest(body, target.adapter.name),
        model: target.model,
        signal: c.req.raw.signal,
      };
      if (body.stream) return streamMessage(c, services, target, chat, id);
      const result = await runCompletion(c, services, target, chat);
      return c.json(messageOf(id, result), 200);
    },
  );

  app.openapi(
    { ...countTokensRoute, middleware: [jsonBody(config.ROUTER_MAX_BODY_BYTES)] as const },
    async (c) => {
      c.header('request-id', c.get('requestId'));
      const body = c.req.valid('json') as MessagesRequest;
      const target = resolveCompletionTarget(providers, c.get('principal'), body);
      const native = target.adapter.messages;
      if (!native)
        throw new RouterError(
          400,
          'unsupported_endpoint',
          `count_tokens needs the anthropic provider: ${target.adapter.name} has no token-counting endpoint`,
          { provider: target.adapter.name },
        );
      c.set('provider', target.adapter.name);
      c.set('model', target.model);
      const clock = c.get('clock');
      try {
        const count = await clock.timeUpstream(native.countTokens(passThroughRequest(c, body, target.model)));
        // Anthropic's answer, unchanged.
        return preserialised(c.json(count, 200));
      } catch (error) {
        throw toRouterError(error, target.adapter.baseUrl);
      }
    },
  );
}

/** The client's body with only the model resolved and the router's own field removed. */
function passThroughRequest(
  c: Context<RouterEnv>,
  body: MessagesRequest,
  model: string,
): MessagesPassThroughRequest {
  const { provider: _routerField, ...forwarded } = body;
  return {
    body: { ...forwarded, model },
    beta: c.req.header('anthropic-beta'),
    version: c.req.header('anthropic-version'),
    search: new URL(c.req.url).search,
    signal: c.req.raw.signal,
  };
}

function streamMessage(
  c: Context<RouterEnv>,
  services: RouterServices,
  target: CompletionTarget,
  chat: ChatRequest,
  id: string,
) {
  const writer = new MessageStreamWriter(id, chat.model);
  async function* frames(): AsyncGenerator<string, void, undefined> {
    let started = false;
    for await (const event of streamCompletion(c, services, target, chat)) {
      // message_start goes out with the first upstream event, so an upstream that fails before
      // answering still gets a proper HTTP status.
      let frame = started ? '' : writer.start();
      started = true;
      if (event.type === 'text') {
        if (event.text) frame += writer.text(event.text);
      } else if (event.type === 'tool_call') {
        frame += writer.toolCall(event.call);
      } else {
        yield frame + writer.finish(event.result);
        return;
      }
      if (frame) yield frame;
    }
  }
  return respondWithEventStream(c, services, target, frames());
}

function streamPassThrough(
  c: Context<RouterEnv>,
  services: RouterServices,
  target: CompletionTarget,
  native: MessagesPassThrough,
  request: MessagesPassThroughRequest,
) {
  const clock = c.get('clock');
  const { adapter } = target;
  c.set('provider', adapter.name);
  c.set('model', target.model);
  c.set('streaming', true);
  async function* frames(): AsyncGenerator<string, void, undefined> {
    const usage = new StreamUsage();
    try {
      for await (const event of clock.timeStream(native.stream(request))) {
        usage.read(event);
        yield `${event.event ? `event: ${event.event}\n` : ''}data: ${event.data}\n\n`;
      }
    } finally {
      services.metrics.upstream(adapter.name, clock.upstreamMs / 1000);
      services.metrics.overhead(c.req.routePath, clock.overheadMs() / 1000);
      services.logger.debug(
        { reqId: c.get('requestId'), provider: adapter.name, usage: usage.totals },
        'usage',
      );
    }
  }
  return respondWithEventStream(c, services, target, frames());
}

/** The usage of a passed-through stream (message_start, then cumulative message_delta counts). */
class StreamUsage {
  readonly totals: Record<string, number> = {};

  read(event: PassThroughEvent): void {
    if (event.event !== 'message_start' && event.event !== 'message_delta') return;
    try {
      const data = JSON.parse(event.data) as { message?: { usage?: unknown }; usage?: unknown };
      const usage = (event.event === 'message_start' ? data.message?.usage : data.usage) ?? {};
      for (const [key, value] of Object.entries(usage as Record<string, unknown>))
        if (typeof value === 'number') this.totals[key] = value;
    } catch {
      // The client gets the event as it came; only the log misses its usage.
    }
  }
}
