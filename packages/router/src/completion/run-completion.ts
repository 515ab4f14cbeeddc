import type { Context } from 'hono';
import { RouterError, toRouterError } from '../errors.js';
import type { RouterEnv, RouterServices } from '../http/router-env.js';
import type { ChatRequest, ChatResult, StreamEvent } from '../providers/types.js';
import { answeredBy } from '../resilience/resilient-adapter.js';
import { confirmationOf } from './answer-confirmation.js';
import type { CompletionTarget } from './completion-target.js';
import { compatibleToolLoop, runToolCompletion, streamToolCompletion } from './completion-tools.js';
import { checkStructuredOutput } from './structured-output.js';

/**
 * One provider call for a compatible-API request, whatever the API: timed on the request clock,
 * its upstream latency recorded, its failure mapped to a RouterError. Each API's route turns the
 * provider-neutral result into its own wire format. With the router's MCP tools opted in (see
 * compatibleToolLoop) the call runs through the tool loop: router tools run inside, and the result
 * is the model's final answer, the client's own tool calls, or a question held for confirmation
 * (confirmationOf(result)).
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
    const loop = compatibleToolLoop(c, services);
    // The loop times each provider and tool wait on the clock itself.
    const result = loop
      ? await runToolCompletion(c, loop, target, chat)
      : await clock.timeUpstream(target.adapter.chat(chat));
    return checkedAnswer(result, chat, target);
  } catch (error) {
    throw toRouterError(error, target.adapter.baseUrl);
  } finally {
    services.metrics.upstream(target.adapter.name, clock.upstreamMs / 1000);
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
    const loop = compatibleToolLoop(c, services);
    const events = loop
      ? streamToolCompletion(c, loop, target, chat)
      : clock.timeStream(adapter.stream(chat));
    for await (const event of events) {
      if (event.type === 'done') {
        yield { type: 'done', result: checkedAnswer(event.result, chat, target) };
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
    services.metrics.upstream(adapter.name, clock.upstreamMs / 1000);
    services.metrics.overhead(c.req.routePath, clock.overheadMs() / 1000);
  }
}

/**
 * The final answer checked against the requested structured output. A question held for a human's
 * confirmation is not the answer yet: it is the router's own text, so it is not checked.
 */
function checkedAnswer(result: ChatResult, chat: ChatRequest, target: CompletionTarget): ChatResult {
  if (confirmationOf(result)) return result;
  return checkStructuredOutput(
    result,
    chat.responseFormat,
    answeredBy(result)?.provider ?? target.adapter.name,
  );
}
