import { randomUUID } from 'node:crypto';
import type { Context, Hono } from 'hono';
import { assertMayUse, matchesGlob } from '../../admission/principal.js';
import { RouterError, toRouterError, validationError } from '../../errors.js';
import { isProviderName } from '../../provider-registry.js';
import type { ChatRequest, ProviderAdapter } from '../../providers/types.js';
import { roundMs } from '../../request-clock.js';
import { SSE_HEADERS, startEventStream } from '../event-stream.js';
import { readJsonBody } from '../json-body.js';
import type { RouterEnv, RouterServices } from '../router-env.js';
import {
  type ChatCompletionsRequest,
  chatCompletionsRequestSchema,
  ToolArgumentsError,
  toChatRequest,
} from './chat-completions-request.js';
import { ChunkWriter, chatCompletion } from './chat-completions-response.js';

/**
 * OpenAI-compatible surface (/v1/chat/completions, /v1/models) so OpenAI SDKs and tools can use
 * the router as their base URL. Context envelopes and memory are /ask features, not used here.
 */
export function registerOpenAiRoutes(app: Hono<RouterEnv>, services: RouterServices): void {
  const { providers, config, metrics } = services;

  app.post('/v1/chat/completions', async (c) => {
    const parsed = chatCompletionsRequestSchema.safeParse(
      await readJsonBody(c.req.raw, config.ROUTER_MAX_BODY_BYTES),
    );
    if (!parsed.success) throw validationError(parsed.error);
    const body = parsed.data;
    const target = providers.resolveModel(body.provider, body.model);
    const principal = c.get('principal');
    const providerName = target.provider ?? providers.defaultProvider;
    // Checked before the adapter exists: a refused provider is never contacted.
    if (isProviderName(providerName)) assertMayUse(principal, providerName, target.model);
    const adapter = providers.get(target.provider);
    const model = target.model ?? adapter.defaultModel;
    if (!model) throw new RouterError(400, 'model_required', `No model given for provider ${adapter.name}`);
    assertMayUse(principal, adapter.name, model);
    let chat: ChatRequest;
    try {
      chat = { ...toChatRequest(body), model, signal: c.req.raw.signal };
    } catch (error) {
      if (!(error instanceof ToolArgumentsError)) throw error;
      throw new RouterError(422, 'validation_error', `Invalid request: ${error.path}: ${error.message}`, {
        issues: [{ path: error.path, message: error.message }],
      });
    }
    c.set('provider', adapter.name);
    c.set('model', model);
    const clock = c.get('clock');
    const id = `chatcmpl-${randomUUID()}`;
    const created = Math.floor(Date.now() / 1000);

    if (body.stream) return streamCompletion(c, services, adapter, chat, body, id, created);
    try {
      const result = await clock.timeUpstream(adapter.chat(chat));
      return c.json(chatCompletion(result.id ?? id, created, result));
    } catch (error) {
      throw toRouterError(error, adapter.baseUrl);
    } finally {
      metrics.upstreamLatency.observe({ provider: adapter.name }, clock.upstreamMs / 1000);
    }
  });

  app.get('/v1/models', (c) => {
    const data = [];
    // Only what this principal may ask for.
    const principal = c.get('principal');
    for (const name of providers.configured().filter((name) => principal.providers.includes(name))) {
      let defaultModel: string | undefined;
      try {
        defaultModel = providers.get(name).defaultModel;
      } catch {
        continue;
      }
      if (defaultModel && matchesGlob(principal.models, defaultModel))
        data.push({ id: `${name}/${defaultModel}`, object: 'model', created: 0, owned_by: name });
    }
    return c.json({ object: 'list', data });
  });
}

async function streamCompletion(
  c: Context<RouterEnv>,
  services: RouterServices,
  adapter: ProviderAdapter,
  chat: ChatRequest,
  body: ChatCompletionsRequest,
  id: string,
  created: number,
) {
  const clock = c.get('clock');
  const { metrics, logger } = services;
  const writer = new ChunkWriter(id, created, chat.model, body.stream_options?.include_usage === true);
  c.set('streaming', true);
  let started = false;

  async function* frames(): AsyncGenerator<string, void, undefined> {
    try {
      let first = true;
      for await (const event of clock.timeStream(adapter.stream(chat))) {
        let frame = first ? writer.role() : '';
        first = false;
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
      throw new RouterError(
        502,
        'upstream_error',
        `${adapter.name} stream ended before the answer was complete`,
        {
          provider: adapter.name,
        },
      );
    } catch (error) {
      const routerError = toRouterError(error, adapter.baseUrl);
      if (!started) throw routerError;
      logger[routerError.status === 499 ? 'debug' : 'warn'](
        { reqId: c.get('requestId'), provider: adapter.name, type: routerError.type },
        'stream failed',
      );
      yield `data: ${JSON.stringify(routerError.toBody())}\n\n`;
    } finally {
      metrics.upstreamLatency.observe({ provider: adapter.name }, clock.upstreamMs / 1000);
      metrics.overhead.observe({ route: '/v1/chat/completions' }, clock.overheadMs() / 1000);
    }
  }

  let stream: ReadableStream<Uint8Array>;
  try {
    stream = await startEventStream(frames());
  } catch (error) {
    throw toRouterError(error, adapter.baseUrl);
  }
  started = true;
  c.header('x-router-overhead-ms', String(roundMs(clock.overheadMs())));
  return c.body(stream, 200, SSE_HEADERS);
}
