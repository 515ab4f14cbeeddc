import { OCSAI } from '@ocsai/telemetry';
import type { Context } from 'hono';
import type { AskEvent, PreparedAsk } from '../ask/ask-service.js';
import { toRouterError } from '../errors.js';
import { roundMs } from '../request-clock.js';
import { type ApiRoutes, createRoute } from './api-routes.js';
import {
  BAD_REQUEST,
  errorAnswer,
  requestIdHeaders,
  sharedAnswer,
  UPSTREAM_ERRORS,
} from './error-response.js';
import { SSE_HEADERS, sseFrame, startEventStream } from './event-stream.js';
import { jsonBody } from './json-body.js';
import { named, schemaRef } from './openapi-components.js';
import type { RouterEnv, RouterServices } from './router-env.js';

const ASK_REQUEST_EXAMPLE = {
  message: 'What is my balance?',
  provider: 'anthropic',
  model: 'claude-sonnet-4-5',
  user_id: 'alice',
  context: { identity: { name: 'Alice', locale: 'en-GB' } },
  temperature: 0.2,
  max_tokens: 512,
};

const ASK_RESPONSE_EXAMPLE = {
  id: 'msg_01',
  provider: 'anthropic',
  model: 'claude-sonnet-4-5',
  content: 'Your balance is 5 EUR.',
  message: { role: 'assistant', content: 'Your balance is 5 EUR.' },
  finish_reason: 'stop',
  tool_calls: [],
  usage: { input_tokens: 20, output_tokens: 6, total_tokens: 26, cached_input_tokens: 0 },
  latency_ms: 812.4,
  attempts: 1,
};

const ASK_STREAM_EXAMPLE = [
  'event: delta',
  'data: {"text":"Your bal"}',
  '',
  'event: tool_call',
  'data: {"id":"call_1","server":"ocs","name":"get_balance","arguments":{"msisdn":"46700"}}',
  '',
  'event: done',
  'data: {"id":"msg_01","provider":"anthropic","model":"claude-sonnet-4-5","content":"Your balance is 5 EUR.","finish_reason":"stop","router_overhead_ms":0.41}',
  '',
].join('\n');

/** The data shape of each event of an /ask stream (documented as x-sse-events). */
const ASK_EVENTS = {
  delta: { description: 'A piece of answer text.', schema: schemaRef('DeltaEvent') },
  tool_call: { description: 'A tool call the model made.', schema: schemaRef('ToolCallEvent') },
  tool_result: { description: 'What a tool returned.', schema: schemaRef('ToolResultEvent') },
  confirmation: { description: 'A tool call held for a human yes or no.', schema: schemaRef('Confirmation') },
  done: { description: 'The full answer; the stream ends.', schema: schemaRef('DoneEvent') },
  error: { description: 'A failure after the first event.', schema: schemaRef('ErrorBody') },
};

export const askRoute = createRoute({
  method: 'post',
  path: '/ask',
  operationId: 'ask',
  summary: 'Ask the model, plain or streamed',
  description:
    'Picks the provider, builds the prompt from the stored and request context, runs the model (with MCP tools when configured) and remembers the exchange when user_id is given. With stream: true the answer is text/event-stream; a failure before the first event is still a normal JSON error with its status, a failure after it an error event.',
  tags: ['ask'],
  request: {
    headers: requestIdHeaders,
    body: {
      required: true,
      content: { 'application/json': { schema: named('AskRequest'), example: ASK_REQUEST_EXAMPLE } },
    },
  },
  responses: {
    200: {
      description: 'The answer (application/json), or its event stream when stream is true.',
      content: {
        'application/json': { schema: named('AskResponse'), example: ASK_RESPONSE_EXAMPLE },
        'text/event-stream': {
          schema: {
            type: 'string',
            description: 'Server-sent events, flushed as they arrive; x-sse-events gives each data shape.',
          },
          'x-sse-events': ASK_EVENTS,
          example: ASK_STREAM_EXAMPLE,
        } as { schema: { type: 'string' } },
      },
    },
    400: BAD_REQUEST,
    401: sharedAnswer('Unauthorized'),
    403: errorAnswer(
      "provider_not_allowed / model_not_allowed: outside the principal's providers or models (the message names the allowed ones); approval_forbidden: ROUTER_APPROVAL=other-approver and this principal may not approve.",
    ),
    404: errorAnswer(
      'not_found: the principal may not act for this user_id. confirmation_not_found: confirm.id is unknown, was already answered, or belongs to another principal or user_id.',
    ),
    409: errorAnswer('confirmation_expired: the pending confirmation expired; nothing was done.'),
    413: sharedAnswer('PayloadTooLarge'),
    422: sharedAnswer('ValidationError'),
    429: sharedAnswer('RateLimited'),
    500: sharedAnswer('InternalError'),
    ...UPSTREAM_ERRORS,
  },
});

/** POST /ask: HTTP edge only; the conversation itself lives in AskService. */
export function registerAskRoutes(app: ApiRoutes<RouterEnv>, services: RouterServices): void {
  const { ask, config, metrics } = services;

  app.openapi({ ...askRoute, middleware: [jsonBody(config.ROUTER_MAX_BODY_BYTES)] }, async (c) => {
    const body = c.req.valid('json');
    const clock = c.get('clock');
    if (body.user_id !== undefined) c.get('span')?.setAttribute(OCSAI.USER_ID, body.user_id);
    const prepared = await ask.prepare(body, c.get('principal'), c.req.raw.signal);
    c.set('provider', prepared.adapter.name);
    c.set('model', prepared.chat.model);

    if (body.stream) return streamAnswer(c, services, prepared);
    try {
      return c.json(await ask.answer(prepared, clock), 200);
    } catch (error) {
      throw toRouterError(error, prepared.adapter.baseUrl);
    } finally {
      metrics.upstream(prepared.adapter.name, clock.upstreamMs / 1000);
    }
  });
}

async function streamAnswer(c: Context<RouterEnv>, services: RouterServices, prepared: PreparedAsk) {
  const clock = c.get('clock');
  const { logger, metrics } = services;
  const provider = prepared.adapter.name;
  c.set('streaming', true);
  let failed = false;
  let started = false;

  async function* frames(): AsyncGenerator<string, void, undefined> {
    try {
      for await (const event of services.ask.stream(prepared, clock)) yield frameFor(event);
    } catch (error) {
      const routerError = toRouterError(error, prepared.adapter.baseUrl);
      // Before the first frame the error becomes the HTTP response; after it, an `error` event.
      if (!started) throw routerError;
      failed = true;
      // A client that went away is routine; anything else deserves a warning.
      logger[routerError.status === 499 ? 'debug' : 'warn'](
        { reqId: c.get('requestId'), provider, type: routerError.type },
        'stream failed: %s',
        routerError.message,
      );
      yield sseFrame('error', routerError.toBody());
    } finally {
      metrics.upstream(provider, clock.upstreamMs / 1000);
      metrics.overhead('/ask', clock.overheadMs() / 1000);
      if (started) logger.debug({ reqId: c.get('requestId'), provider, failed }, 'stream closed');
    }
  }

  function frameFor(event: AskEvent): string {
    switch (event.type) {
      case 'delta':
        return sseFrame('delta', { text: event.text });
      case 'tool_call':
        return sseFrame('tool_call', event.call);
      case 'tool_result':
        return sseFrame('tool_result', event.call);
      case 'confirmation':
        return sseFrame('confirmation', event.confirmation);
      case 'done':
        return sseFrame('done', { ...event.answer, router_overhead_ms: roundMs(clock.overheadMs()) });
    }
  }

  const generator = frames();
  let body: ReadableStream<Uint8Array>;
  try {
    body = await startEventStream(generator);
  } catch (error) {
    throw toRouterError(error, prepared.adapter.baseUrl);
  }
  started = true;
  c.header('x-router-overhead-ms', String(roundMs(clock.overheadMs())));
  return c.body(body, 200, SSE_HEADERS);
}
