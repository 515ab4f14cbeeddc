/**
 * Confirmations waiting for a human: the conversation so far, the held tool call and the
 * server's token or input request. Kept server-side, keyed by confirmation id AND user id, so a
 * client can only approve or reject (never supply state), and only its own. One file per backend.
 */
export interface PendingConfirmation<State = unknown> {
  id: string;
  userId: string;
  /** ms since epoch. */
  createdAt: number;
  /** ms since epoch; after it the entry can only be reported as expired. */
  expiresAt: number;
  /** JSON-serialisable state owned by the tool loop. */
  state: State;
}

export type TakeResult<State> =
  | { status: 'ok'; entry: PendingConfirmation<State> }
  | { status: 'expired'; entry: PendingConfirmation<State> }
  | { status: 'not_found' };

/** How long expired entries are kept so that late answers get "expired" rather than "unknown". */
export const EXPIRED_GRACE_MS = 60 * 60 * 1000;

/** The most confirmations the in-process store holds waiting (ROUTER_STORE=memory). */
export const MAX_MEMORY_PENDING_CONFIRMATIONS = 1_000;
/** ...and the most characters of their JSON (each holds its conversation): about 64 MB of strings. */
export const MAX_MEMORY_PENDING_CONFIRMATION_CHARS = 64 * 1024 * 1024;

export interface PendingConfirmationStore {
  readonly kind: string;
  put(entry: PendingConfirmation): Promise<void>;
  /** Reads an entry without taking it, so a policy can refuse an answer without destroying it. */
  peek<State = unknown>(id: string): Promise<PendingConfirmation<State> | undefined>;
  /**
   * Removes and returns the entry if it exists and belongs to `userId`; atomic, so two answers to
   * one confirmation cannot both run it. Another user's id is reported as not found.
   */
  take<State = unknown>(id: string, userId: string, now?: number): Promise<TakeResult<State>>;
  close(): Promise<void>;
}
