/**
 * Wire types of the OCS AI router's HTTP API. They are generated from the router's OpenAPI document
 * (src/generated/router-api.ts, by openapi-typescript) and only named here, so the client carries no
 * runtime dependency and cannot drift from the router. Field names follow the wire (snake_case) so a
 * response can be logged or stored as-is.
 */
import type { components, paths } from './generated/router-api.js';

type Schemas = components['schemas'];

/** The LLM providers the router can route to (the document's enum, from the router's provider list). */
export type ProviderName = Schemas['AskResponse']['provider'];

/** Every provider name, in the router's order; the compiler checks it against the document. */
const PROVIDERS: { [Name in ProviderName]: true } = {
  openai: true,
  anthropic: true,
  azure: true,
  openrouter: true,
  ollama: true,
  lmstudio: true,
};

/** Every provider name, in the router's order (useful for CLI validation and pickers). */
export const PROVIDER_NAMES: readonly ProviderName[] = Object.keys(PROVIDERS) as ProviderName[];

/** One message of a conversation sent to the router. */
export type ChatMessage = Schemas['AskMessage'];

/** Who wrote a chat message. */
export type MessageRole = ChatMessage['role'];

/** Per-request or per-user context: identity, memory, tool policy and documents. */
export type ContextEnvelope = Schemas['ContextEnvelope'];

/** Who the assistant is talking to; the router passes it to the model as context. */
export type ContextIdentity = NonNullable<ContextEnvelope['identity']>;

/** What the router remembers about a user between requests. */
export type ContextMemory = NonNullable<ContextEnvelope['memory']>;

/** Which MCP tools the model may use for this user. */
export type ContextTools = NonNullable<ContextEnvelope['tools']>;

/** A document handed to the model as reference material. */
export type ContextDocument = NonNullable<ContextEnvelope['docs']>[number];

/** Body of `POST /ask`. Give `message`, `messages`, or `confirm`. */
export type AskRequest = Schemas['AskRequest'];

/** The answer to a pending tool confirmation, sent back with `POST /ask`. */
export type ConfirmAnswer = NonNullable<AskRequest['confirm']>;

/**
 * Body of a successful `POST /ask` and of the `done` stream event, which adds the time the router
 * itself spent (the rest was the provider and tools).
 */
export type AskResponse = Schemas['AskResponse'] & Partial<Pick<Schemas['DoneEvent'], 'router_overhead_ms'>>;

/** Why the model stopped. */
export type FinishReason = AskResponse['finish_reason'];

/** A tool call the model made and, once run, its result. */
export type ToolCallRecord = Schemas['ToolCallRecord'];

/** Token counts; a count is null when the provider did not report it. */
export type Usage = Schemas['Usage'];

/** A tool call waiting for a human yes or no before the router runs it. */
export type Confirmation = Schemas['Confirmation'];

/** `delta` stream event: a piece of answer text. */
export type StreamDelta = Schemas['DeltaEvent'];

/** `tool_call` stream event: a call the model made, before it runs. */
export type StreamToolCall = Schemas['ToolCallEvent'];

/** `tool_result` stream event: what a tool returned. */
export type StreamToolResult = Schemas['ToolResultEvent'];

/**
 * One event of `askStream`. The stream ends after `done`; an `error` event from the router is
 * thrown from the iterator as a `RouterError` rather than yielded.
 */
export type AskStreamEvent =
  | { type: 'delta'; data: StreamDelta }
  | { type: 'tool_call'; data: StreamToolCall }
  | { type: 'tool_result'; data: StreamToolResult }
  | { type: 'confirmation'; data: Confirmation }
  | { type: 'done'; data: AskResponse };

/** One problem with a request body, from a 400/422 response. */
export type ErrorIssue = Schemas['ValidationIssue'];

/** Body of every router error response and of the `error` stream event. */
export type ErrorBody = Schemas['ErrorBody'];

/** Body of `GET /health`. */
export type HealthResponse = Schemas['Health'];

/** Body of `GET /whoami`: the principal the presented credential maps to. */
export type Principal = paths['/whoami']['get']['responses'][200]['content']['application/json'];

/** Result of `GET /ready` (200 = ready, 503 = not ready). */
export interface ReadyResponse {
  /** Whether the router answered 200. */
  ready: boolean;
  /** HTTP status of the answer. */
  status: number;
  /** Why the router is not ready (empty when ready or when it gave none). */
  reasons: string[];
  /** Parsed body as the router sent it (null when it was not JSON). */
  body: unknown;
}
