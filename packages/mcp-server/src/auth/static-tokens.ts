import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ConfigError, type McpConfig } from '../config.js';
import { ALL_OCS_SCOPES, SCOPES } from './principal.js';

/** A bearer token configured in the environment or MCP_AUTH_TOKENS_FILE; only its digest is kept. */
export interface StaticToken {
  digest: Buffer;
  subject: string;
  scopes: string[];
}

const sha256 = (s: string) => createHash('sha256').update(s).digest();

const scopeList = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : v.split(/\s+/)).filter((s) => s !== ''));

const TokenEntry = z
  .strictObject({
    token: z.string().min(16, 'must be at least 16 characters').optional(),
    sha256: z
      .string()
      .regex(/^[0-9a-f]{64}$/i, 'must be 64 hex digits')
      .optional(),
    subject: z.string().min(1).max(200),
    scopes: scopeList,
  })
  .refine((e) => (e.token === undefined) !== (e.sha256 === undefined), 'give exactly one of token or sha256');

export interface LoadedStaticTokens {
  tokens: StaticToken[];
  /** Plain token values, for the secret redactor. */
  secrets: string[];
}

/**
 * MCP_AUTH_TOKENS (legacy: every OCS scope, as before scopes existed) and MCP_AUTH_TOKENS_FILE
 * (each token with a subject and scopes; none given means read-only).
 */
export function loadStaticTokens(config: McpConfig): LoadedStaticTokens {
  const tokens: StaticToken[] = [];
  const secrets: string[] = [];
  for (const token of config.authTokens) {
    const digest = sha256(token);
    tokens.push({
      digest,
      subject: `token-${digest.toString('hex').slice(0, 8)}`,
      scopes: [...ALL_OCS_SCOPES],
    });
    secrets.push(token);
  }
  if (config.authTokensFile) {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(config.authTokensFile, 'utf8'));
    } catch (error) {
      throw new ConfigError(
        `Invalid configuration: MCP_AUTH_TOKENS_FILE: cannot read ${config.authTokensFile} as JSON (${(error as NodeJS.ErrnoException).code ?? (error as Error).name})`,
      );
    }
    const parsed = z.array(TokenEntry).safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new ConfigError(
        `Invalid configuration: MCP_AUTH_TOKENS_FILE: entry ${issue?.path.join('.') || '?'}: ${issue?.message ?? 'invalid'}`,
      );
    }
    for (const entry of parsed.data) {
      tokens.push({
        digest: entry.token !== undefined ? sha256(entry.token) : Buffer.from(entry.sha256 ?? '', 'hex'),
        subject: entry.subject,
        scopes: entry.scopes.length > 0 ? entry.scopes : [SCOPES.read],
      });
      if (entry.token !== undefined) secrets.push(entry.token);
    }
  }
  return { tokens, secrets };
}

/** Constant-time match against every static token (no early exit). */
export function matchStaticToken(token: string, tokens: readonly StaticToken[]): StaticToken | undefined {
  const given = sha256(token);
  let found: StaticToken | undefined;
  for (const t of tokens) if (timingSafeEqual(given, t.digest) && !found) found = t;
  return found;
}
