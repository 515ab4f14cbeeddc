/** What went wrong talking to the OCS, in terms a tool caller can act on. */
export type OcsFailureKind =
  | 'not_found'
  | 'conflict'
  | 'validation'
  | 'unprocessable'
  | 'unauthorized'
  | 'unavailable'
  | 'timeout'
  | 'cancelled'
  | 'bad_response'
  /** A write may or may not have been applied (timeout, 5xx, connection lost after sending). */
  | 'outcome_unknown';

/**
 * An OCS call that failed. `message` is short, safe and actionable (it reaches the model);
 * `detail` carries the raw status/body for the logs only.
 */
export class OcsFailure extends Error {
  override name = 'OcsFailure';
  constructor(
    readonly kind: OcsFailureKind,
    message: string,
    readonly status?: number,
    readonly detail?: unknown,
  ) {
    super(message);
  }
}

/** What the failing call was about, so the message can name the entity and the next step. */
export interface OcsCallContext {
  /** e.g. "Subscriber", "Subscription", "Account history entry". */
  entity: string;
  id?: string;
  /** Hint for a 404, e.g. "Use lookup_subscriber to find the subscriberId by MSISDN." */
  notFoundHint?: string;
  /** Meaning of a 409 for this call. */
  conflictMessage?: string;
  /** Meaning of a body-less 400 for this call (e.g. an illegal state transition). */
  badRequestMessage?: string;
  /** Meaning of a 422 for this call. */
  unprocessableMessage?: string;
  /** For writes: the read that tells whether it was applied, e.g. "list_balances with subscriptionId X". */
  verifyWith?: string;
}

const MAX_UPSTREAM_TEXT = 300;

/** The `message` of a Spring-style error body, when there is one; never the raw body. */
function upstreamMessage(body: unknown): string | undefined {
  if (body && typeof body === 'object' && 'message' in body) {
    const m = (body as { message: unknown }).message;
    if (typeof m === 'string' && m.trim() !== '') {
      const oneLine = m.replace(/\s+/g, ' ').trim();
      return oneLine.length > MAX_UPSTREAM_TEXT ? `${oneLine.slice(0, MAX_UPSTREAM_TEXT)}…` : oneLine;
    }
  }
  return undefined;
}

/** Field names from an error body's `details` object (friendly emulators name the bad fields there). */
function upstreamFields(body: unknown): string[] {
  if (body && typeof body === 'object' && 'details' in body) {
    const d = (body as { details: unknown }).details;
    if (d && typeof d === 'object' && !Array.isArray(d)) return Object.keys(d).slice(0, 10);
  }
  return [];
}

/** Maps an HTTP error status (and the body when the backend sent one) to a tool-facing OcsFailure. */
export function ocsFailureFromStatus(status: number, body: unknown, ctx: OcsCallContext): OcsFailure {
  const what = ctx.id ? `${ctx.entity} ${ctx.id}` : ctx.entity;
  const said = upstreamMessage(body);
  const fields = upstreamFields(body);
  const fieldText = fields.length > 0 ? ` Fields: ${fields.join(', ')}.` : '';
  const detail = { status, body };
  switch (true) {
    case status === 404:
      return new OcsFailure(
        'not_found',
        `${what} was not found in the OCS.${ctx.notFoundHint ? ` ${ctx.notFoundHint}` : ''}`,
        status,
        detail,
      );
    case status === 409:
      return new OcsFailure(
        'conflict',
        ctx.conflictMessage ?? `Conflict: ${what} already exists.${said ? ` OCS said: ${said}` : ''}`,
        status,
        detail,
      );
    case status === 422:
      return new OcsFailure(
        'unprocessable',
        ctx.unprocessableMessage ??
          `The OCS refused the change to ${what}: a field name is unknown or immutable, or its value is not allowed.`,
        status,
        detail,
      );
    case status === 401 || status === 403:
      return new OcsFailure(
        'unauthorized',
        `The OCS rejected the credentials (HTTP ${status}). Check OCS_API_KEY of the MCP server.`,
        status,
        detail,
      );
    case status === 400 || status === 413 || status === 415:
      return new OcsFailure(
        'validation',
        said
          ? `The OCS rejected the request for ${what} as invalid: ${said}.${fieldText}`
          : (ctx.badRequestMessage ?? `The OCS rejected the request for ${what} as invalid.${fieldText}`),
        status,
        detail,
      );
    case status === 408 || status === 429 || status >= 500:
      return new OcsFailure(
        'unavailable',
        `The OCS is unavailable or failed (HTTP ${status}). Nothing is known to have changed for reads; retry later or check ${what} before repeating a write.`,
        status,
        detail,
      );
    default:
      return new OcsFailure(
        'bad_response',
        `Unexpected OCS answer (HTTP ${status}) for ${what}.`,
        status,
        detail,
      );
  }
}
