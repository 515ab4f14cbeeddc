import { randomUUID } from 'node:crypto';
import type { Context } from 'hono';
import { matchesGlob } from '../../admission/principal.js';
import { type CompletionTarget, resolveCompletionTarget } from '../../completion/completion-target.js';
import { runCompletion, streamCompletion } from '../../completion/run-completion.js';
import { RouterError } from '../../errors.js';
import type { ChatRequest } from '../../providers/types.js';
import { type ApiRoutes, createRoute } from '../api-routes.js';
import { compatibleApiHeaders } from '../compatible-api-headers.js';
import { respondWithEventStream } from '../compatible-event-stream.js';
import { jsonBody } from '../json-body.js';
import { named } from '../openapi-components.js';
import type { RouterEnv, RouterServices } from '../router-env.js';
import {
  type ChatCompletionsRequest,
  ToolArgumentsError,
  toChatRequest,
} from './chat-completions-request.js';
import { ChunkWriter, chatCompletion } from './chat-completions-response.js';
import { OPENAI_ERROR_ANSWERS } from './openai-errors.js';

const CHUNKS_EXAMPLE = [
  'data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1767225600,"model":"gpt-4o","choices":[{"index":0,"delta":{"content":"Hi"},"logprobs":null,"finish_reason":null}]}',
  '',
  'data: [DONE]',
  '',
].join('\n');

export const chatCompletionsRoute = createRoute({
  method: 'post',
  path: '/v1/chat/completions',
  operationId: 'createChatCompletion',
  summary: 'OpenAI-compatible chat completions, plain and streaming',
  description:
    'Point an OpenAI SDK at /v1. Tools, tool_choice and tool results pass through in OpenAI format whatever the provider. Context envelopes and memory are /ask features and are not applied here. Errors use the OpenAI error body.',
  tags: ['openai'],
  request: {
    headers: compatibleApiHeaders,
    body: {
      required: true,
      content: {
        'application/json': {
          schema: named('ChatCompletionsRequest'),
          example: { model: 'anthropic/claude-sonnet-4-5', messages: [{ role: 'user', content: 'Hello' }] },
        },
      },
    },
  },
  responses: {
    200: {
      description: 'The completion, or chat.completion.chunk events when stream is true.',
      content: {
        'application/json': { schema: named('ChatCompletion') },
        'text/event-stream': {
          schema: {
            type: 'string',
            description:
              'data: lines carrying chat.completion.chunk objects, then data: [DONE]; a failure after the first chunk arrives as data: with an OpenAIErrorBody.',
          },
          example: CHUNKS_EXAMPLE,
        },
      },
    },
    ...OPENAI_ERROR_ANSWERS,
  },
});

export const modelsRoute = createRoute({
  method: 'get',
  path: '/v1/models',
  operationId: 'listModels',
  summary: 'Default model of each configured provider, OpenAI style',
  tags: ['openai'],
  responses: {
    200: {
      description: 'Model list.',
      content: {
        'application/json': {
          schema: named('ModelList'),
          example: {
            object: 'list',
            data: [{ id: 'ollama/llama3.2', object: 'model', created: 0, owned_by: 'ollama' }],
          },
        },
      },
    },
    401: OPENAI_ERROR_ANSWERS[401],
    429: OPENAI_ERROR_ANSWERS[429],
  },
});

export const OPENAI_ROUTES = [chatCompletionsRoute, modelsRoute];

/**
 * OpenAI-compatible surface (/v1/chat/completions, /v1/models) so OpenAI SDKs and tools can use
 * the router as their base URL. Context envelopes and memory are /ask features, not used here.
 */
export function registerOpenAiRoutes(app: ApiRoutes<RouterEnv>, services: RouterServices): void {
  const { providers, config } = services;

  app.openapi(
    { ...chatCompletionsRoute, middleware: [jsonBody(config.ROUTER_MAX_BODY_BYTES)] },
    async (c) => {
      const body = c.req.valid('json');
      const target = resolveCompletionTarget(providers, c.get('principal'), body);
      let chat: ChatRequest;
      try {
        chat = {
          ...toChatRequest(body, { passThroughFields: config.ROUTER_PASS_THROUGH_FIELDS }),
          model: target.model,
          signal: c.req.raw.signal,
        };
      } catch (error) {
        if (!(error instanceof ToolArgumentsError)) throw error;
        throw new RouterError(422, 'validation_error', `Invalid request: ${error.path}: ${error.message}`, {
          issues: [{ path: error.path, message: error.message }],
        });
      }
      const id = `chatcmpl-${randomUUID()}`;
      const created = Math.floor(Date.now() / 1000);

      if (body.stream) return streamChatCompletion(c, services, target, chat, body, id, created);
      const result = await runCompletion(c, services, target, chat);
      return c.json(chatCompletion(result.id ?? id, created, result), 200);
    },
  );

  app.openapi(modelsRoute, (c) => {
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
        data.push({ id: `${name}/${defaultModel}`, object: 'model' as const, created: 0, owned_by: name });
    }
    return c.json({ object: 'list' as const, data }, 200);
  });
}

async function streamChatCompletion(
  c: Context<RouterEnv>,
  services: RouterServices,
  target: CompletionTarget,
  chat: ChatRequest,
  body: ChatCompletionsRequest,
  id: string,
  created: number,
) {
  const writer = new ChunkWriter(id, created, chat.model, body.stream_options?.include_usage === true);

  async function* frames(): AsyncGenerator<string, void, undefined> {
    let first = true;
    for await (const event of streamCompletion(c, services, target, chat)) {
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
  }

  return respondWithEventStream(c, services, target, frames());
}
