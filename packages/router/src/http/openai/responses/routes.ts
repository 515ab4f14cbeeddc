import type { Context } from 'hono';
import { z } from 'zod';
import { type CompletionTarget, resolveCompletionTarget } from '../../../completion/completion-target.js';
import { runCompletion, streamCompletion } from '../../../completion/run-completion.js';
import { RouterError } from '../../../errors.js';
import type { ChatMessage, ChatRequest, ChatResult } from '../../../providers/types.js';
import { MemoryResponseStore } from '../../../stores/responses/memory.js';
import {
  MAX_STORED_CONVERSATION_CHARS,
  RESPONSE_TTL_MS,
  type ResponseStore,
} from '../../../stores/responses/response-store.js';
import { type ApiRoutes, createRoute } from '../../api-routes.js';
import { respondWithEventStream } from '../../compatible-event-stream.js';
import { requestIdHeaders } from '../../error-response.js';
import { jsonBody } from '../../json-body.js';
import { named } from '../../openapi-components.js';
import type { RouterEnv, RouterServices } from '../../router-env.js';
import { OPENAI_ERROR_ANSWERS, openAiError, openAiErrorAnswer } from '../openai-errors.js';
import { ResponseEventWriter } from './response-events.js';
import {
  newResponseId,
  outputItems,
  type ResponseFrame,
  type ResponseObject,
  type ResponseOutputItem,
  responseIdOfItem,
  responseObject,
} from './response-object.js';
import {
  generationOptions,
  inputMessages,
  ResponsesInputError,
  type ResponsesInputItem,
  type ResponsesRequest,
} from './responses-request.js';

const EVENTS_EXAMPLE = [
  'event: response.created',
  'data: {"type":"response.created","response":{"id":"resp_1","object":"response","status":"in_progress","output":[]},"sequence_number":0}',
  '',
  'event: response.output_text.delta',
  'data: {"type":"response.output_text.delta","item_id":"msg_1","output_index":0,"content_index":0,"delta":"Hi","logprobs":[],"sequence_number":4}',
  '',
  'event: response.completed',
  'data: {"type":"response.completed","response":{"id":"resp_1","object":"response","status":"completed"},"sequence_number":9}',
  '',
].join('\n');

const NOT_FOUND = openAiErrorAnswer(
  "invalid_request_error, code response_not_found: no stored response with this id for this API key (another principal's id answers the same).",
);

export const createResponseRoute = createRoute({
  method: 'post',
  path: '/v1/responses',
  operationId: 'createResponse',
  summary: 'OpenAI Responses API, plain and streaming, over any provider',
  description:
    'Point an OpenAI SDK at /v1 and call responses.create. Input items (messages, function_call, function_call_output), instructions, function tools, tool_choice, text.format and the generation controls map onto any provider; what the router cannot do (built-in tools, background, conversation, include...) is refused with 400 naming the field. Responses are stored for previous_response_id unless store is false, per API key, for 30 days. Errors use the OpenAI error body.',
  tags: ['openai'],
  request: {
    headers: requestIdHeaders,
    body: {
      required: true,
      content: {
        'application/json': {
          schema: named('ResponsesRequest'),
          example: { model: 'anthropic/claude-sonnet-4-5', input: 'Hello' },
        },
      },
    },
  },
  responses: {
    200: {
      description: 'The response object, or its typed events when stream is true.',
      content: {
        'application/json': { schema: named('Response') },
        'text/event-stream': {
          schema: {
            type: 'string',
            description:
              'event:/data: pairs, each data a typed event with sequence_number: response.created, response.in_progress, response.output_item.added, response.content_part.added, response.output_text.delta, response.output_text.done, response.content_part.done, response.function_call_arguments.delta/.done, response.output_item.done, then response.completed (or response.incomplete). A failure after the first event arrives as an error event, then response.failed.',
          },
          example: EVENTS_EXAMPLE,
        },
      },
    },
    ...OPENAI_ERROR_ANSWERS,
    404: openAiErrorAnswer(
      "invalid_request_error, code previous_response_not_found (param previous_response_id): no stored response with that id for this API key (another principal's id answers the same).",
    ),
  },
});

const idParams = z.object({ response_id: z.string().min(1).max(200).describe('The resp_... id.') });

export const getResponseRoute = createRoute({
  method: 'get',
  path: '/v1/responses/{response_id}',
  operationId: 'getResponse',
  summary: 'A stored response of this API key',
  tags: ['openai'],
  request: { params: idParams, headers: requestIdHeaders },
  responses: {
    200: {
      description: 'The stored response object.',
      content: { 'application/json': { schema: named('Response') } },
    },
    400: OPENAI_ERROR_ANSWERS[400],
    401: OPENAI_ERROR_ANSWERS[401],
    404: NOT_FOUND,
    429: OPENAI_ERROR_ANSWERS[429],
  },
});

export const deleteResponseRoute = createRoute({
  method: 'delete',
  path: '/v1/responses/{response_id}',
  operationId: 'deleteResponse',
  summary: 'Delete a stored response of this API key',
  tags: ['openai'],
  request: { params: idParams, headers: requestIdHeaders },
  responses: {
    200: {
      description: 'Deleted.',
      content: {
        'application/json': {
          schema: z.object({
            id: z.string(),
            object: z.literal('response.deleted'),
            deleted: z.literal(true),
          }),
        },
      },
    },
    401: OPENAI_ERROR_ANSWERS[401],
    404: NOT_FOUND,
    429: OPENAI_ERROR_ANSWERS[429],
  },
});

export const RESPONSES_ROUTES = [createResponseRoute, getResponseRoute, deleteResponseRoute];

const responseNotFound = (id: string) =>
  new RouterError(404, 'response_not_found', `Response with id '${id}' not found.`);

/**
 * POST /v1/responses over any provider, and GET/DELETE of the stored responses. Every stored
 * response belongs to the principal that created it: the store is asked by id AND principal id.
 */
export function registerResponsesRoutes(app: ApiRoutes<RouterEnv>, services: RouterServices): void {
  const { providers, config } = services;
  const store = services.responses ?? new MemoryResponseStore();

  app.openapi({ ...createResponseRoute, middleware: [jsonBody(config.ROUTER_MAX_BODY_BYTES)] }, async (c) => {
    const body = c.req.valid('json');
    const principal = c.get('principal');
    const target = resolveCompletionTarget(providers, principal, body);
    const prior = body.previous_response_id ? await previousConversation(store, body, principal.id) : [];
    const input = await resolveItemReferences(store, body.input, principal.id);
    let conversation: ChatMessage[];
    try {
      conversation = [...prior, ...inputMessages(input, prior)];
    } catch (error) {
      if (!(error instanceof ResponsesInputError)) throw error;
      throw new RouterError(422, 'validation_error', `Invalid request: ${error.path}: ${error.message}`, {
        issues: [error.issue],
      });
    }
    const messages: ChatMessage[] = body.instructions
      ? [{ role: 'system', content: body.instructions }, ...conversation]
      : conversation;
    const chat: ChatRequest = {
      ...generationOptions(body),
      messages,
      model: target.model,
      signal: c.req.raw.signal,
    };
    const frame: ResponseFrame = {
      id: newResponseId(),
      createdAt: Math.floor(Date.now() / 1000),
      model: target.model,
      body,
      store: body.store !== false,
    };
    const keep = async (result: ChatResult, response: ResponseObject) => {
      if (!frame.store) return;
      const now = Date.now();
      await store.put({
        id: frame.id,
        principalId: principal.id,
        createdAt: now,
        expiresAt: now + RESPONSE_TTL_MS,
        conversation: [
          ...conversation,
          {
            role: 'assistant',
            content: result.content,
            ...(result.toolCalls.length ? { toolCalls: result.toolCalls } : {}),
          },
        ],
        response: response as unknown as Record<string, unknown>,
      });
    };

    if (body.stream) return streamResponse(c, services, target, chat, frame, keep);
    const result = await runCompletion(c, services, target, chat);
    const response = responseObject(frame, {
      status: 'completed',
      result,
      output: outputItems(result, frame.id),
    });
    await keep(result, response);
    return c.json(response, 200);
  });

  app.openapi(getResponseRoute, async (c) => {
    const { response_id: id } = c.req.valid('param');
    const stored = await store.get(id, c.get('principal').id);
    if (!stored) throw responseNotFound(id);
    return c.json(stored.response as ResponseObject, 200);
  });

  app.openapi(deleteResponseRoute, async (c) => {
    const { response_id: id } = c.req.valid('param');
    if (!(await store.delete(id, c.get('principal').id))) throw responseNotFound(id);
    return c.json({ id, object: 'response.deleted' as const, deleted: true as const }, 200);
  });
}

/**
 * `item_reference` items replaced by the output items they name, read from this principal's stored
 * responses (another principal's item is unknown; an unknown one is left for the mapping to refuse).
 */
async function resolveItemReferences(
  store: ResponseStore,
  input: ResponsesRequest['input'],
  principalId: string,
): Promise<ResponsesRequest['input']> {
  if (!Array.isArray(input) || !input.some((item) => item.type === 'item_reference')) return input;
  const responses = new Map<string, ResponseOutputItem[]>();
  const resolved: ResponsesInputItem[] = [];
  for (const item of input) {
    const responseId = item.type === 'item_reference' ? responseIdOfItem(item.id) : undefined;
    if (item.type !== 'item_reference' || !responseId) {
      resolved.push(item);
      continue;
    }
    if (!responses.has(responseId)) {
      const stored = await store.get(responseId, principalId);
      responses.set(responseId, (stored?.response.output as ResponseOutputItem[] | undefined) ?? []);
    }
    const found = responses.get(responseId)?.find((output) => output.id === item.id);
    if (!found) resolved.push(item);
    else if (found.type === 'function_call') resolved.push(found);
    else resolved.push({ type: 'message', role: 'assistant', content: found.content });
  }
  return resolved;
}

/** The stored conversation a continuation builds on; another principal's id is an unknown one. */
async function previousConversation(
  store: ResponseStore,
  body: ResponsesRequest,
  principalId: string,
): Promise<ChatMessage[]> {
  const id = body.previous_response_id as string;
  const previous = await store.get(id, principalId);
  const issue = (message: string) => ({ issues: [{ path: 'previous_response_id', message }] });
  if (!previous) {
    const message = `Previous response with id '${id}' not found.`;
    throw new RouterError(404, 'previous_response_not_found', message, issue(message));
  }
  if (JSON.stringify(previous.conversation).length > MAX_STORED_CONVERSATION_CHARS) {
    const message = `the stored conversation is longer than ${MAX_STORED_CONVERSATION_CHARS} characters; start a new response with the items it needs in input`;
    throw new RouterError(
      400,
      'conversation_too_long',
      `Invalid request: previous_response_id: ${message}`,
      issue(message),
    );
  }
  return previous.conversation;
}

async function streamResponse(
  c: Context<RouterEnv>,
  services: RouterServices,
  target: CompletionTarget,
  chat: ChatRequest,
  frame: ResponseFrame,
  keep: (result: ChatResult, response: ResponseObject) => Promise<void>,
) {
  const writer = new ResponseEventWriter(frame);

  async function* frames(): AsyncGenerator<string, void, undefined> {
    // The first event waits for the provider's first one, so a failure before it is a plain
    // HTTP error (a 429 stays a 429 for the SDK) rather than a 200 carrying an error event.
    let first = true;
    for await (const event of streamCompletion(c, services, target, chat)) {
      let out = first ? writer.start() : '';
      first = false;
      if (event.type === 'text') out += writer.text(event.text);
      else if (event.type === 'tool_call') out += writer.toolCall(event.call);
      else {
        const { frames: last, response } = writer.finish(event.result);
        // Stored before the final event, so a continuation sent on seeing it finds it.
        await keep(event.result, response);
        yield out + last;
        return;
      }
      if (out) yield out;
    }
  }

  return respondWithEventStream(c, services, target, frames(), (routerError) => {
    const { code, message, param } = openAiError(routerError);
    return writer.fail({ code: code ?? 'server_error', message, param });
  });
}
