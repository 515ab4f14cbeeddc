import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { RouterError } from '../errors.js';
import { PROVIDER_NAMES, type ProviderName } from '../providers/types.js';

/**
 * Who is calling, as decided by the credential alone (an API key's hash, a verified OIDC token, or
 * the keyless loopback default). Nothing in a request body can change any of it: tool roles, the
 * user ids it may act for, the providers and models it may use and its rate limits.
 */
export interface Principal {
  id: string;
  name: string;
  /** Tool roles (see mcp/roles.ts) plus `approver` for the four-eyes policy. */
  roles: string[];
  /** Glob patterns of the user ids this principal may act for (`*` matches any run of characters). */
  users: string[];
  /** Providers it may use; the router's enabled providers when the file says nothing. */
  providers: ProviderName[];
  /** Glob patterns of model names it may ask for; `*` = any. */
  models: string[];
  /** Per-principal limits; undefined fields fall back to ROUTER_RATE_LIMIT_RPM / _TPM. */
  rateLimits: { rpm?: number; tpm?: number };
  /**
   * Whether /v1/chat/completions, /v1/responses and /v1/messages run the router's MCP tool loop
   * for this principal without the request asking (`x-router-tools: on`); its roles still decide
   * which tools. Only the keys file sets it; absent means off.
   */
  toolsOnCompatibleApis?: boolean;
  /** Where it came from, for logs and the audit trail. */
  source: 'keys_file' | 'env_keys' | 'oidc' | 'local';
}

/** The role that may approve another principal's destructive call under ROUTER_APPROVAL=other-approver. */
export const APPROVER_ROLE = 'approver';

/** Principal ids: they prefix user namespaces (`<id>:*`), so the same charset as user ids minus `:`. */
export const PRINCIPAL_ID_PATTERN = /^[A-Za-z0-9._@-]{1,64}$/;

const userPattern = z
  .string()
  .min(1)
  .max(129)
  .regex(/^[A-Za-z0-9._@:*-]+$/, 'user id pattern: user id characters and * only');

const sha256 = z
  .string()
  .transform((hash) => hash.toLowerCase())
  .pipe(z.string().regex(/^[0-9a-f]{64}$/, 'must be the SHA-256 of the key in hex (64 digits)'));

export const principalEntrySchema = z
  .strictObject({
    id: z
      .string()
      .regex(PRINCIPAL_ID_PATTERN, '1-64 characters from A-Z a-z 0-9 . _ @ -')
      .describe('Stable principal id; written to the audit log.'),
    name: z.string().min(1).max(200).optional().describe('Display name (default: the id).'),
    key_sha256: z
      .array(sha256)
      .min(1)
      .max(20)
      .describe('SHA-256 hex digests of the API keys of this principal (printf %s "$KEY" | sha256sum).'),
    roles: z.array(z.string().min(1).max(200)).max(50).default([]).describe('Tool roles, and `approver`.'),
    users: z
      .array(userPattern)
      .min(1)
      .max(200)
      .optional()
      .describe('User id patterns it may act for; default: its own namespace `<id>:*`.'),
    providers: z.array(z.enum(PROVIDER_NAMES)).min(1).optional().describe('Providers it may use.'),
    models: z.array(z.string().min(1).max(200)).min(1).optional().describe('Model patterns it may ask for.'),
    tools_on_compatible_apis: z
      .boolean()
      .optional()
      .describe(
        "Run the router's MCP tools (filtered by roles) on /v1/chat/completions, /v1/responses and /v1/messages without the x-router-tools: on header; default false.",
      ),
    rate_limits: z
      .strictObject({
        rpm: z.number().int().min(0).optional(),
        tpm: z.number().int().min(0).optional(),
      })
      .optional(),
  })
  .describe('One principal of ROUTER_KEYS_FILE.');

export const keysFileSchema = z
  .strictObject({ principals: z.array(principalEntrySchema).min(1).max(10_000) })
  .superRefine((file, ctx) => {
    const ids = new Set<string>();
    const hashes = new Map<string, string>();
    file.principals.forEach((principal, index) => {
      if (ids.has(principal.id))
        ctx.addIssue({ code: 'custom', path: ['principals', index, 'id'], message: 'duplicate id' });
      ids.add(principal.id);
      for (const hash of principal.key_sha256) {
        const owner = hashes.get(hash);
        if (owner !== undefined && owner !== principal.id) {
          ctx.addIssue({
            code: 'custom',
            path: ['principals', index, 'key_sha256'],
            message: `the same key is also listed for principal ${owner}`,
          });
        }
        hashes.set(hash, principal.id);
      }
    });
  });

export type KeysFile = z.infer<typeof keysFileSchema>;

/** A user id namespace of its own: the default `users` of a principal from the file or OIDC. */
export const ownNamespace = (id: string): string[] => [`${id}:*`];

export interface PrincipalDefaults {
  /** Providers the operator enabled (a principal can never get more). */
  providers: ProviderName[];
}

const YAML_FILE = /\.ya?ml$/i;

/** yaml's parse, once {@link loadKeysFileParser} has loaded it. */
let parseYaml: ((text: string) => unknown) | undefined;

/**
 * Loads the YAML parser when ROUTER_KEYS_FILE is a .yaml/.yml file; startRouter awaits it before
 * {@link loadKeysFile}. yaml is ~70 modules that a router on a JSON keys file, environment keys or
 * OIDC alone would load at start-up for nothing.
 */
export async function loadKeysFileParser(file: string | undefined): Promise<void> {
  if (file !== undefined && YAML_FILE.test(file)) parseYaml ??= (await import('yaml')).parse;
}

/**
 * Reads and validates ROUTER_KEYS_FILE (JSON, or YAML by extension, after {@link loadKeysFileParser});
 * errors name the file and field.
 */
export function loadKeysFile(
  file: string,
  defaults: PrincipalDefaults,
): { principal: Principal; hashes: string[] }[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(
      `ROUTER_KEYS_FILE ${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
  const yaml = YAML_FILE.test(file);
  if (yaml && !parseYaml)
    throw new Error(`ROUTER_KEYS_FILE ${file} is YAML: await loadKeysFileParser(file) before loading it`);
  let raw: unknown;
  try {
    raw = yaml && parseYaml ? parseYaml(text) : JSON.parse(text);
  } catch (error) {
    throw new Error(
      `ROUTER_KEYS_FILE ${file} is not valid ${yaml ? 'YAML' : 'JSON'}: ${(error as Error).message}`,
    );
  }
  const parsed = keysFileSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .slice(0, 8)
      .map((issue) => `${issue.path.map(String).join('.') || '(file)'}: ${issue.message}`);
    throw new Error(`ROUTER_KEYS_FILE ${file} is invalid: ${problems.join('; ')}`);
  }
  return parsed.data.principals.map((entry) => {
    const providers = entry.providers ?? defaults.providers;
    const rateLimits: Principal['rateLimits'] = {};
    if (entry.rate_limits?.rpm !== undefined) rateLimits.rpm = entry.rate_limits.rpm;
    if (entry.rate_limits?.tpm !== undefined) rateLimits.tpm = entry.rate_limits.tpm;
    return {
      hashes: entry.key_sha256,
      principal: {
        id: entry.id,
        name: entry.name ?? entry.id,
        roles: entry.roles,
        users: entry.users ?? ownNamespace(entry.id),
        providers,
        models: entry.models ?? ['*'],
        rateLimits,
        ...(entry.tools_on_compatible_apis ? { toolsOnCompatibleApis: true } : {}),
        source: 'keys_file',
      },
    };
  });
}

function globToRegExp(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${escaped}$`);
}

export const matchesGlob = (patterns: readonly string[], value: string): boolean =>
  patterns.some((pattern) => globToRegExp(pattern).test(value));

/** Whether the principal may act for `userId` (read its context, ask for it, answer its confirmations). */
export function mayActFor(principal: Principal, userId: string): boolean {
  return matchesGlob(principal.users, userId);
}

/**
 * Refuses a user id the principal may not act for with the same 404 an unknown one gets, so a
 * caller cannot learn whether someone else's user exists.
 */
export function assertMayActFor(principal: Principal, userId: string, notFound: string): void {
  if (!mayActFor(principal, userId)) throw new RouterError(404, 'not_found', notFound);
}

/** 403 naming what is allowed when a request picks a provider or model outside the principal's list. */
export function assertMayUse(principal: Principal, provider: string, model: string | undefined): void {
  if (!principal.providers.includes(provider as ProviderName)) {
    throw new RouterError(
      403,
      'provider_not_allowed',
      `Provider "${provider.slice(0, 64)}" is not allowed for principal ${principal.id}; allowed providers: ${principal.providers.join(', ') || 'none'}`,
      { provider },
    );
  }
  if (model !== undefined && !matchesGlob(principal.models, model)) {
    throw new RouterError(
      403,
      'model_not_allowed',
      `Model "${model.slice(0, 200)}" is not allowed for principal ${principal.id}; allowed models: ${principal.models.join(', ')}`,
      { provider },
    );
  }
}

/** What /whoami and the console show: never keys or hashes. */
export const principalViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  roles: z.array(z.string()),
  users: z.array(z.string()),
  providers: z.array(z.string()),
  models: z.array(z.string()),
  source: z.enum(['keys_file', 'env_keys', 'oidc', 'local']),
});

export function principalView(principal: Principal): z.infer<typeof principalViewSchema> {
  return {
    id: principal.id,
    name: principal.name,
    roles: principal.roles,
    users: principal.users,
    providers: principal.providers,
    models: principal.models,
    source: principal.source,
  };
}
