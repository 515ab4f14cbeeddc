import type { MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import { RouterError } from '../errors.js';
import { errorResponse } from '../http/error-response.js';
import type { RouterEnv } from '../http/router-env.js';
import { PROVIDER_NAMES, type ProviderName } from '../providers/types.js';
import type { AdmissionConfig } from './admission-config.js';
import { PrincipalKeys } from './api-keys.js';
import { MemoryRateLimiter } from './memory-rate-limiter.js';
import { looksLikeJwt, OidcVerifier } from './oidc.js';
import { loadKeysFile, type Principal } from './principal.js';
import type { RateLimiter, RateLimits } from './rate-limiter.js';
import { meterTokens } from './token-meter.js';

/** Probes for orchestrators and scrapers: no key needed (they reveal no user data). */
export const OPEN_PATHS: ReadonlySet<string> = new Set(['/health', '/ready', '/metrics', '/openapi.json']);

/** The console's static files are public: the page itself asks for an API key before it calls the API. */
export function isConsoleAsset(path: string): boolean {
  return path === '/console' || path.startsWith('/console/');
}

/** Routes whose answers carry LLM token usage that counts against ROUTER_RATE_LIMIT_TPM. */
const METERED_PATHS = new Set(['/ask', '/v1/chat/completions']);

/**
 * Who a credential is. Three sources, decided by configuration only: API keys (ROUTER_KEYS_FILE, or
 * ROUTER_API_KEYS / ROUTER_API_KEY_HASHES as the one principal `default`), OIDC bearer tokens, and,
 * when neither is configured (loopback only), the one explicit principal `local`.
 */
export class Credentials {
  readonly keys: PrincipalKeys<Principal>;
  readonly oidc: OidcVerifier | undefined;
  /** Set only when no credential source is configured: every caller is this principal. */
  readonly local: Principal | undefined;

  constructor(keys: PrincipalKeys<Principal>, oidc: OidcVerifier | undefined, local: Principal | undefined) {
    this.keys = keys;
    this.oidc = oidc;
    this.local = local;
  }

  get enabled(): boolean {
    return this.keys.enabled || this.oidc !== undefined;
  }

  /** The principal of a presented credential, or undefined (401). */
  async resolve(presented: string): Promise<Principal | undefined> {
    if (this.oidc && looksLikeJwt(presented)) {
      const principal = await this.oidc.verify(presented);
      // A token never borrows the identity (and the user namespace) of an API-key principal.
      if (principal) return this.keys.has(principal.id) ? undefined : principal;
    }
    // An API key may look like a JWT (dots are allowed): a token that did not verify is tried as one.
    return this.keys.verify(presented);
  }
}

export interface Admission {
  credentials: Credentials;
  limiter: RateLimiter;
  limits: RateLimits;
  corsOrigins: string[];
}

/** The principal every environment key maps to (the single-tenant case: it acts for every user id). */
export const ENV_KEYS_PRINCIPAL = 'default';
/** The principal of keyless loopback development. */
export const LOCAL_PRINCIPAL = 'local';

export function createCredentials(
  config: AdmissionConfig,
  providers: readonly ProviderName[] = PROVIDER_NAMES,
): Credentials {
  const enabled = [...providers];
  const envHashes = [...config.ROUTER_API_KEYS, ...config.ROUTER_API_KEY_HASHES];
  const shared = (id: string, name: string, source: Principal['source']): Principal => ({
    id,
    name,
    roles: config.ROUTER_DEFAULT_ROLES,
    users: ['*'],
    providers: enabled,
    models: ['*'],
    rateLimits: {},
    source,
  });
  const entries = config.ROUTER_KEYS_FILE
    ? loadKeysFile(config.ROUTER_KEYS_FILE, { providers: enabled })
    : envHashes.length
      ? [
          {
            hashes: envHashes,
            principal: shared(ENV_KEYS_PRINCIPAL, 'API keys from the environment', 'env_keys'),
          },
        ]
      : [];
  const keys = new PrincipalKeys(entries.map((entry) => ({ ...entry, id: entry.principal.id })));
  const oidc = config.ROUTER_OIDC_ISSUER
    ? new OidcVerifier({
        issuer: config.ROUTER_OIDC_ISSUER,
        audience: config.ROUTER_OIDC_AUDIENCE ?? '',
        principalClaim: config.ROUTER_OIDC_PRINCIPAL_CLAIM,
        rolesClaim: config.ROUTER_OIDC_ROLES_CLAIM,
        providers: enabled,
      })
    : undefined;
  const local =
    keys.enabled || oidc ? undefined : shared(LOCAL_PRINCIPAL, 'Keyless loopback development', 'local');
  return new Credentials(keys, oidc, local);
}

export function createAdmission(
  config: AdmissionConfig,
  options: { limiter?: RateLimiter; providers?: readonly ProviderName[] } = {},
): Admission {
  return {
    credentials: createCredentials(config, options.providers),
    limiter: options.limiter ?? new MemoryRateLimiter(),
    limits: { rpm: config.ROUTER_RATE_LIMIT_RPM, tpm: config.ROUTER_RATE_LIMIT_TPM },
    corsOrigins: config.ROUTER_CORS_ORIGINS,
  };
}

/** The key a caller presents: `Authorization: Bearer <key>` or `x-api-key: <key>`. */
function presentedKey(authorization: string | undefined, apiKey: string | undefined): string | undefined {
  if (authorization) {
    const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization);
    if (match?.[1]) return match[1];
  }
  return apiKey?.trim() || undefined;
}

/** CORS (only when origins are configured), then API-key auth, then per-key rate limits. */
export function admissionMiddlewares(admission: Admission): MiddlewareHandler<RouterEnv>[] {
  const middlewares: MiddlewareHandler<RouterEnv>[] = [];
  if (admission.corsOrigins.length) {
    middlewares.push(
      cors({
        origin: admission.corsOrigins,
        allowMethods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
        allowHeaders: ['authorization', 'x-api-key', 'content-type', 'x-request-id'],
        exposeHeaders: ['x-request-id', 'x-router-overhead-ms', 'retry-after'],
        maxAge: 600,
      }) as MiddlewareHandler<RouterEnv>,
    );
  }
  const { credentials, limiter } = admission;
  middlewares.push(async (c, next) => {
    if (OPEN_PATHS.has(c.req.path) || isConsoleAsset(c.req.path)) return next();
    let principal = credentials.local;
    if (!principal) {
      const key = presentedKey(c.req.header('authorization'), c.req.header('x-api-key'));
      const verified = key === undefined ? undefined : await credentials.resolve(key);
      if (!verified) {
        c.header('www-authenticate', 'Bearer realm="ocs-router"');
        return errorResponse(
          c,
          new RouterError(
            401,
            'unauthorized',
            key === undefined
              ? 'API key required: send Authorization: Bearer <key> or x-api-key'
              : 'Credential not recognised (unknown API key, or an invalid, expired or foreign token)',
          ),
        );
      }
      principal = verified;
    }
    c.set('principal', principal);
    const keyId = principal.id;
    const limits = {
      rpm: principal.rateLimits.rpm ?? admission.limits.rpm,
      tpm: principal.rateLimits.tpm ?? admission.limits.tpm,
    };
    if (limits.rpm > 0 || limits.tpm > 0) {
      const verdict = await limiter.admit(keyId, limits);
      if (!verdict.ok) {
        const limit = verdict.limit === 'requests' ? 'ROUTER_RATE_LIMIT_RPM' : 'ROUTER_RATE_LIMIT_TPM';
        return errorResponse(
          c,
          new RouterError(
            429,
            'rate_limited',
            `Rate limit reached for principal ${principal.id} (${principal.rateLimits.rpm !== undefined || principal.rateLimits.tpm !== undefined ? 'its rate_limits' : limit}); retry later`,
            {
              retryAfterSeconds: Math.max(1, Math.ceil(verdict.retryAfterMs / 1000)),
            },
          ),
        );
      }
    }
    await next();
    if (limits.tpm > 0 && METERED_PATHS.has(c.req.path) && c.res.ok && c.res.body) {
      const response = c.res;
      const body = meterTokens(response.body as ReadableStream<Uint8Array>, (tokens) => {
        void limiter.charge(keyId, tokens).catch(() => {});
      });
      c.res = new Response(body, {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
      });
    }
  });
  return middlewares;
}
