import type { createRemoteJWKSet, JWTPayload } from 'jose';
import { RouterError } from '../errors.js';
import type { ProviderName } from '../providers/types.js';
import { ownNamespace, PRINCIPAL_ID_PATTERN, type Principal } from './principal.js';

export interface OidcSettings {
  issuer: string;
  audience: string;
  /** Claim holding the principal id (default `sub`; `azp` or `client_id` for client-credentials tokens). */
  principalClaim: string;
  /** Claim holding the roles: an array or a space-separated string; dots walk nested objects (`realm_access.roles`). */
  rolesClaim: string;
  providers: ProviderName[];
}

/** Signatures the router accepts: asymmetric only, so `none` and shared-secret HMAC tokens never verify. */
const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];

/** A compact JWS: three base64url parts. API keys never look like that (no dots). */
export const looksLikeJwt = (token: string): boolean =>
  /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(token);

/**
 * jose is loaded by the first bearer JWT, not at start-up: most routers run on API keys alone, and its
 * ~45 modules cost start-up time and resident memory for nothing there.
 */
let jose: Promise<typeof import('jose')> | undefined;
const loadJose = (): Promise<typeof import('jose')> => {
  jose ??= import('jose');
  return jose;
};

function claimAt(payload: JWTPayload, path: string): unknown {
  let value: unknown = payload;
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/**
 * Verifies OIDC bearer tokens (an operator's SSO: Keycloak, Entra ID) against the issuer's JWKS,
 * found through its discovery document: signature, `iss`, `aud`, `exp`/`nbf`. The token's claims
 * become the principal; nothing else in the request does.
 */
export class OidcVerifier {
  readonly #settings: OidcSettings;
  #jwks: Promise<ReturnType<typeof createRemoteJWKSet>> | undefined;

  constructor(settings: OidcSettings) {
    this.#settings = settings;
  }

  #keySet(): Promise<ReturnType<typeof createRemoteJWKSet>> {
    this.#jwks ??= this.#discover().catch((error: unknown) => {
      this.#jwks = undefined; // the next request tries discovery again
      throw error;
    });
    return this.#jwks;
  }

  async #discover(): Promise<ReturnType<typeof createRemoteJWKSet>> {
    const issuer = this.#settings.issuer.replace(/\/+$/, '');
    const unavailable = (why: string) =>
      new RouterError(503, 'oidc_unavailable', `OIDC discovery at ${issuer} failed: ${why}`, {
        retryAfterSeconds: 1,
      });
    let document: { issuer?: unknown; jwks_uri?: unknown };
    try {
      const response = await fetch(`${issuer}/.well-known/openid-configuration`, {
        signal: AbortSignal.timeout(10_000),
      });
      if (!response.ok) throw unavailable(`HTTP ${response.status}`);
      document = (await response.json()) as typeof document;
    } catch (error) {
      if (error instanceof RouterError) throw error;
      throw unavailable(error instanceof Error ? error.message : 'unreachable');
    }
    if (typeof document.jwks_uri !== 'string') throw unavailable('no jwks_uri in the discovery document');
    const { createRemoteJWKSet } = await loadJose();
    return createRemoteJWKSet(new URL(document.jwks_uri));
  }

  /** The token's principal, or undefined when the token does not verify (the caller answers 401). */
  async verify(token: string): Promise<Principal | undefined> {
    const keys = await this.#keySet();
    const { jwtVerify } = await loadJose();
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keys, {
        issuer: this.#settings.issuer,
        audience: this.#settings.audience,
        algorithms: ALGORITHMS,
        requiredClaims: ['exp'],
      }));
    } catch {
      return undefined;
    }
    const id = claimAt(payload, this.#settings.principalClaim);
    if (typeof id !== 'string' || !PRINCIPAL_ID_PATTERN.test(id)) return undefined;
    const rolesClaim = claimAt(payload, this.#settings.rolesClaim);
    const roles = Array.isArray(rolesClaim)
      ? rolesClaim.filter((role): role is string => typeof role === 'string')
      : typeof rolesClaim === 'string'
        ? rolesClaim.split(' ').filter(Boolean)
        : [];
    return {
      id,
      name: typeof payload.name === 'string' ? payload.name : id,
      roles,
      users: ownNamespace(id),
      providers: this.#settings.providers,
      models: ['*'],
      rateLimits: {},
      source: 'oidc',
    };
  }
}
