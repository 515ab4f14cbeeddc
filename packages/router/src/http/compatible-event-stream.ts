import type { Context } from 'hono';
import type { CompletionTarget } from '../completion/completion-target.js';
import { type RouterError, toRouterError } from '../errors.js';
import { roundMs } from '../request-clock.js';
import { errorDialectFor } from './error-dialects.js';
import { SSE_HEADERS, startEventStream } from './event-stream.js';
import type { RouterEnv, RouterServices } from './router-env.js';

/**
 * A compatible API's stream (Chat Completions, Responses, Messages) as the response. The response
 * is committed with the first frame: a failure before it is thrown, so the caller gets a proper
 * HTTP status (a 429 stays a 429 for the SDK); a failure after it is logged and written as the
 * API's own error event (by default its error dialect's), and the stream ends.
 */
export async function respondWithEventStream(
  c: Context<RouterEnv>,
  services: Pick<RouterServices, 'logger'>,
  target: CompletionTarget,
  frames: AsyncGenerator<string, void, undefined>,
  failureFrame: (error: RouterError) => string = (error) => errorDialectFor(c.req.path).streamEvent(error),
): Promise<Response> {
  let started = false;
  async function* guarded(): AsyncGenerator<string, void, undefined> {
    try {
      yield* frames;
    } catch (error) {
      const routerError = toRouterError(error, target.adapter.baseUrl);
      if (!started) throw routerError;
      services.logger[routerError.status === 499 ? 'debug' : 'warn'](
        { reqId: c.get('requestId'), provider: target.adapter.name, type: routerError.type },
        'stream failed',
      );
      yield failureFrame(routerError);
    }
  }

  let stream: ReadableStream<Uint8Array>;
  try {
    stream = await startEventStream(guarded());
  } catch (error) {
    throw toRouterError(error, target.adapter.baseUrl);
  }
  started = true;
  c.header('x-router-overhead-ms', String(roundMs(c.get('clock').overheadMs())));
  return c.body(stream, 200, SSE_HEADERS);
}
