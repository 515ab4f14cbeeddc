import { parseEnv } from '@ocsai/contract';
import { z } from 'zod';
import { admissionEnvShape } from './admission/admission-config.js';
import { clusterEnvShape, workerCount } from './cluster-env.js';
import { PROVIDER_NAMES } from './providers/types.js';
import { resilienceEnvShape } from './resilience/resilience-config.js';
import { redisEnvShape } from './stores/context/redis-env.js';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export const STORE_KINDS = ['sqlite', 'memory', 'redis'] as const;
export type StoreKind = (typeof STORE_KINDS)[number];

export const routerEnvSchema = z
  .object({
    ...resilienceEnvShape,
    ...admissionEnvShape,
    ...redisEnvShape,
    ...clusterEnvShape,
    ROUTER_HOST: z.string().min(1).default('127.0.0.1').describe('Interface the router listens on.'),
    ROUTER_PORT: z.coerce
      .number()
      .int()
      .min(0)
      .max(65535)
      .default(8000)
      .describe('TCP port (0 = pick a free one).'),
    LLM_PROVIDER: z
      .enum(PROVIDER_NAMES)
      .default('ollama')
      .describe('Provider used when a request names none.'),
    ROUTER_STORE: z.enum(STORE_KINDS).default('sqlite').describe('Per-user context store backend.'),
    ROUTER_DB: z
      .string()
      .min(1)
      .default('./data/router.sqlite')
      .describe('SQLite file of the sqlite context store.'),
    ROUTER_MAX_BODY_BYTES: z.coerce
      .number()
      .int()
      .min(1024)
      .max(64 * 1024 * 1024)
      .default(1024 * 1024)
      .describe('Largest accepted request body in bytes; larger bodies get 413.'),
    ROUTER_MEMORY_MAX_MESSAGES: z.coerce
      .number()
      .int()
      .min(0)
      .max(200)
      .default(20)
      .describe('Messages kept in a user context memory; the oldest are dropped first.'),
    ROUTER_PASS_THROUGH_FIELDS: z
      .string()
      .default('')
      .transform((value) =>
        value
          .split(',')
          .map((field) => field.trim())
          .filter(Boolean),
      )
      .pipe(z.array(z.string().regex(/^(\*|[A-Za-z_][A-Za-z0-9_]{0,63})$/, 'a field name or *')))
      .describe(
        'Comma-separated Chat Completions fields the router does not model (e.g. store,prediction,verbosity) to send unchanged to OpenAI-compatible upstreams (openai, azure, openrouter, lmstudio); "*" allows any. Empty: every unknown field is a 400 naming it. anthropic and ollama refuse them with a 400.',
      ),
    LOG_LEVEL: z.enum(LOG_LEVELS).default('info').describe('pino log level.'),
    MCP_CONFIG: z
      .string()
      .min(1)
      .optional()
      .describe(
        'MCP servers file (mcpServers format, plus trusted and roles); ./mcp.json when unset and present.',
      ),
    ROUTER_ROLES: z
      .string()
      .min(1)
      .optional()
      .describe(
        'JSON object of tool roles ({"viewer":{"readOnly":true}}); replaces same-named roles of the MCP config.',
      ),
    ROUTER_TOOL_TIMEOUT_MS: z.coerce
      .number()
      .int()
      .min(100)
      .max(600_000)
      .default(30_000)
      .describe('Timeout of one MCP call (and connect).'),
    ROUTER_TOOL_RESULT_MAX_CHARS: z.coerce
      .number()
      .int()
      .min(200)
      .max(1_000_000)
      .default(16_000)
      .describe('Longest tool result text given to the model; /ask keeps the full result.'),
    ROUTER_MCP_TOOLS_TTL_MS: z.coerce
      .number()
      .int()
      .min(0)
      .max(86_400_000)
      .default(300_000)
      .describe('How long an MCP server tool list is cached (list_changed over stdio refreshes sooner).'),
    ROUTER_CONFIRMATION_TTL_MS: z.coerce
      .number()
      .int()
      .min(1)
      .max(86_400_000)
      .default(300_000)
      .describe("Lifetime of a pending tool confirmation, capped by the MCP server's own expires_at."),
    ROUTER_AUDIT_FILE: z
      .string()
      .min(1)
      .optional()
      .describe(
        'Append-only, hash-chained JSON-lines audit file of tool calls and confirmation decisions (check it with `ocs-router audit verify FILE`). One file per instance.',
      ),
    ROUTER_AUDIT_LOG: z
      .enum(['true', 'false'])
      .default('false')
      .transform((value) => value === 'true')
      .describe('true also writes every audit record to the log stream (pino, msg "audit").'),
    ROUTER_MAX_TOOL_STEPS: z.coerce
      .number()
      .int()
      .min(1)
      .max(50)
      .default(8)
      .describe('Most tool rounds per /ask; after that the answer ends with finish_reason "length".'),
  })
  .superRefine((config, ctx) => {
    if (config.ROUTER_STORE === 'redis' && !config.REDIS_URL)
      ctx.addIssue({ code: 'custom', path: ['REDIS_URL'], message: 'required when ROUTER_STORE=redis' });
    if (config.ROUTER_KEYS_FILE && (config.ROUTER_API_KEYS.length || config.ROUTER_API_KEY_HASHES.length)) {
      ctx.addIssue({
        code: 'custom',
        path: ['ROUTER_KEYS_FILE'],
        message:
          'cannot be combined with ROUTER_API_KEYS / ROUTER_API_KEY_HASHES (their principal acts for every user): put every key in the file',
      });
    }
    if (config.ROUTER_OIDC_ISSUER && !config.ROUTER_OIDC_AUDIENCE) {
      ctx.addIssue({
        code: 'custom',
        path: ['ROUTER_OIDC_AUDIENCE'],
        message: 'required with ROUTER_OIDC_ISSUER (tokens for other audiences must not be accepted)',
      });
    }
    // Workers are separate processes: in-memory contexts, confirmations and rate-limit counters
    // would each be one worker's, so a second request could miss them or get a second allowance.
    if (workerCount(config.ROUTER_WORKERS) > 1) {
      if (config.ROUTER_STORE === 'memory')
        ctx.addIssue({
          code: 'custom',
          path: ['ROUTER_WORKERS'],
          message: 'above 1 needs ROUTER_STORE=sqlite or redis (memory is per process)',
        });
      if ((config.ROUTER_RATE_LIMIT_RPM > 0 || config.ROUTER_RATE_LIMIT_TPM > 0) && !config.REDIS_URL)
        ctx.addIssue({
          code: 'custom',
          path: ['ROUTER_WORKERS'],
          message: 'above 1 with rate limits needs REDIS_URL (each worker would count on its own)',
        });
    }
  });

export type RouterConfig = z.infer<typeof routerEnvSchema>;

/**
 * Parses the router's environment once at start-up (blank means unset); throws a ConfigError
 * naming every bad variable, never its value.
 */
export function loadRouterConfig(env: Readonly<Record<string, string | undefined>>): RouterConfig {
  return parseEnv('router', routerEnvSchema, env);
}
