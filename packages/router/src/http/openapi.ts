import { z } from 'zod';
import { askMessageSchema, askRequestSchema } from '../ask/ask-request.js';
import { contextEnvelopeSchema, userIdSchema } from '../context-envelope/envelope.js';
import { PROVIDER_NAMES } from '../providers/types.js';
import { ROUTER_VERSION } from '../version.js';
import { chatCompletionsRequestSchema } from './openai/chat-completions-request.js';

/**
 * The router's OpenAPI 3.1 document. Request bodies come from the zod schemas the routes validate
 * with, so the document cannot drift from validation; response, event and error shapes are small
 * zod schemas here, kept in step with the README and checked against real answers by the tests.
 * The paths object is written by hand: the routes are plain Hono handlers, not zod-openapi routes.
 */

type JsonObject = Record<string, unknown>;

const providerSchema = z.enum(PROVIDER_NAMES);
const toolArgumentsSchema = z.record(z.string(), z.unknown());

const usageSchema = z
  .object({
    input_tokens: z
      .number()
      .int()
      .nullable()
      .describe('Prompt tokens, cached ones included; null when the provider sent no usage.'),
    output_tokens: z.number().int().nullable().describe('Generated tokens; null when not reported.'),
    total_tokens: z.number().int().nullable().describe('Input plus output; null when not reported.'),
    cached_input_tokens: z
      .number()
      .int()
      .optional()
      .describe("Prompt tokens served from the provider's cache; only when the provider reports them."),
  })
  .describe('Token usage, summed over every model round trip of the request.');

const executedToolCallSchema = z
  .object({
    id: z.string().describe('Call id issued by the provider (or the router).'),
    server: z
      .string()
      .nullable()
      .describe('MCP server that owns the tool; null when the model named a tool that does not exist.'),
    name: z.string().describe("The tool's name on its server."),
    arguments: toolArgumentsSchema.describe('Arguments the tool ran with, as an object.'),
    result: z
      .object({
        content: z.array(z.record(z.string(), z.unknown())).describe('MCP content blocks.'),
        structuredContent: z.unknown().optional().describe('MCP structured content, when the tool gave it.'),
      })
      .describe("The full MCP result, or the router's error text as one text block."),
    is_error: z.boolean().describe('Whether the tool reported an error.'),
    duration_ms: z.number().describe('How long the tool took.'),
  })
  .describe('A tool call the router executed, with its result.');

const toolCallRecordSchema = executedToolCallSchema
  .partial({ server: true, result: true, is_error: true, duration_ms: true })
  .describe(
    'A tool call made while answering. server, result, is_error and duration_ms are present once the router ran the tool; a call the model only requested carries id, name and arguments.',
  );

const confirmationSchema = z
  .object({
    id: z.string().describe('Send it back as confirm.id on the next POST /ask to approve or decline.'),
    tool: z.string().describe('Tool that wants to run.'),
    server: z.string().nullable().describe('MCP server that owns the tool.'),
    arguments: toolArgumentsSchema.describe('Arguments it would run with.'),
    message: z.string().describe('What the call would do, for a human to judge.'),
    expires_at: z.string().describe('ISO 8601 time after which the confirmation is void.'),
  })
  .describe('A tool call held until a human says yes or no.');

const askResponseSchema = z
  .object({
    id: z.string().describe('Response id (the upstream one when the provider gives one).'),
    provider: providerSchema.describe('Provider that answered (after a fallback, not the requested one).'),
    model: z.string().describe('Model that answered, as the provider names it.'),
    content: z.string().describe('The answer text.'),
    message: z
      .object({ role: z.literal('assistant'), content: z.string() })
      .describe('The answer as a chat message, ready to append to a conversation.'),
    finish_reason: z
      .enum(['stop', 'length', 'tool_calls', 'content_filter', 'confirmation_required'])
      .describe('Why the answer ended.'),
    tool_calls: z.array(toolCallRecordSchema).describe('Tool calls made while answering, in order.'),
    usage: usageSchema,
    latency_ms: z.number().describe('Time spent inside the router for this request, upstream included.'),
    attempts: z
      .number()
      .int()
      .min(1)
      .describe('Upstream calls made for this answer, retries and fallbacks included.'),
    confirmation: confirmationSchema
      .optional()
      .describe('Present when finish_reason is confirmation_required.'),
  })
  .describe('The /ask answer; the same shape for every provider.');

const deltaEventSchema = z
  .object({ text: z.string().describe('Text to append.') })
  .describe('A piece of answer text.');

const toolCallEventSchema = z
  .object({
    id: z.string().describe('Call id.'),
    server: z.string().nullable().optional().describe('MCP server that owns the tool.'),
    name: z.string().describe('Tool name.'),
    arguments: toolArgumentsSchema.describe('Arguments the model passed.'),
  })
  .describe('A tool call the model made, before it runs.');

const doneEventSchema = askResponseSchema
  .extend({
    router_overhead_ms: z
      .number()
      .describe('Time the router itself spent, without the waits for the provider and the tools.'),
  })
  .describe('The full answer; the last event of a successful stream.');

const validationIssueSchema = z.object({
  path: z.string().describe('Dotted path of the offending field, e.g. messages.0.role.'),
  message: z.string().describe('What is wrong with it.'),
});

const errorBodySchema = z
  .object({
    error: z.object({
      type: z.string().describe('Stable machine-readable type, e.g. validation_error or rate_limited.'),
      message: z.string().describe('Human-readable message, safe to show: never a secret or a stack.'),
      provider: z.string().optional().describe('Provider involved, when the error came from upstream.'),
      issues: z.array(validationIssueSchema).optional().describe('Field-level problems (validation_error).'),
    }),
  })
  .describe('Body of every error response and of the error stream event.');

const healthSchema = z.object({
  status: z.literal('ok'),
  service: z.literal('ocs-router'),
  version: z.string().describe('Router version.'),
});

const readySchema = z.object({
  status: z.literal('ready'),
  provider: providerSchema.describe('Default provider (LLM_PROVIDER).'),
  store: z.string().describe('Context store backend, e.g. sqlite, memory or redis.'),
});

const notReadySchema = z.object({
  status: z.literal('not_ready'),
  reasons: z.array(z.string()).describe('What is missing; a reason names a missing variable, never a value.'),
});

const modelListSchema = z.object({
  object: z.literal('list'),
  data: z
    .array(
      z.object({
        id: z.string().describe('provider/model'),
        object: z.literal('model'),
        created: z.number().int(),
        owned_by: providerSchema,
      }),
    )
    .describe('The default model of each configured provider.'),
});

const openAiToolCallSchema = z.object({
  id: z.string(),
  type: z.literal('function'),
  function: z.object({ name: z.string(), arguments: z.string().describe('JSON object as a string.') }),
});

const chatCompletionSchema = z
  .object({
    id: z.string(),
    object: z.literal('chat.completion'),
    created: z.number().int().describe('Unix time in seconds.'),
    model: z.string(),
    choices: z.array(
      z.object({
        index: z.number().int(),
        message: z.object({
          role: z.literal('assistant'),
          content: z.string().nullable(),
          refusal: z.null(),
          tool_calls: z.array(openAiToolCallSchema).optional(),
        }),
        logprobs: z.null(),
        finish_reason: z.enum(['stop', 'length', 'tool_calls', 'content_filter']),
      }),
    ),
    usage: z
      .object({
        prompt_tokens: z.number().int(),
        completion_tokens: z.number().int(),
        total_tokens: z.number().int(),
        prompt_tokens_details: z.object({ cached_tokens: z.number().int() }).optional(),
      })
      .optional()
      .describe('Absent when the provider reported no usage.'),
  })
  .describe('OpenAI Chat Completions response.');

/** Schemas the router reads, by component name. */
export const REQUEST_SCHEMAS: Readonly<Record<string, z.ZodType>> = {
  AskRequest: askRequestSchema,
  AskMessage: askMessageSchema,
  ContextEnvelope: contextEnvelopeSchema,
  ChatCompletionsRequest: chatCompletionsRequestSchema,
};

/** Schemas the router writes, by component name (exported so tests can hold real answers to them). */
export const RESPONSE_SCHEMAS: Readonly<Record<string, z.ZodType>> = {
  AskResponse: askResponseSchema,
  Usage: usageSchema,
  ToolCallRecord: toolCallRecordSchema,
  Confirmation: confirmationSchema,
  DeltaEvent: deltaEventSchema,
  ToolCallEvent: toolCallEventSchema,
  ToolResultEvent: executedToolCallSchema,
  DoneEvent: doneEventSchema,
  ErrorBody: errorBodySchema,
  ValidationIssue: validationIssueSchema,
  Health: healthSchema,
  Ready: readySchema,
  NotReady: notReadySchema,
  ModelList: modelListSchema,
  ChatCompletion: chatCompletionSchema,
};

/**
 * What each request field means, for fields whose zod schema carries no description (the schema
 * owner's own .describe() wins). A field added to a request schema needs a line here: a test
 * insists every top-level request field is described.
 */
const REQUEST_FIELD_NOTES: Record<string, Record<string, string>> = {
  AskRequest: {
    message: 'A single user message; give exactly one of message or messages.',
    messages: 'A whole conversation (system, user and assistant turns); must contain a user turn.',
    provider: `Provider to use: ${PROVIDER_NAMES.join(', ')}. Default: LLM_PROVIDER.`,
    model: 'Model to use; "provider/model" also selects the provider. Default: the provider\'s model.',
    user_id: 'End user id: selects the stored context and memory, and scopes confirmations.',
    context: 'Context for this request, merged over the stored one field by field; not stored itself.',
    stream: 'true answers with text/event-stream events instead of one JSON body.',
    temperature: 'Sampling temperature, 0 to 2.',
    max_tokens: 'Upper bound on generated tokens.',
    confirm: 'Answer to a pending tool confirmation: {id, approve}.',
  },
  ChatCompletionsRequest: {
    model: '"provider/model" picks the provider; a plain name goes to the default provider.',
    messages: 'OpenAI messages, tool turns included; text content parts are joined.',
    provider: 'Router extension: pick the provider without a "provider/" model prefix.',
    tools: 'OpenAI function tools, passed to any provider.',
    tool_choice: 'auto, none, required, or a named function (sent as required).',
    temperature: 'Sampling temperature, 0 to 2.',
    max_tokens: 'Upper bound on generated tokens.',
    max_completion_tokens: 'Same as max_tokens (newer OpenAI name).',
    stream: 'true answers with chat.completion.chunk events, then data: [DONE].',
    stream_options: 'include_usage adds a usage chunk when the provider reported usage.',
  },
};

/** Schemas live inside the document, which sets the dialect (OpenAPI 3.1 = JSON Schema 2020-12). */
function withoutDialect(schema: JsonObject): JsonObject {
  const { $schema: _dialect, ...rest } = schema;
  return rest;
}

/** zod's .int() adds the safe-integer range as bounds; they say nothing a reader needs. */
function withoutSafeIntegerBounds(node: unknown): void {
  if (Array.isArray(node)) {
    for (const item of node) withoutSafeIntegerBounds(item);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const schema = node as JsonObject;
  if (schema.minimum === Number.MIN_SAFE_INTEGER) delete schema.minimum;
  if (schema.maximum === Number.MAX_SAFE_INTEGER) delete schema.maximum;
  for (const child of Object.values(schema)) withoutSafeIntegerBounds(child);
}

/**
 * One registry, so a schema used by several components (ContextEnvelope in AskRequest) becomes a
 * $ref. The input side of every schema: request bodies are read before zod's defaults apply, and
 * for the response shapes (no transforms) it only leaves out `additionalProperties: false`, so
 * clients do not reject a field the router adds later.
 */
function componentSchemas(schemas: Record<string, z.ZodType>): JsonObject {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(schemas)) registry.add(schema, { id });
  const { schemas: generated } = z.toJSONSchema(registry, {
    io: 'input',
    uri: (id) => `#/components/schemas/${id}`,
  });
  const components: JsonObject = {};
  for (const [id, generatedSchema] of Object.entries(generated)) {
    const { $id: _id, ...schema } = withoutDialect(generatedSchema as JsonObject);
    withoutSafeIntegerBounds(schema);
    const notes = REQUEST_FIELD_NOTES[id];
    const properties = schema.properties as Record<string, JsonObject> | undefined;
    if (notes && properties) {
      for (const [field, property] of Object.entries(properties)) {
        if (property.description === undefined && notes[field]) property.description = notes[field];
      }
    }
    components[id] = schema;
  }
  return components;
}

const schemaRef = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const responseRef = (name: string) => ({ $ref: `#/components/responses/${name}` });
const jsonBody = (schema: JsonObject, example?: unknown) => ({
  'application/json': example === undefined ? { schema } : { schema, example },
});
const errorResponse = (description: string) => ({ description, content: jsonBody(schemaRef('ErrorBody')) });

/** Probes and self-description: answered without an API key even when keys are configured. */
const OPEN = { security: [] };

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

const CHUNKS_EXAMPLE = [
  'data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1767225600,"model":"gpt-4o","choices":[{"index":0,"delta":{"content":"Hi"},"logprobs":null,"finish_reason":null}]}',
  '',
  'data: [DONE]',
  '',
].join('\n');

function buildPaths(): JsonObject {
  const userId = { $ref: '#/components/parameters/UserId' };
  const requestId = { $ref: '#/components/parameters/RequestId' };
  const envelopeBody = (description: string) => ({
    description,
    required: true,
    content: jsonBody(schemaRef('ContextEnvelope'), {
      identity: { name: 'Alice', role: 'care agent', locale: 'en-GB' },
      memory: { facts: ['prepaid customer'] },
      tools: { servers: ['ocs'], deny: ['delete_subscriber'] },
    }),
  });
  const contextErrors = {
    401: responseRef('Unauthorized'),
    422: responseRef('ValidationError'),
    429: responseRef('RateLimited'),
    500: responseRef('InternalError'),
  };
  const writeErrors = {
    400: responseRef('InvalidJson'),
    404: errorResponse('not_found: the principal may not act for this user_id.'),
    413: responseRef('PayloadTooLarge'),
    ...contextErrors,
  };
  const upstreamErrors = {
    502: errorResponse(
      'Upstream failure: upstream_auth_error (the provider refused the credentials), upstream_unreachable (names the provider and base URL) or upstream_error.',
    ),
    503: errorResponse('upstream_overloaded: the provider is overloaded (Retry-After when known).'),
    504: errorResponse('upstream_timeout: the provider did not answer in time.'),
  };
  const badRequest = errorResponse(
    'invalid_json (body is not JSON or empty), unknown_provider (the message lists the valid ones), provider_not_configured (names the missing variable, never a value), model_required, or upstream_bad_request (the provider refused the request).',
  );

  return {
    '/health': {
      get: {
        operationId: 'getHealth',
        summary: 'Liveness',
        tags: ['system'],
        ...OPEN,
        responses: { 200: { description: 'The process is up.', content: jsonBody(schemaRef('Health')) } },
      },
    },
    '/ready': {
      get: {
        operationId: 'getReady',
        summary: 'Readiness: the context store answers and the default provider is configured',
        tags: ['system'],
        ...OPEN,
        responses: {
          200: {
            description: 'Ready.',
            content: jsonBody(schemaRef('Ready'), { status: 'ready', provider: 'ollama', store: 'sqlite' }),
          },
          503: {
            description: 'Not ready; every reason is listed.',
            content: jsonBody(schemaRef('NotReady'), {
              status: 'not_ready',
              reasons: ['Provider openai needs OPENAI_API_KEY'],
            }),
          },
        },
      },
    },
    '/metrics': {
      get: {
        operationId: 'getMetrics',
        summary: 'Prometheus metrics',
        description:
          'router_http_requests_total and router_http_request_duration_seconds (by route, method, status), router_upstream_latency_seconds (by provider), router_overhead_seconds (by route) and the Node default metrics.',
        tags: ['system'],
        ...OPEN,
        responses: {
          200: {
            description: 'Prometheus text exposition format.',
            content: { 'text/plain': { schema: { type: 'string' } } },
          },
        },
      },
    },
    '/console': {
      get: {
        operationId: 'getConsole',
        summary: 'Operator console (redirects to /console/)',
        tags: ['console'],
        ...OPEN,
        responses: { 308: { description: 'Redirect to /console/.' } },
      },
    },
    '/console/{file}': {
      get: {
        operationId: 'getConsoleFile',
        summary: 'Operator console page and its static assets',
        description:
          'The built web console (index.html for /console/). Public: the page asks for an API key before it calls the API. Hashed assets are cached as immutable.',
        tags: ['console'],
        ...OPEN,
        parameters: [
          {
            name: 'file',
            in: 'path',
            required: true,
            schema: { type: 'string' },
            description: 'File under the console folder.',
          },
        ],
        responses: {
          200: { description: 'The file.', content: { 'text/html': { schema: { type: 'string' } } } },
          404: { description: 'No such file (or the console is not built).' },
        },
      },
    },
    '/openapi.json': {
      get: {
        operationId: 'getOpenApiDocument',
        summary: 'This OpenAPI document',
        tags: ['system'],
        ...OPEN,
        responses: {
          200: {
            description: 'OpenAPI 3.1 document.',
            content: { 'application/json': { schema: { type: 'object' } } },
          },
        },
      },
    },
    '/whoami': {
      get: {
        operationId: 'whoami',
        summary: 'The principal the presented credential maps to',
        description:
          'Roles, user id patterns, providers and models come from the credential (ROUTER_KEYS_FILE, ROUTER_API_KEYS as principal `default`, an OIDC token, or the keyless loopback principal `local`); never keys or hashes.',
        tags: ['system'],
        responses: {
          200: {
            description: 'The principal.',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['id', 'name', 'roles', 'users', 'providers', 'models', 'source'],
                  properties: {
                    id: { type: 'string' },
                    name: { type: 'string' },
                    roles: { type: 'array', items: { type: 'string' } },
                    users: { type: 'array', items: { type: 'string' } },
                    providers: { type: 'array', items: { type: 'string' } },
                    models: { type: 'array', items: { type: 'string' } },
                    source: { type: 'string', enum: ['keys_file', 'env_keys', 'oidc', 'local'] },
                  },
                },
              },
            },
          },
          401: responseRef('Unauthorized'),
        },
      },
    },
    '/schema/context.json': {
      get: {
        operationId: 'getContextSchema',
        summary: 'JSON Schema of the context envelope',
        description: 'Also committed as schema/context.schema.json.',
        tags: ['context'],
        responses: {
          200: {
            description: 'JSON Schema (draft 2020-12).',
            content: { 'application/schema+json': { schema: { type: 'object' } } },
          },
          401: responseRef('Unauthorized'),
        },
      },
    },
    '/ask': {
      post: {
        operationId: 'ask',
        summary: 'Ask the model, plain or streamed',
        description:
          'Picks the provider, builds the prompt from the stored and request context, runs the model (with MCP tools when configured) and remembers the exchange when user_id is given. With stream: true the answer is text/event-stream; a failure before the first event is still a normal JSON error with its status, a failure after it an error event.',
        tags: ['ask'],
        parameters: [requestId],
        requestBody: {
          required: true,
          content: jsonBody(schemaRef('AskRequest'), ASK_REQUEST_EXAMPLE),
        },
        responses: {
          200: {
            description: 'The answer (application/json), or its event stream when stream is true.',
            content: {
              'application/json': { schema: schemaRef('AskResponse'), example: ASK_RESPONSE_EXAMPLE },
              'text/event-stream': {
                schema: {
                  type: 'string',
                  description:
                    'Server-sent events, flushed as they arrive; x-sse-events gives each data shape.',
                },
                'x-sse-events': {
                  delta: { description: 'A piece of answer text.', schema: schemaRef('DeltaEvent') },
                  tool_call: {
                    description: 'A tool call the model made.',
                    schema: schemaRef('ToolCallEvent'),
                  },
                  tool_result: { description: 'What a tool returned.', schema: schemaRef('ToolResultEvent') },
                  confirmation: {
                    description: 'A tool call held for a human yes or no.',
                    schema: schemaRef('Confirmation'),
                  },
                  done: { description: 'The full answer; the stream ends.', schema: schemaRef('DoneEvent') },
                  error: { description: 'A failure after the first event.', schema: schemaRef('ErrorBody') },
                },
                example: ASK_STREAM_EXAMPLE,
              },
            },
          },
          400: badRequest,
          401: responseRef('Unauthorized'),
          403: errorResponse(
            "provider_not_allowed / model_not_allowed: outside the principal's providers or models (the message names the allowed ones); approval_forbidden: ROUTER_APPROVAL=other-approver and this principal may not approve.",
          ),
          404: errorResponse(
            'not_found: the principal may not act for this user_id. confirmation_not_found: confirm.id is unknown, was already answered, or belongs to another principal or user_id.',
          ),
          409: errorResponse('confirmation_expired: the pending confirmation expired; nothing was done.'),
          413: responseRef('PayloadTooLarge'),
          422: responseRef('ValidationError'),
          429: responseRef('RateLimited'),
          500: responseRef('InternalError'),
          ...upstreamErrors,
        },
      },
    },
    '/context/{user_id}': {
      parameters: [userId, requestId],
      get: {
        operationId: 'getContext',
        summary: 'Read the stored context envelope',
        tags: ['context'],
        responses: {
          200: { description: 'The stored envelope.', content: jsonBody(schemaRef('ContextEnvelope')) },
          404: errorResponse(
            'not_found: nothing is stored for this user, or the principal may not act for it (the same answer).',
          ),
          ...contextErrors,
        },
      },
      put: {
        operationId: 'putContext',
        summary: 'Replace the stored context envelope',
        tags: ['context'],
        requestBody: envelopeBody('The new envelope; replaces whatever was stored.'),
        responses: {
          200: { description: 'The stored envelope.', content: jsonBody(schemaRef('ContextEnvelope')) },
          ...writeErrors,
        },
      },
      post: {
        operationId: 'replaceContext',
        summary: 'Replace the stored context envelope (same as PUT)',
        tags: ['context'],
        requestBody: envelopeBody('The new envelope; replaces whatever was stored.'),
        responses: {
          200: { description: 'The stored envelope.', content: jsonBody(schemaRef('ContextEnvelope')) },
          ...writeErrors,
        },
      },
      patch: {
        operationId: 'mergeContext',
        summary: 'Merge into the stored context envelope',
        description:
          'Same rules as /ask: the request wins field by field within identity, tools and memory; memory.facts are unioned by value; docs are unioned by id. Creates the envelope when absent; cannot remove facts or docs (use PUT).',
        tags: ['context'],
        requestBody: envelopeBody('Fields to merge.'),
        responses: {
          200: { description: 'The merged envelope.', content: jsonBody(schemaRef('ContextEnvelope')) },
          ...writeErrors,
        },
      },
      delete: {
        operationId: 'deleteContext',
        summary: 'Delete the stored context envelope',
        tags: ['context'],
        responses: {
          204: { description: 'Deleted.' },
          404: errorResponse(
            'not_found: nothing is stored for this user, or the principal may not act for it (the same answer).',
          ),
          ...contextErrors,
        },
      },
    },
    '/v1/chat/completions': {
      post: {
        operationId: 'createChatCompletion',
        summary: 'OpenAI-compatible chat completions, plain and streaming',
        description:
          'Point an OpenAI SDK at /v1. Tools, tool_choice and tool results pass through in OpenAI format whatever the provider. Context envelopes and memory are /ask features and are not applied here. Errors use the router error body.',
        tags: ['openai'],
        parameters: [requestId],
        requestBody: {
          required: true,
          content: jsonBody(schemaRef('ChatCompletionsRequest'), {
            model: 'anthropic/claude-sonnet-4-5',
            messages: [{ role: 'user', content: 'Hello' }],
          }),
        },
        responses: {
          200: {
            description: 'The completion, or chat.completion.chunk events when stream is true.',
            content: {
              'application/json': { schema: schemaRef('ChatCompletion') },
              'text/event-stream': {
                schema: {
                  type: 'string',
                  description:
                    'data: lines carrying chat.completion.chunk objects, then data: [DONE]; a failure after the first chunk arrives as data: with an ErrorBody.',
                },
                example: CHUNKS_EXAMPLE,
              },
            },
          },
          400: badRequest,
          401: responseRef('Unauthorized'),
          403: errorResponse(
            "provider_not_allowed / model_not_allowed: outside the principal's providers or models (the message names the allowed ones).",
          ),
          413: responseRef('PayloadTooLarge'),
          422: responseRef('ValidationError'),
          429: responseRef('RateLimited'),
          500: responseRef('InternalError'),
          ...upstreamErrors,
        },
      },
    },
    '/v1/models': {
      get: {
        operationId: 'listModels',
        summary: 'Default model of each configured provider, OpenAI style',
        tags: ['openai'],
        responses: {
          200: {
            description: 'Model list.',
            content: jsonBody(schemaRef('ModelList'), {
              object: 'list',
              data: [{ id: 'ollama/llama3.2', object: 'model', created: 0, owned_by: 'ollama' }],
            }),
          },
          401: responseRef('Unauthorized'),
          429: responseRef('RateLimited'),
        },
      },
    },
  };
}

function buildDocument(): JsonObject {
  return {
    openapi: '3.1.0',
    info: {
      title: 'OCS AI router',
      version: ROUTER_VERSION,
      description:
        'One POST /ask over six LLM providers with MCP tools, per-user context, and an OpenAI-compatible surface. Every response carries x-request-id (a valid incoming one is kept) and x-router-overhead-ms (time spent in the router, not counting the upstream). Who calls is decided by the credential alone: an API key of ROUTER_KEYS_FILE (or ROUTER_API_KEYS / ROUTER_API_KEY_HASHES) or an OIDC bearer token (ROUTER_OIDC_ISSUER); without any, only loopback callers are served, as principal `local`. A user_id the principal may not act for answers 404, a provider or model outside its list 403.',
      license: { name: 'MIT', identifier: 'MIT' },
    },
    servers: [{ url: 'http://127.0.0.1:8000', description: 'Default ROUTER_HOST and ROUTER_PORT' }],
    tags: [
      { name: 'ask', description: 'Ask the model.' },
      { name: 'context', description: 'Stored per-user context envelopes.' },
      { name: 'openai', description: 'OpenAI-compatible surface.' },
      { name: 'system', description: 'Probes, metrics and this document.' },
    ],
    security: [{ bearerAuth: [] }, { apiKeyHeader: [] }],
    paths: buildPaths(),
    components: {
      schemas: componentSchemas({ ...REQUEST_SCHEMAS, ...RESPONSE_SCHEMAS }),
      parameters: {
        UserId: {
          name: 'user_id',
          in: 'path',
          required: true,
          description: userIdSchema.description,
          schema: withoutDialect(z.toJSONSchema(userIdSchema, { io: 'input' }) as JsonObject),
        },
        RequestId: {
          name: 'x-request-id',
          in: 'header',
          required: false,
          description:
            'Echoed on the response when it is 1-128 characters from A-Z a-z 0-9 . _ : -; otherwise the router generates a UUID.',
          schema: { type: 'string' },
        },
      },
      responses: {
        InvalidJson: errorResponse('invalid_json: the body is not JSON, or is empty.'),
        Unauthorized: errorResponse(
          'unauthorized: API key missing or not recognised (only when API keys are configured).',
        ),
        PayloadTooLarge: errorResponse('payload_too_large: the body is larger than ROUTER_MAX_BODY_BYTES.'),
        ValidationError: {
          description: 'validation_error: a field is invalid; issues lists each one with its path.',
          content: jsonBody(schemaRef('ErrorBody'), {
            error: {
              type: 'validation_error',
              message: 'Invalid request: temperature: Too big: expected number to be <=2',
              issues: [{ path: 'temperature', message: 'Too big: expected number to be <=2' }],
            },
          }),
        },
        RateLimited: errorResponse(
          "rate_limited: the provider's rate limit, or this API key's ROUTER_RATE_LIMIT_RPM / ROUTER_RATE_LIMIT_TPM (Retry-After in seconds when known).",
        ),
        InternalError: errorResponse('internal_error: unexpected router failure (details only in the log).'),
      },
      securitySchemes: {
        bearerAuth: { type: 'http', scheme: 'bearer', description: 'Authorization: Bearer <key>' },
        apiKeyHeader: { type: 'apiKey', in: 'header', name: 'x-api-key' },
      },
    },
  };
}

let cached: { document: JsonObject; json: string } | undefined;

/** The document, built on first use (zod to JSON Schema takes a moment) and then reused. */
export function routerOpenApiDocument(): JsonObject {
  cached ??= serialise(buildDocument());
  return cached.document;
}

/** The document serialised once, as GET /openapi.json sends it. */
export function routerOpenApiJson(): string {
  cached ??= serialise(buildDocument());
  return cached.json;
}

function serialise(document: JsonObject): { document: JsonObject; json: string } {
  return { document, json: JSON.stringify(document) };
}
