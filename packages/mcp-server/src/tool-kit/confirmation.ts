import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { argumentsDigest } from '@ocsai/contract';
import { z } from 'zod';
import type { StateStore } from '../state/state-store.js';

/**
 * Confirmation of destructive actions.
 *
 * Two forms, chosen per call:
 * 1. Clients that can answer an elicitation (2026-07-28 clients declaring `elicitation`, or 2025
 *    clients on a stateful connection such as stdio) get an `input_required` result with a form
 *    `{confirm: boolean}`. The result also carries `requestState` = a confirmation token, so the
 *    retried call must echo state we minted for exactly these arguments.
 * 2. Everyone else (2025-era clients over stateless HTTP, routers) gets a NON-error result whose
 *    structuredContent is the stable shape below and nothing happens. Repeating the identical call
 *    with `confirmation_token` proceeds once.
 *
 * STABLE SHAPE (the router turns it into a prompt for the human):
 *
 * ```
 * {
 *   confirmation_required: true,
 *   confirmation_token: string,   // opaque; HMAC-bound to (subject, tool name, canonical arguments without the token)
 *   expires_at: string,           // ISO-8601 UTC, 5 minutes after issue
 *   message: string,              // what to ask the human, e.g. "Delete subscriber 1f0c…? This cannot be undone."
 *   action: {
 *     tool: string,               // tool name to call again
 *     arguments: object,          // the arguments to repeat (add confirmation_token to them)
 *     summary: string             // one-line description of the effect
 *   }
 * }
 * ```
 *
 * Tokens fail closed: another subject (the credential that asked), wrong tool, different arguments,
 * bad MAC, expired, malformed or already used are all refused. "Already used" holds across
 * instances and restarts: the used nonces live in the shared state store (Redis or a SQLite file).
 */
export const ConfirmationRequired = z.object({
  confirmation_required: z
    .literal(true)
    .describe('true: nothing was done yet; ask the human, then repeat the call with confirmation_token.'),
  confirmation_token: z
    .string()
    .describe('Pass back unchanged as confirmation_token after the human agrees.'),
  expires_at: z.string().describe('ISO-8601 time after which the token is refused.'),
  message: z.string().describe('Question to show the human.'),
  action: z
    .object({
      tool: z.string(),
      arguments: z.record(z.string(), z.unknown()),
      summary: z.string(),
    })
    .describe('The call waiting for confirmation.'),
});
export type ConfirmationRequired = z.infer<typeof ConfirmationRequired>;

export const CONFIRMATION_TTL_MS = 5 * 60 * 1000;

/** Elicitation form for clients that can ask the human directly. */
export const ConfirmForm = z.object({
  confirm: z.boolean().describe('Yes, perform this action'),
});

/** The arguments a token is bound to: everything the caller sent except the token itself. */
export function boundArguments(args: Record<string, unknown>): Record<string, unknown> {
  const { confirmation_token: _token, ...rest } = args;
  return rest;
}

/**
 * What a token may be redeemed as. The requestState of an elicitation round is never accepted as a
 * confirmation_token (and vice versa), so a model that somehow sees one cannot skip the human.
 */
export type TokenPurpose = 'token' | 'elicitation';

interface TokenPayload {
  /** purpose */
  p: TokenPurpose;
  /** tool */
  t: string;
  /** subject of the credential the token was issued to */
  s: string;
  /** sha256 of the canonical arguments */
  a: string;
  /** expiry, ms since epoch */
  e: number;
  /** nonce for single use */
  n: string;
}

export type RedeemResult = { ok: true; nonce: string } | { ok: false; reason: string };

const b64 = (b: Buffer | string) => Buffer.from(b).toString('base64url');

/** Issues and redeems confirmation tokens; the used-set is the shared state store. */
export class ConfirmationTokens {
  constructor(
    private readonly secret: string,
    private readonly used: StateStore,
    private readonly now: () => number = Date.now,
  ) {}

  issue(
    subject: string,
    tool: string,
    args: Record<string, unknown>,
    purpose: TokenPurpose = 'token',
  ): { token: string; nonce: string; expiresAt: Date } {
    const payload: TokenPayload = {
      p: purpose,
      t: tool,
      s: subject,
      a: argumentsDigest(args),
      e: this.now() + CONFIRMATION_TTL_MS,
      n: randomBytes(12).toString('base64url'),
    };
    const body = b64(JSON.stringify(payload));
    return { token: `${body}.${this.mac(body)}`, nonce: payload.n, expiresAt: new Date(payload.e) };
  }

  /** Checks a token for this subject, tool and arguments and marks it used, everywhere. */
  async redeem(
    token: string,
    subject: string,
    tool: string,
    args: Record<string, unknown>,
    purpose: TokenPurpose = 'token',
  ): Promise<RedeemResult> {
    const parts = token.split('.');
    if (parts.length !== 2 || !parts[0] || !parts[1]) return { ok: false, reason: 'malformed token' };
    const [body, mac] = parts as [string, string];
    const expected = Buffer.from(this.mac(body));
    const given = Buffer.from(mac);
    if (expected.length !== given.length || !timingSafeEqual(expected, given))
      return { ok: false, reason: 'token signature is invalid' };
    let payload: TokenPayload;
    try {
      payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as TokenPayload;
    } catch {
      return { ok: false, reason: 'malformed token' };
    }
    if (
      typeof payload?.t !== 'string' ||
      typeof payload.s !== 'string' ||
      typeof payload.a !== 'string' ||
      typeof payload.e !== 'number' ||
      typeof payload.n !== 'string'
    )
      return { ok: false, reason: 'malformed token' };
    if (payload.p !== purpose) return { ok: false, reason: 'token was not issued for this step' };
    if (payload.t !== tool) return { ok: false, reason: `token was issued for ${payload.t}, not ${tool}` };
    if (payload.s !== subject) return { ok: false, reason: 'token was issued to another credential' };
    const now = this.now();
    if (payload.e <= now) return { ok: false, reason: 'token has expired' };
    if (payload.a !== argumentsDigest(args))
      return { ok: false, reason: 'arguments differ from the ones that were confirmed' };
    // The single-use step: only the first redeemer, on any instance, stores the nonce.
    const first = await this.used.putIfAbsent(`confirm:${payload.n}`, tool, payload.e - now + 1_000);
    if (!first) return { ok: false, reason: 'token was already used' };
    return { ok: true, nonce: payload.n };
  }

  private mac(body: string): string {
    return createHmac('sha256', this.secret).update(`ocs-mcp.confirm.v2:${body}`).digest('base64url');
  }
}
