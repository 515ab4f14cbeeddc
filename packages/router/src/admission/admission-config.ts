import { z } from 'zod';
import { hashApiKey } from './api-keys.js';

const commaList = (text: string) =>
  text
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);

/**
 * Auth, rate-limit and CORS settings; spread into the router's env schema. Plain API keys are
 * hashed while the environment is parsed, so the config object never holds a usable key.
 */
export const admissionEnvShape = {
  ROUTER_API_KEYS: z
    .string()
    .transform((text) => commaList(text).map(hashApiKey))
    .default([])
    .describe('Comma list of API keys accepted as Bearer or x-api-key (kept only as SHA-256 hashes).'),
  ROUTER_API_KEY_HASHES: z
    .string()
    .transform((text) => commaList(text).map((hash) => hash.toLowerCase()))
    .pipe(z.array(z.string().regex(/^[0-9a-f]{64}$/, 'each hash must be 64 hex digits (sha256)')))
    .default([])
    .describe('Comma list of SHA-256 hex digests of accepted API keys.'),
  ROUTER_KEYS_FILE: z
    .string()
    .min(1)
    .optional()
    .describe(
      'Principals file (JSON, or YAML by extension): each key hash maps to a principal with roles, users, providers, models and rate limits. Not combinable with ROUTER_API_KEYS / ROUTER_API_KEY_HASHES.',
    ),
  ROUTER_DEFAULT_ROLES: z
    .string()
    .transform(commaList)
    .default([])
    .describe(
      'Comma list of tool roles of the principal of ROUTER_API_KEYS / ROUTER_API_KEY_HASHES (`default`) and of the keyless loopback principal (`local`).',
    ),
  ROUTER_APPROVAL: z
    .enum(['self', 'other-approver'])
    .default('self')
    .describe(
      'self: the principal that asked approves its own destructive call; other-approver: a different principal holding the `approver` role must approve it.',
    ),
  ROUTER_OIDC_ISSUER: z
    .url()
    .optional()
    .describe('OIDC issuer whose JWT bearer tokens are accepted (JWKS found by discovery).'),
  ROUTER_OIDC_AUDIENCE: z
    .string()
    .min(1)
    .optional()
    .describe('Required `aud` of OIDC tokens (required with ROUTER_OIDC_ISSUER).'),
  ROUTER_OIDC_PRINCIPAL_CLAIM: z
    .string()
    .min(1)
    .default('sub')
    .describe('Claim holding the principal id of an OIDC token.'),
  ROUTER_OIDC_ROLES_CLAIM: z
    .string()
    .min(1)
    .default('roles')
    .describe(
      'Claim holding the roles (array or space-separated; dots for nested claims such as realm_access.roles).',
    ),
  ROUTER_RATE_LIMIT_RPM: z.coerce
    .number()
    .int()
    .min(0)
    .default(0)
    .describe("Requests per minute per principal (0 = no limit); a principal's rate_limits.rpm wins."),
  ROUTER_RATE_LIMIT_TPM: z.coerce
    .number()
    .int()
    .min(0)
    .default(0)
    .describe("LLM tokens per minute per principal (0 = no limit); a principal's rate_limits.tpm wins."),
  ROUTER_CORS_ORIGINS: z
    .string()
    .transform(commaList)
    .pipe(z.array(z.url('each origin must be a URL such as https://app.example.com')))
    .default([])
    .describe('Exact browser origins allowed by CORS; none = CORS off.'),
};

export interface AdmissionConfig {
  ROUTER_API_KEYS: string[];
  ROUTER_API_KEY_HASHES: string[];
  ROUTER_KEYS_FILE?: string | undefined;
  ROUTER_DEFAULT_ROLES: string[];
  ROUTER_OIDC_ISSUER?: string | undefined;
  ROUTER_OIDC_AUDIENCE?: string | undefined;
  ROUTER_OIDC_PRINCIPAL_CLAIM: string;
  ROUTER_OIDC_ROLES_CLAIM: string;
  ROUTER_RATE_LIMIT_RPM: number;
  ROUTER_RATE_LIMIT_TPM: number;
  ROUTER_CORS_ORIGINS: string[];
}
