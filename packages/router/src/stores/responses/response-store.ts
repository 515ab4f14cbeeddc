import type { ChatMessage } from '../../providers/types.js';

/**
 * Responses kept for `previous_response_id` and GET/DELETE /v1/responses/{id}: the conversation
 * up to and including the answer (the input items and the output, as the router's messages; the
 * instructions are not carried, as OpenAI does not carry them), and the response object as sent.
 * Keyed by response id AND principal id: another principal's id reads exactly like an unknown one.
 * One file per backend, chosen by ROUTER_STORE like the context store.
 */
export interface StoredResponse {
  id: string;
  principalId: string;
  /** ms since epoch. */
  createdAt: number;
  /** ms since epoch; after it the response is gone. */
  expiresAt: number;
  conversation: ChatMessage[];
  /** The response object, as the API answered it. */
  response: Record<string, unknown>;
}

/** How long a stored response is kept (OpenAI keeps them 30 days). */
export const RESPONSE_TTL_MS = 30 * 24 * 60 * 60 * 1000;

/**
 * Longest conversation kept with one response, in characters of its JSON: a chain of
 * previous_response_id grows with every turn, and a continuation past this is refused (400) so the
 * client resends the items it needs in `input`.
 */
export const MAX_STORED_CONVERSATION_CHARS = 4 * 1024 * 1024;

/** Most responses the memory backend keeps; the oldest go first. */
export const MAX_MEMORY_RESPONSES = 10_000;

export interface ResponseStore {
  readonly kind: string;
  put(entry: StoredResponse): Promise<void>;
  /** The entry when it exists, belongs to `principalId` and has not expired. */
  get(id: string, principalId: string, now?: number): Promise<StoredResponse | undefined>;
  /** true when the principal's entry was deleted; another principal's id deletes nothing. */
  delete(id: string, principalId: string): Promise<boolean>;
  close(): Promise<void>;
}
