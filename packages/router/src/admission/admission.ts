import { PROVIDER_NAMES, type ProviderName } from '../providers/types.js';
import type { AdmissionConfig } from './admission-config.js';
import { PrincipalKeys } from './api-keys.js';
import { MemoryRateLimiter } from './memory-rate-limiter.js';
import { looksLikeJwt, OidcVerifier } from './oidc.js';
import { loadKeysFile, type Principal } from './principal.js';
import type { RateLimiter, RateLimits } from './rate-limiter.js';

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
  options: { limiter?: RateLimiter; providers?: readonly ProviderName[]; credentials?: Credentials } = {},
): Admission {
  return {
    credentials: options.credentials ?? createCredentials(config, options.providers),
    limiter: options.limiter ?? new MemoryRateLimiter(),
    limits: { rpm: config.ROUTER_RATE_LIMIT_RPM, tpm: config.ROUTER_RATE_LIMIT_TPM },
    corsOrigins: config.ROUTER_CORS_ORIGINS,
  };
}
