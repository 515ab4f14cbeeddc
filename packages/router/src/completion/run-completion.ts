import type { Context } from 'hono';
import { RouterError, toRouterError } from '../errors.js';
import type { RouterEnv, RouterServices } from '../http/router-env.js';
import type { ChatRequest, ChatResult, StreamEvent } from '../providers/types.js';
import { answeredBy } from '../resilience/resilient-adapter.js';
import type { CompletionTarget } from './completion-target.js';
import { checkStructuredOutput } from './structured-output.js';

/**
 * One provider call for a compatible-API request, whatever the API: timed on the request clock,
 * its upstream latency recorded, its failure mapped to a RouterError. Each API's route turns the
 * provider-neutral result into its own wire format.
 */
export async function runCompletion(
  c: Context<RouterEnv>,
  services: RouterServices,
  target: CompletionTarget,
  chat: ChatRequest,
): Promise<ChatResult> {
  const clock = c.get('clock');
  c.set('provider', target.adapter.name);
  c.set('model', chat.model);
  try {
    const result = await clock.timeUpstream(target.adapter.chat(chat));
    return checkStructuredOutput(
      result,
      chat.responseFormat,
      answeredBy(result)?.provider ?? target.adapter.name,
    );
  } catch (error) {
    throw toRouterError(error, target.adapter.baseUrl);
  } finally {
    services.metrics.upstreamLatency.observe({ provider: target.adapter.name }, clock.upstreamMs / 1000);
  }
}

/**
 * The streamed form of {@link runCompletion}: the provider's events, ending with exactly one `done`,
 * or a RouterError thrown (also when the upstream stream ends early). Upstream latency and the
 * router's overhead are recorded when the stream ends, since the edge middleware cannot see it.
 */
export async function* streamCompletion(
  c: Context<RouterEnv>,
  services: RouterServices,
  target: CompletionTarget,
  chat: ChatRequest,
): AsyncGenerator<StreamEvent, void, undefined> {
  const clock = c.get('clock');
  const { adapter } = target;
  c.set('provider', adapter.name);
  c.set('model', chat.model);
  c.set('streaming', true);
  try {
    for await (const event of clock.timeStream(adapter.stream(chat))) {
      if (event.type === 'done') {
        const provider = answeredBy(event.result)?.provider ?? adapter.name;
        yield { type: 'done', result: checkStructuredOutput(event.result, chat.responseFormat, provider) };
        return;
      }
      yield event;
    }
    throw new RouterError(
      502,
      'upstream_error',
      `${adapter.name} stream ended before the answer was complete`,
      {
        provider: adapter.name,
      },
    );
  } catch (error) {
    throw toRouterError(error, adapter.baseUrl);
  } finally {
    services.metrics.upstreamLatency.observe({ provider: adapter.name }, clock.upstreamMs / 1000);
    services.metrics.overhead.observe({ route: c.req.routePath }, clock.overheadMs() / 1000);
  }
}
