import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import Provider from 'oidc-provider';

export interface RunningAuthorizationServer {
  issuer: string;
  /** The AS's signing key, to forge tokens the way only the AS could (wrong audience, expired). */
  privateKey: CryptoKey;
  kid: string;
  /** Follows an authorization URL through login and consent like a user agent; returns the redirect with the code. */
  authorize(authorizationUrl: URL): Promise<URL>;
  close(): Promise<void>;
}

/**
 * A real OAuth 2.1 authorization server (oidc-provider) on loopback: authorization code with PKCE
 * for one public client, resource indicators (RFC 8707) and JWT access tokens whose audience is the
 * requested resource. The login and consent screens are answered programmatically: the user `alice`
 * logs in and grants `grantedScopes` for the resource; scopes the client asks for beyond those are
 * dropped by the AS, as a real one configured with narrower rights would.
 */
export async function startAuthorizationServer(options: {
  clientId: string;
  redirectUri: string;
  /** What alice grants, and all this AS ever issues for the resource. */
  grantedScopes: string;
}): Promise<RunningAuthorizationServer> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const kid = 'as-key-1';
  const jwk: JWK = { ...(await exportJWK(privateKey)), kid, alg: 'RS256', use: 'sig' };
  const http: Server = createServer();
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  const issuer = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: options.clientId,
        token_endpoint_auth_method: 'none',
        redirect_uris: [options.redirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    jwks: { keys: [jwk] },
    cookies: { keys: ['test-cookie-key-0123456789'] },
    pkce: { required: () => true },
    // Only the OpenID scopes here: ocs:* are scopes of the resource (getResourceServerInfo below).
    scopes: ['openid', 'offline_access'],
    findAccount: async (_ctx: unknown, id: string) => ({ accountId: id, claims: async () => ({ sub: id }) }),
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    features: {
      devInteractions: { enabled: false },
      resourceIndicators: {
        enabled: true,
        defaultResource: (_ctx: unknown, _client: unknown, oneOf?: string[]) => oneOf?.[0],
        useGrantedResource: () => true,
        // What this AS will ever grant for the resource: requested scopes beyond it are dropped.
        getResourceServerInfo: (_ctx: unknown, resource: string) => ({
          scope: options.grantedScopes,
          audience: resource,
          accessTokenTTL: 600,
          accessTokenFormat: 'jwt',
          jwt: { sign: { alg: 'RS256' } },
        }),
      },
    },
  });
  const callback = provider.callback();

  http.on('request', async (req: IncomingMessage, res: ServerResponse) => {
    try {
      if (req.url?.startsWith('/interaction/')) {
        const details = await provider.interactionDetails(req, res);
        if (details.prompt.name === 'login') {
          await provider.interactionFinished(
            req,
            res,
            { login: { accountId: 'alice' } },
            { mergeWithLastSubmission: false },
          );
          return;
        }
        const grant = new provider.Grant({
          accountId: details.session.accountId,
          clientId: details.params.client_id,
        });
        const resource = details.params.resource;
        if (typeof resource === 'string') grant.addResourceScope(resource, options.grantedScopes);
        if (String(details.params.scope ?? '').includes('openid')) grant.addOIDCScope('openid');
        const grantId = await grant.save();
        await provider.interactionFinished(
          req,
          res,
          { consent: { grantId } },
          { mergeWithLastSubmission: true },
        );
        return;
      }
      callback(req, res);
    } catch (error) {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(error));
    }
  });

  return {
    issuer,
    privateKey,
    kid,
    async authorize(authorizationUrl) {
      const cookies = new Map<string, string>();
      const hops: string[] = [];
      let url = authorizationUrl;
      for (let hop = 0; hop < 10; hop++) {
        const res = await fetch(url, {
          redirect: 'manual',
          headers: { cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
        });
        for (const line of res.headers.getSetCookie()) {
          const [pair] = line.split(';');
          const eq = pair?.indexOf('=') ?? -1;
          if (pair && eq > 0) cookies.set(pair.slice(0, eq), pair.slice(eq + 1));
        }
        const location = res.headers.get('location');
        if (!location)
          throw new Error(`authorization stopped at ${url} with HTTP ${res.status}: ${await res.text()}`);
        hops.push(`${res.status} ${location}`);
        const next = new URL(location, url);
        if (next.href.startsWith(options.redirectUri)) return next;
        url = next;
      }
      throw new Error(`too many redirects during authorization: ${hops.join(' -> ')}`);
    },
    async close() {
      http.closeAllConnections();
      await new Promise((r) => http.close(r));
    },
  };
}
