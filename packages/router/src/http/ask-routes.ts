import type { Context, Hono } from 'hono';
import { askRequestSchema } from '../ask/ask-request.js';
import type { AskEvent, PreparedAsk } from '../ask/ask-service.js';
import { toRouterError, validationError } from '../errors.js';
import { roundMs } from '../request-clock.js';
import { SSE_HEADERS, sseFrame, startEventStream } from './event-stream.js';
import { readJsonBody } from './json-body.js';
import type { RouterEnv, RouterServices } from './router-env.js';

/** POST /ask: HTTP edge only; the conversation itself lives in AskService. */
export function registerAskRoutes(app: Hono<RouterEnv>, services: RouterServices): void {
  const { ask, config, metrics } = services;

  app.post('/ask', async (c) => {
    const parsed = askRequestSchema.safeParse(await readJsonBody(c.req.raw, config.ROUTER_MAX_BODY_BYTES));
    if (!parsed.success) throw validationError(parsed.error);
    const clock = c.get('clock');
    const prepared = await ask.prepare(parsed.data, c.get('principal'), c.req.raw.signal);
    c.set('provider', prepared.adapter.name);
    c.set('model', prepared.chat.model);

    if (parsed.data.stream) return streamAnswer(c, services, prepared);
    try {
      return c.json(await ask.answer(prepared, clock));
    } catch (error) {
      throw toRouterError(error, prepared.adapter.baseUrl);
    } finally {
      metrics.upstreamLatency.observe({ provider: prepared.adapter.name }, clock.upstreamMs / 1000);
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
      metrics.upstreamLatency.observe({ provider }, clock.upstreamMs / 1000);
      metrics.overhead.observe({ route: '/ask' }, clock.overheadMs() / 1000);
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
