/**
 * Wire types of the OCS AI router's HTTP API, written by hand so the client carries no runtime
 * dependency. Field names follow the wire (snake_case) so a response can be logged or stored as-is.
 */

/** The LLM providers the router can route to. */
export type ProviderName = 'openai' | 'anthropic' | 'azure' | 'openrouter' | 'ollama' | 'lmstudio';

/** Every provider name, in the router's order (useful for CLI validation and pickers). */
export const PROVIDER_NAMES: readonly ProviderName[] = [
  'openai',
  'anthropic',
  'azure',
  'openrouter',
  'ollama',
  'lmstudio',
];

/** Who wrote a chat message. */
export type MessageRole = 'system' | 'user' | 'assistant' | 'tool';

/** One message of a conversation sent to or remembered by the router. */
export interface ChatMessage {
  /** Author of the message. */
  role: MessageRole;
  /** Plain-text content. */
  content: string;
}

/** Who the assistant is talking to; the router passes it to the model as context. */
export interface ContextIdentity {
  /** Stable id of the end user. */
  user_id?: string;
  /** Display name. */
  name?: string;
  /** Role of the user in the business (e.g. "agent", "supervisor"). */
  role?: string;
  /** BCP 47 locale, e.g. "en-GB". */
  locale?: string;
  /** Tenant or operator the user belongs to. */
  tenant?: string;
}

/** What the router remembers about a user between requests. */
export interface ContextMemory {
  /** Free-text summary of earlier conversations. */
  summary?: string;
  /** Short facts worth keeping ("prefers email"). */
  facts?: string[];
  /** Earlier messages replayed before the new one. */
  messages?: ChatMessage[];
}

/** Which MCP tools the model may use for this user. */
export interface ContextTools {
  /** MCP server names to enable. */
  servers?: string[];
  /** Tool names to allow (all of the enabled servers' tools when absent). */
  allow?: string[];
  /** Tool names to withhold; wins over `allow`. */
  deny?: string[];
}

/** A document handed to the model as reference material. */
export interface ContextDocument {
  /** Caller-chosen id. */
  id: string;
  /** Title shown to the model. */
  title: string;
  /** Full text. */
  content: string;
  /** Where the document came from, if it has an address. */
  uri?: string;
}

/** Per-request or per-user context: identity, memory, tool policy and documents. */
export interface ContextEnvelope {
  /** Who is asking. */
  identity?: ContextIdentity;
  /** What the router remembers. */
  memory?: ContextMemory;
  /** Tool policy. */
  tools?: ContextTools;
  /** Reference documents. */
  docs?: ContextDocument[];
}

/** The answer to a pending tool confirmation, sent back with `POST /ask`. */
export interface ConfirmAnswer {
  /** `confirmation.id` from the response that asked. */
  id: string;
  /** true runs the tool, false tells the model the user declined. */
  approve: boolean;
}

/** Body of `POST /ask`. Give `message`, `messages`, or `confirm`. */
export interface AskRequest {
  /** A single user message (shorthand for `messages: [{role: "user", content}]`). */
  message?: string;
  /** A whole conversation. */
  messages?: ChatMessage[];
  /** Provider to use; the router's default when absent. */
  provider?: ProviderName;
  /** Model to use; the provider's default when absent. */
  model?: string;
  /** End user id; selects the stored context and scopes confirmations. */
  user_id?: string;
  /** Context for this request, merged over the stored one. */
  context?: ContextEnvelope;
  /** Ask for a server-sent event stream; set by `askStream`, ignored by `ask`. */
  stream?: boolean;
  /** Sampling temperature. */
  temperature?: number;
  /** Upper bound on generated tokens. */
  max_tokens?: number;
  /** Answer to a pending confirmation. */
  confirm?: ConfirmAnswer;
}

/** Why the model stopped. */
export type FinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter' | 'confirmation_required';

/** A tool call the model made and, once run, its result. */
export interface ToolCallRecord {
  /** Call id issued by the provider (or the router). */
  id: string;
  /** MCP server that owns the tool (null when the model named a tool that does not exist). */
  server?: string | null;
  /** Tool name. */
  name: string;
  /** Arguments the model passed. */
  arguments: Record<string, unknown>;
  /** What the tool returned (absent when it did not run). */
  result?: unknown;
  /** Whether the tool reported an error. */
  is_error?: boolean;
  /** How long the tool took. */
  duration_ms?: number;
}

/** Token counts; a count is null when the provider did not report it. */
export interface Usage {
  /** Prompt tokens, cached ones included. */
  input_tokens: number | null;
  /** Generated tokens. */
  output_tokens: number | null;
  /** Input plus output. */
  total_tokens: number | null;
  /** Prompt tokens served from the provider's cache. */
  cached_input_tokens?: number | null;
}

/** A tool call waiting for a human yes or no before the router runs it. */
export interface Confirmation {
  /** Id to send back in `confirm.id`. */
  id: string;
  /** Tool that wants to run. */
  tool: string;
  /** MCP server that owns the tool. */
  server?: string | null;
  /** Arguments it would run with. */
  arguments: Record<string, unknown>;
  /** Human-readable description of the effect. */
  message: string;
  /** ISO 8601 time after which the confirmation is void. */
  expires_at: string;
}

/** Body of a successful `POST /ask` (and the `done` stream event). */
export interface AskResponse {
  /** Router-issued response id. */
  id: string;
  /** Provider that answered. */
  provider: ProviderName;
  /** Model that answered, as the provider names it. */
  model: string;
  /** The answer text (same as `message.content`). */
  content: string;
  /** The answer as a chat message, ready to append to a conversation. */
  message: { role: 'assistant'; content: string };
  /** Why the model stopped. */
  finish_reason: FinishReason;
  /** Tool calls made while answering, in order. */
  tool_calls: ToolCallRecord[];
  /** Token usage summed over every model round trip. */
  usage: Usage;
  /** End-to-end time inside the router. */
  latency_ms: number;
  /** Present when `finish_reason` is "confirmation_required". */
  confirmation?: Confirmation;
  /** Time the router itself spent (the rest was the provider and tools); sent on the `done` event. */
  router_overhead_ms?: number;
}

/** `delta` stream event: a piece of answer text. */
export interface StreamDelta {
  /** Text to append. */
  text: string;
}

/** `tool_call` stream event: a call the model made, before it runs. */
export interface StreamToolCall {
  /** Call id. */
  id: string;
  /** MCP server that owns the tool (null when the model named a tool that does not exist). */
  server?: string | null;
  /** Tool name. */
  name: string;
  /** Arguments the model passed. */
  arguments: Record<string, unknown>;
}

/** `tool_result` stream event: what a tool returned. */
export interface StreamToolResult {
  /** Id of the call this result belongs to. */
  id: string;
  /** MCP server that owns the tool (null when the model named a tool that does not exist). */
  server?: string | null;
  /** Tool name. */
  name: string;
  /** Arguments the tool ran with. */
  arguments?: Record<string, unknown>;
  /** What the tool returned. */
  result: unknown;
  /** Whether the tool reported an error. */
  is_error: boolean;
  /** How long the tool took. */
  duration_ms: number;
}

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
export interface ErrorIssue {
  /** Dotted path of the offending field, e.g. "messages.0.role". */
  path: string;
  /** What is wrong with it. */
  message: string;
}

/** Body of every router error response and of the `error` stream event. */
export interface ErrorBody {
  error: {
    /** Machine-readable error type, e.g. "validation_error", "rate_limited". */
    type: string;
    /** Human-readable message, safe to show. */
    message: string;
    /** Provider involved, when the error came from upstream. */
    provider?: string;
    /** Field-level problems (validation errors). */
    issues?: ErrorIssue[];
  };
}

/** Body of `GET /health`. */
export interface HealthResponse {
  /** Always "ok" when the process is up. */
  status: 'ok';
  /** Router version. */
  version: string;
}

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
