import type { AuthInfo } from '@modelcontextprotocol/server';
import { getOAuthProtectedResourceMetadataUrl } from '@modelcontextprotocol/server';
import type { createRemoteJWKSet, JWTPayload } from 'jose';
import type { Logger } from 'pino';
import type { McpConfig } from '../config.js';
import type { Refusal } from '../http-guards.js';
import { ALL_OCS_SCOPES, SCOPES } from './principal.js';
import { matchStaticToken, type StaticToken } from './static-tokens.js';

export type AuthOutcome = { ok: true; authInfo: AuthInfo | undefined } | { ok: false; refusal: Refusal };

/**
 * jose is loaded by the first bearer token that is not a static one (OAuth configured), not at
 * start-up: a server on static tokens or on loopback without auth never verifies a JWT, and jose's
 * ~46 modules would cost start-up time and memory for nothing there.
 */
let jose: Promise<typeof import('jose')> | undefined;
const loadJose = (): Promise<typeof import('jose')> => {
  jose ??= import('jose');
  return jose;
};

/** Far enough ahead that the SDK's expiry check never refuses a static token. */
const STATIC_TOKEN_EXPIRY_S = 4_102_444_800; // 2100-01-01

interface AuthorizationServer {
  issuer: string;
  jwks: ReturnType<typeof createRemoteJWKSet>;
}

/**
 * Who is calling /mcp, decided by the bearer token alone:
 * - a static token (MCP_AUTH_TOKENS, MCP_AUTH_TOKENS_FILE): its subject and scopes;
 * - else, with MCP_OAUTH_ISSUER, a JWT access token from that authorization server, verified with
 *   jose against its JWKS (fetched once, keys cached; a new `kid` triggers one refetch): signature,
 *   issuer, audience = this server's resource URL (RFC 8707), expiry;
 * - no token configured at all: no authentication (loopback only).
 * A 401 carries `WWW-Authenticate: Bearer resource_metadata=…` so an OAuth client can discover the
 * authorization server (RFC 9728).
 */
export class Authenticator {
  readonly resourceUrl: string;
  readonly metadataUrl: string;
  private server: Promise<AuthorizationServer> | undefined;

  constructor(
    private readonly config: McpConfig,
    private readonly staticTokens: readonly StaticToken[],
    defaultResourceUrl: string,
    private readonly log: Logger,
  ) {
    this.resourceUrl = config.resourceUrl ?? defaultResourceUrl;
    this.metadataUrl = getOAuthProtectedResourceMetadataUrl(new URL(this.resourceUrl));
  }

  get enabled(): boolean {
    return this.staticTokens.length > 0 || this.oauth;
  }

  get oauth(): boolean {
    return this.config.oauthIssuer !== undefined || this.config.oauthMetadataUrl !== undefined;
  }

  /** RFC 9728 Protected Resource Metadata of /mcp. */
  protectedResourceMetadata(): Record<string, unknown> {
    return {
      resource: this.resourceUrl,
      ...(this.config.oauthIssuer ? { authorization_servers: [this.config.oauthIssuer] } : {}),
      scopes_supported: [...ALL_OCS_SCOPES, SCOPES.delegate],
      bearer_methods_supported: ['header'],
      resource_name: 'OCS provisioning (ocs-mcp)',
    };
  }

  challenge(error: 'invalid_token' | 'insufficient_scope', description: string, scope?: string): string {
    const parts = [`error="${error}"`, `error_description="${description.replace(/["\\]/g, '')}"`];
    if (scope) parts.push(`scope="${scope}"`);
    if (this.oauth) parts.push(`resource_metadata="${this.metadataUrl}"`);
    else parts.unshift('realm="ocs-mcp"');
    return `Bearer ${parts.join(', ')}`;
  }

  async authenticate(header: string | undefined): Promise<AuthOutcome> {
    if (!this.enabled) return { ok: true, authInfo: undefined };
    const match = /^Bearer[ \t]+([A-Za-z0-9\-._~+/]+=*)[ \t]*$/i.exec(header ?? '');
    const token = match?.[1];
    if (!token)
      return this.refuse(
        header === undefined ? 'a bearer token is required' : 'malformed Authorization header',
      );
    const known = matchStaticToken(token, this.staticTokens);
    if (known)
      return {
        ok: true,
        authInfo: {
          token,
          clientId: known.subject,
          scopes: known.scopes,
          expiresAt: STATIC_TOKEN_EXPIRY_S,
          extra: { subject: known.subject, kind: 'static' },
        },
      };
    if (!this.oauth) return this.refuse('unknown bearer token');
    let payload: JWTPayload;
    const { jwtVerify, errors: joseErrors } = await loadJose();
    try {
      const as = await this.authorizationServer();
      ({ payload } = await jwtVerify(token, as.jwks, {
        issuer: as.issuer,
        audience: this.resourceUrl,
        requiredClaims: ['exp', 'sub'],
        algorithms: ['RS256', 'PS256', 'ES256', 'EdDSA'],
      }));
    } catch (error) {
      const reason =
        error instanceof joseErrors.JWTExpired
          ? 'the access token has expired'
          : error instanceof joseErrors.JWTClaimValidationFailed
            ? `the access token's ${error.claim} claim is not accepted here`
            : error instanceof joseErrors.JOSEError
              ? 'the access token could not be verified'
              : 'the authorization server could not be reached';
      this.log.warn({ reason, code: (error as { code?: string }).code }, 'access token refused');
      return this.refuse(reason);
    }
    const scopes =
      typeof payload.scope === 'string'
        ? payload.scope.split(' ').filter((s) => s !== '')
        : Array.isArray(payload.scp)
          ? (payload.scp as unknown[]).filter((s): s is string => typeof s === 'string')
          : [];
    const subject = String(payload.sub);
    return {
      ok: true,
      authInfo: {
        token,
        clientId: typeof payload.client_id === 'string' ? payload.client_id : subject,
        scopes,
        expiresAt: payload.exp as number,
        resource: new URL(this.resourceUrl),
        extra: { subject, kind: 'oauth' },
      },
    };
  }

  private refuse(description: string): AuthOutcome {
    return {
      ok: false,
      refusal: {
        status: 401,
        body: { jsonrpc: '2.0', error: { code: -32001, message: `Unauthorized: ${description}` }, id: null },
        headers: { 'www-authenticate': this.challenge('invalid_token', description) },
      },
    };
  }

  /** Discovers the authorization server's metadata and JWKS once; a failure is retried on the next request. */
  private authorizationServer(): Promise<AuthorizationServer> {
    this.server ??= this.discover().catch((error: unknown) => {
      this.server = undefined;
      throw error;
    });
    return this.server;
  }

  private async discover(): Promise<AuthorizationServer> {
    const issuer = this.config.oauthIssuer;
    const candidates = this.config.oauthMetadataUrl
      ? [this.config.oauthMetadataUrl]
      : [`${issuer}/.well-known/oauth-authorization-server`, `${issuer}/.well-known/openid-configuration`];
    for (const url of candidates) {
      const res = await fetch(url, {
        headers: { accept: 'application/json' },
        signal: AbortSignal.timeout(10_000),
      });
      if (!res.ok) continue;
      const metadata = (await res.json()) as { issuer?: unknown; jwks_uri?: unknown };
      if (typeof metadata.jwks_uri !== 'string' || typeof metadata.issuer !== 'string') continue;
      if (issuer !== undefined && metadata.issuer.replace(/\/+$/, '') !== issuer)
        throw new Error(`authorization server metadata names issuer ${metadata.issuer}, not ${issuer}`);
      const { createRemoteJWKSet } = await loadJose();
      return { issuer: metadata.issuer, jwks: createRemoteJWKSet(new URL(metadata.jwks_uri)) };
    }
    throw new Error('no authorization server metadata with a jwks_uri found');
  }
}
