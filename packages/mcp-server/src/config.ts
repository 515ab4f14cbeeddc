import { randomBytes } from 'node:crypto';
import { ConfigError, isBlank, parseEnv } from '@ocsai/contract';
import { z } from 'zod';
import { DEFAULT_MEMORY_MAX_ENTRIES } from './state/state-store.js';

/** Tool groups that OCS_MCP_TOOLSETS can switch on; one file per group in src/tools/. */
export const TOOLSETS = [
  'subscriber',
  'subscription',
  'balance',
  'history',
  'offers',
  'history-admin',
] as const;
export type Toolset = (typeof TOOLSETS)[number];
/** On unless OCS_MCP_TOOLSETS says otherwise; history-admin (rewriting the OCS's own trail) is not. */
export const DEFAULT_TOOLSETS: readonly Toolset[] = [
  'subscriber',
  'subscription',
  'balance',
  'history',
  'offers',
];

const commaList = z
  .string()
  .default('')
  .transform((s) =>
    s
      .split(',')
      .map((v) => v.trim())
      .filter((v) => v !== ''),
  );

const flag = (fallback: 'true' | 'false') =>
  z
    .string()
    .trim()
    .toLowerCase()
    .default(fallback)
    .pipe(z.enum(['true', 'false', '1', '0', 'yes', 'no'], 'must be true or false'))
    .transform((v) => v === 'true' || v === '1' || v === 'yes');

const httpUrl = z
  .string()
  .trim()
  .pipe(z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }))
  .transform((u) => u.replace(/\/+$/, ''));

/**
 * Every environment variable the MCP server reads. Keys are the variable names; the `.describe()`
 * texts and defaults are the single source for the README table and `.env.example`.
 */
export const mcpEnvSchema = z.object({
  OCS_API_URL: httpUrl
    .default('http://127.0.0.1:8080/ocs/prov/v1')
    .describe(
      'Base URL of the OCS provisioning API, including the /ocs/prov/v1 context path (alias: OCS_API_BASE_URL).',
    ),
  OCS_API_KEY: z
    .string()
    .optional()
    .describe('API key sent to the OCS as the X-API-Key header. Never logged.'),
  OCS_API_TIMEOUT: z.coerce
    .number('must be a number of seconds')
    .positive('must be greater than 0')
    .max(600, 'must be at most 600 seconds')
    .default(30)
    .describe('Deadline in seconds for one tool call against the OCS, retries included.'),
  OCS_MCP_READ_ONLY: flag('false').describe(
    'true hides every tool that writes to the OCS and refuses them if called anyway.',
  ),
  OCS_MCP_TOOLSETS: z
    .string()
    .default(DEFAULT_TOOLSETS.join(','))
    .transform((s, ctx) => {
      const names = s
        .split(',')
        .map((v) => v.trim().toLowerCase())
        .filter((v) => v !== '');
      const unknown = names.filter((n) => !(TOOLSETS as readonly string[]).includes(n));
      if (unknown.length > 0) {
        ctx.addIssue({
          code: 'custom',
          message: `unknown toolset(s) ${unknown.join(', ')}; choose from ${TOOLSETS.join(', ')}`,
        });
        return z.NEVER;
      }
      if (names.length === 0) {
        ctx.addIssue({ code: 'custom', message: `must name at least one of ${TOOLSETS.join(', ')}` });
        return z.NEVER;
      }
      return [...new Set(names)] as Toolset[];
    })
    .describe(
      `Comma-separated tool groups to expose: ${TOOLSETS.join(', ')}. history-admin (edit and delete account history, always confirmed) is off unless listed.`,
    ),
  OCS_MCP_CONFIRMATION: z
    .enum(['auto', 'elicitation'], 'must be auto or elicitation')
    .default('auto')
    .describe(
      'auto: irreversible calls are confirmed by elicitation when the client can, else by a confirmation token the client shows its human; elicitation: refuse irreversible calls from clients that cannot elicit (a model that sees a token cannot approve itself).',
    ),
  OCS_BACKEND_DEDUPLICATES: z
    .enum(['auto', 'true', 'false'], 'must be auto, true or false')
    .default('auto')
    .describe(
      'Whether the OCS replays a POST that repeats an X-Transaction-ID. auto: only once the OCS says so with the X-OCS-Emulator-Deduplicates response header (our emulator); false for any other backend. Without it a POST is repeated only when it never reached the OCS.',
    ),
  OCS_OFFERS_FILE: z
    .string()
    .optional()
    .describe('Offer catalogue file (.csv or .json). Default: the bundled, corrected offers.csv.'),
  MCP_HTTP_HOST: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .default('127.0.0.1')
    .describe('Interface the Streamable HTTP server binds to (ocs-mcp --http).'),
  MCP_HTTP_PORT: z.coerce
    .number('must be a port number')
    .int('must be a whole number')
    .min(0, 'must be 0-65535')
    .max(65535, 'must be 0-65535')
    .default(3001)
    .describe('Port of the Streamable HTTP server; the endpoint is /mcp.'),
  MCP_AUTH_TOKENS: commaList.describe(
    'Comma-separated bearer tokens accepted on /mcp, each with subject token-<first 8 hex of its SHA-256> and the scopes ocs:read ocs:write ocs:irreversible (what they could do before scopes existed). Prefer MCP_AUTH_TOKENS_FILE.',
  ),
  MCP_AUTH_TOKENS_FILE: z
    .string()
    .optional()
    .describe(
      'JSON file of static bearer tokens: [{"token" or "sha256", "subject", "scopes": "ocs:read ocs:write"}]. A token without scopes is read-only (ocs:read).',
    ),
  MCP_OAUTH_ISSUER: httpUrl
    .optional()
    .describe(
      'OAuth 2.1 authorization server (issuer URL) whose JWT access tokens /mcp accepts; its metadata and JWKS are discovered from it.',
    ),
  MCP_OAUTH_METADATA_URL: httpUrl
    .optional()
    .describe("Authorization server metadata URL, when it is not at the issuer's well-known location."),
  MCP_RESOURCE_URL: httpUrl
    .optional()
    .describe(
      'Public URL of this MCP endpoint (its OAuth resource identifier and the token audience); default http://MCP_HTTP_HOST:MCP_HTTP_PORT/mcp.',
    ),
  MCP_ALLOWED_ORIGINS: commaList.describe(
    'Extra Origin hostnames allowed on /mcp beyond localhost, 127.0.0.1 and [::1].',
  ),
  MCP_ALLOWED_HOSTS: commaList.describe(
    'Extra Host header hostnames allowed on /mcp beyond localhost (needed when binding another interface).',
  ),
  MCP_CONFIRMATION_SECRET: z
    .string()
    .min(32, 'must be at least 32 characters')
    .optional()
    .describe(
      'HMAC key for destructive-action confirmation tokens. Random per process when unset (tokens then die with the process).',
    ),
  REDIS_URL: z
    .string()
    .trim()
    .pipe(z.url({ protocol: /^rediss?$/, error: 'must be a redis:// or rediss:// URL' }))
    .optional()
    .describe(
      'Redis for state shared by every instance: used confirmation tokens and the transaction ledger.',
    ),
  MCP_STATE_FILE: z
    .string()
    .optional()
    .describe(
      "SQLite file for that state when REDIS_URL is unset: used whenever MCP_CONFIRMATION_SECRET is set (tokens then outlive the process), default ./data/ocs-mcp-state.sqlite; ':memory:' keeps it in the process.",
    ),
  MCP_STATE_MEMORY_MAX_ENTRIES: z.coerce
    .number('must be a number of entries')
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .default(DEFAULT_MEMORY_MAX_ENTRIES)
    .describe(
      'Most live entries (transaction ledger entries and used confirmation tokens) the in-process state keeps when neither REDIS_URL nor a state file is used. When full, a write with a new transaction_id and a confirmation token are refused (nothing is sent to the OCS) until entries expire, rather than forgetting live ones.',
    ),
  MCP_AUDIT_FILE: z
    .string()
    .optional()
    .describe(
      'Append-only, hash-chained JSON-lines audit file: one record per tools/call (check it with ocs-mcp audit verify FILE). One file per instance.',
    ),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], 'must be a pino level')
    .default('info')
    .describe('pino log level; logs always go to stderr.'),
});
export type McpEnv = z.infer<typeof mcpEnvSchema>;

export interface McpConfig {
  ocsApiUrl: string;
  ocsApiKey: string | undefined;
  ocsApiTimeoutMs: number;
  readOnly: boolean;
  toolsets: Toolset[];
  confirmationMode: 'auto' | 'elicitation';
  backendDeduplicates: 'auto' | 'true' | 'false';
  offersFile: string | undefined;
  httpHost: string;
  httpPort: number;
  authTokens: string[];
  authTokensFile: string | undefined;
  oauthIssuer: string | undefined;
  oauthMetadataUrl: string | undefined;
  resourceUrl: string | undefined;
  allowedOrigins: string[];
  allowedHosts: string[];
  confirmationSecret: string;
  /** Whether the confirmation secret was configured (shared by instances, outliving the process). */
  confirmationSecretShared: boolean;
  redisUrl: string | undefined;
  stateFile: string | undefined;
  stateMemoryMaxEntries: number;
  auditFile: string | undefined;
  logLevel: McpEnv['LOG_LEVEL'];
}

export { ConfigError };

/**
 * Validates the environment once at start-up through the contract's `parseEnv` (blank means unset;
 * the error names every bad variable and never echoes a value, some are secrets).
 */
export function loadMcpConfig(env: Record<string, string | undefined> = process.env): McpConfig {
  const e = parseEnv('MCP server', mcpEnvSchema, {
    ...env,
    OCS_API_URL: isBlank(env.OCS_API_URL) ? env.OCS_API_BASE_URL : env.OCS_API_URL,
  });
  return {
    ocsApiUrl: e.OCS_API_URL,
    ocsApiKey: e.OCS_API_KEY,
    ocsApiTimeoutMs: Math.round(e.OCS_API_TIMEOUT * 1000),
    readOnly: e.OCS_MCP_READ_ONLY,
    toolsets: e.OCS_MCP_TOOLSETS,
    confirmationMode: e.OCS_MCP_CONFIRMATION,
    backendDeduplicates: e.OCS_BACKEND_DEDUPLICATES,
    offersFile: e.OCS_OFFERS_FILE,
    httpHost: e.MCP_HTTP_HOST,
    httpPort: e.MCP_HTTP_PORT,
    authTokens: e.MCP_AUTH_TOKENS,
    authTokensFile: e.MCP_AUTH_TOKENS_FILE,
    oauthIssuer: e.MCP_OAUTH_ISSUER,
    oauthMetadataUrl: e.MCP_OAUTH_METADATA_URL,
    resourceUrl: e.MCP_RESOURCE_URL,
    allowedOrigins: e.MCP_ALLOWED_ORIGINS,
    allowedHosts: e.MCP_ALLOWED_HOSTS,
    confirmationSecret: e.MCP_CONFIRMATION_SECRET ?? randomBytes(32).toString('hex'),
    confirmationSecretShared: e.MCP_CONFIRMATION_SECRET !== undefined,
    redisUrl: e.REDIS_URL,
    stateFile: e.MCP_STATE_FILE,
    stateMemoryMaxEntries: e.MCP_STATE_MEMORY_MAX_ENTRIES,
    auditFile: e.MCP_AUDIT_FILE,
    logLevel: e.LOG_LEVEL,
  };
}
