import {
  Client,
  type OAuthClientProvider,
  StreamableHTTPClientTransport,
  UnauthorizedError,
} from '@modelcontextprotocol/client';
import type { RunningEmulator } from '@ocsai/emulator';
import { generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { McpConfig } from '../src/config.js';
import { type McpHttpServerHandle, startMcpHttpServer } from '../src/http.js';
import { closeRuntime } from '../src/runtime.js';
import { ok, startTestEmulator, testConfig } from './helpers.js';
import { type RunningAuthorizationServer, startAuthorizationServer } from './support/authorization-server.js';

const CLIENT_ID = 'mcp-e2e-client';
const REDIRECT = 'http://127.0.0.1:1/oauth/callback';

/** The MCP SDK client's OAuth support, with a user agent that the test drives. */
class TestOAuthClient implements OAuthClientProvider {
  saved: Awaited<ReturnType<OAuthClientProvider['tokens']>>;
  verifier = '';
  authorizationUrl: URL | undefined;
  get redirectUrl() {
    return REDIRECT;
  }
  get clientMetadata() {
    return {
      client_name: 'e2e',
      redirect_uris: [REDIRECT],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    };
  }
  clientInformation() {
    return { client_id: CLIENT_ID };
  }
  tokens() {
    return this.saved;
  }
  saveTokens(tokens: NonNullable<Awaited<ReturnType<OAuthClientProvider['tokens']>>>) {
    this.saved = tokens;
  }
  redirectToAuthorization(url: URL) {
    this.authorizationUrl = url;
  }
  saveCodeVerifier(v: string) {
    this.verifier = v;
  }
  codeVerifier() {
    return this.verifier;
  }
}

let emulator: RunningEmulator;
let as: RunningAuthorizationServer;
let config: McpConfig;
let mcp: McpHttpServerHandle;

beforeAll(async () => {
  emulator = await startTestEmulator();
  as = await startAuthorizationServer({
    clientId: CLIENT_ID,
    redirectUri: REDIRECT,
    // alice may read and write, but not do anything irreversible
    grantedScopes: 'ocs:read ocs:write',
  });
  config = testConfig(emulator.url, { MCP_OAUTH_ISSUER: as.issuer });
  mcp = await startMcpHttpServer({ ...config, port: 0 });
});
afterAll(async () => {
  await mcp?.close();
  await closeRuntime(config);
  await as?.close();
  await emulator?.close();
});

const post = (token: string | undefined, body: unknown) =>
  fetch(mcp.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': '2025-11-25',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
  });
const LIST = { jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} };

describe('OAuth 2.1 resource server, end to end with a real authorization server', () => {
  it('serves Protected Resource Metadata and answers 401 with resource_metadata', async () => {
    const origin = new URL(mcp.url).origin;
    for (const path of [
      '/.well-known/oauth-protected-resource/mcp',
      '/.well-known/oauth-protected-resource',
    ]) {
      const r = await fetch(`${origin}${path}`);
      expect(r.status, path).toBe(200);
      expect(await r.json()).toMatchObject({
        resource: mcp.url,
        authorization_servers: [as.issuer],
        scopes_supported: expect.arrayContaining(['ocs:read', 'ocs:write', 'ocs:irreversible']),
      });
    }
    const none = await post(undefined, LIST);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toContain(
      `resource_metadata="${origin}/.well-known/oauth-protected-resource/mcp"`,
    );
  });

  it('discovery, authorization code with PKCE and token through the SDK client; tools/list by scope; 403 insufficient_scope beyond it', async () => {
    const oauth = new TestOAuthClient();
    const first = new Client({ name: 'e2e', version: '1' });
    await expect(
      first.connect(new StreamableHTTPClientTransport(new URL(mcp.url), { authProvider: oauth })),
    ).rejects.toBeInstanceOf(UnauthorizedError);
    const authUrl = oauth.authorizationUrl;
    expect(authUrl?.origin).toBe(as.issuer);
    expect(authUrl?.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authUrl?.searchParams.get('resource')).toBe(mcp.url);

    const callback = await as.authorize(authUrl as URL);
    const transport = new StreamableHTTPClientTransport(new URL(mcp.url), { authProvider: oauth });
    await transport.finishAuth(callback.searchParams);
    expect(oauth.saved?.access_token).toBeTruthy();

    const client = new Client({ name: 'e2e', version: '1' });
    await client.connect(transport);
    const names = (await client.listTools()).tools.map((t) => t.name);
    expect(names).toContain('create_balance');
    expect(names).not.toContain('delete_subscriber');
    expect((await ok(client, 'list_offers', {})).total).toBe(5);
    await client.close();

    const token = oauth.saved?.access_token as string;
    const denied = await post(token, {
      jsonrpc: '2.0',
      id: 2,
      method: 'tools/call',
      params: { name: 'delete_subscriber', arguments: { subscriberId: 'x' } },
    });
    expect(denied.status).toBe(403);
    const challenge = denied.headers.get('www-authenticate') ?? '';
    expect(challenge).toMatch(/error="insufficient_scope"/);
    expect(challenge).toMatch(/scope="[^"]*ocs:irreversible/);
    expect(challenge).toMatch(/resource_metadata="/);
  });

  describe('tokens the resource server must refuse with 401', () => {
    const sign = (claims: Record<string, unknown>, key: CryptoKey, kid: string) =>
      new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid }).sign(key);

    it('another audience (a token meant for another resource, from the same AS)', async () => {
      const jwt = await sign(
        {
          iss: as.issuer,
          sub: 'alice',
          aud: 'http://127.0.0.1:1/other-mcp',
          scope: 'ocs:read',
          exp: Math.floor(Date.now() / 1000) + 300,
        },
        as.privateKey,
        as.kid,
      );
      const r = await post(jwt, LIST);
      expect(r.status).toBe(401);
      expect(r.headers.get('www-authenticate')).toMatch(/aud claim/);
    });

    it('expired', async () => {
      const jwt = await sign(
        {
          iss: as.issuer,
          sub: 'alice',
          aud: mcp.url,
          scope: 'ocs:read',
          exp: Math.floor(Date.now() / 1000) - 60,
        },
        as.privateKey,
        as.kid,
      );
      const r = await post(jwt, LIST);
      expect(r.status).toBe(401);
      expect(r.headers.get('www-authenticate')).toMatch(/expired/);
    });

    it('unsigned (alg none), and signed by another key under the AS key id', async () => {
      const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
      const claims = {
        iss: as.issuer,
        sub: 'alice',
        aud: mcp.url,
        scope: 'ocs:read ocs:write ocs:irreversible',
        exp: Math.floor(Date.now() / 1000) + 300,
      };
      const unsigned = `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`;
      expect((await post(unsigned, LIST)).status).toBe(401);
      const { privateKey } = await generateKeyPair('RS256');
      expect((await post(await sign(claims, privateKey, as.kid), LIST)).status).toBe(401);
      // The genuine key with the same claims is accepted: the refusals above are about the signature.
      expect((await post(await sign(claims, as.privateKey, as.kid), LIST)).status).toBe(200);
    });

    it('another issuer', async () => {
      const jwt = await sign(
        {
          iss: 'http://127.0.0.1:2',
          sub: 'alice',
          aud: mcp.url,
          scope: 'ocs:read',
          exp: Math.floor(Date.now() / 1000) + 300,
        },
        as.privateKey,
        as.kid,
      );
      expect((await post(jwt, LIST)).status).toBe(401);
    });
  });
});
