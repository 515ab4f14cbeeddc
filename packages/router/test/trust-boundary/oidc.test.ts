import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import Provider from 'oidc-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRouter } from '../../src/index.js';
import { type FakeServer, providerEnvFor, startFakeOpenAI } from '../fakes/index.js';

/**
 * OIDC bearer tokens against a real OpenID provider on loopback (`oidc-provider`): the client
 * credentials grant issues JWT access tokens (resource indicators), the router finds the JWKS
 * through discovery and verifies signature, issuer, audience and expiry with jose.
 */
const AUDIENCE = 'https://router.ocs-ai.test';
const CLIENT = { client_id: 'ops-console', client_secret: 'ops-console-secret-0123456789' };

let idp: Server;
let issuer: string;
let openai: FakeServer;
let router: Awaited<ReturnType<typeof startRouter>>;

/** Resource indicator -> what the provider puts in the access token. */
const RESOURCES: Record<string, { audience: string; ttl: number }> = {
  [AUDIENCE]: { audience: AUDIENCE, ttl: 300 },
  'https://other-api.test': { audience: 'https://other-api.test', ttl: 300 },
  // Same audience, a one-second life: for the expired-token case.
  [`${AUDIENCE}/short`]: { audience: AUDIENCE, ttl: 1 },
};

beforeAll(async () => {
  idp = createServer();
  await new Promise<void>((resolve) => idp.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(idp.address() as AddressInfo).port}`;
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const provider = new Provider(issuer, {
    jwks: { keys: [{ ...(await exportJWK(privateKey)), alg: 'RS256', use: 'sig', kid: 'test-1' }] },
    clients: [{ ...CLIENT, grant_types: ['client_credentials'], redirect_uris: [], response_types: [] }],
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => AUDIENCE,
        getResourceServerInfo: (_ctx: unknown, resource: string) => {
          const known = RESOURCES[resource];
          if (!known) throw new Provider.errors.InvalidTarget();
          return {
            scope: 'ask',
            audience: known.audience,
            accessTokenTTL: known.ttl,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg: 'RS256' } },
          };
        },
      },
    },
    extraTokenClaims: () => ({ roles: ['agent', 'approver'] }),
  });
  idp.on('request', provider.callback());
  openai = await startFakeOpenAI();
  router = await startRouter({
    env: {
      ...providerEnvFor('openai', openai),
      LLM_PROVIDER: 'openai',
      MCP_CONFIG: 'none',
      ROUTER_STORE: 'memory',
      ROUTER_OIDC_ISSUER: issuer,
      ROUTER_OIDC_AUDIENCE: AUDIENCE,
      ROUTER_OIDC_PRINCIPAL_CLAIM: 'client_id',
      ROUTER_OIDC_ROLES_CLAIM: 'roles',
    },
    port: 0,
    logger: false,
  });
});
afterAll(async () => {
  await router?.close();
  await openai?.close();
  await new Promise((resolve) => idp?.close(resolve));
});

/** A client-credentials access token for `resource`, from the real provider's token endpoint. */
async function tokenFor(resource: string): Promise<string> {
  const response = await fetch(`${issuer}/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${CLIENT.client_id}:${CLIENT.client_secret}`).toString('base64')}`,
    },
    body: new URLSearchParams({ grant_type: 'client_credentials', resource, scope: 'ask' }),
  });
  const body = (await response.json()) as { access_token?: string; error?: string };
  if (!body.access_token) throw new Error(`token endpoint: ${response.status} ${JSON.stringify(body)}`);
  return body.access_token;
}

const ask = (token: string, body: unknown = { message: 'hi' }) =>
  fetch(`${router.url}/ask`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('OIDC bearer tokens', () => {
  it('a client-credentials token of the real provider is the principal: /ask answers, /whoami names it', async () => {
    const token = await tokenFor(AUDIENCE);
    expect(token.split('.')).toHaveLength(3);
    openai.setScript([{ text: 'hello from the model' }]);
    const response = await ask(token, { message: 'hi', user_id: 'ops-console:shift-1' });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ content: 'hello from the model' });
    const whoami = await fetch(`${router.url}/whoami`, { headers: { authorization: `Bearer ${token}` } });
    expect(await whoami.json()).toMatchObject({
      id: 'ops-console',
      roles: ['agent', 'approver'],
      users: ['ops-console:*'],
      source: 'oidc',
    });
    // Its own namespace only: another user id is as unknown as a missing one.
    expect((await ask(token, { message: 'hi', user_id: 'alice' })).status).toBe(404);
  });

  it('attack: a token for another audience is 401', async () => {
    const response = await ask(await tokenFor('https://other-api.test'));
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
  });

  it('attack: an expired token is 401', async () => {
    const token = await tokenFor(`${AUDIENCE}/short`);
    const { exp } = JSON.parse(Buffer.from(token.split('.')[1] as string, 'base64url').toString()) as {
      exp: number;
    };
    // Wait until the token's exp has passed by the provider's own clock (seconds).
    while (Date.now() / 1000 < exp + 1) await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await ask(token)).status).toBe(401);
  });

  it('attack: an unsigned (alg none) token carrying valid claims is 401', async () => {
    const now = Math.floor(Date.now() / 1000);
    const claims = {
      iss: issuer,
      aud: AUDIENCE,
      client_id: 'ops-console',
      sub: 'ops-console',
      iat: now,
      exp: now + 300,
      roles: ['admin'],
    };
    const unsigned = `${b64({ alg: 'none', typ: 'at+jwt' })}.${b64(claims)}.`;
    expect((await ask(unsigned)).status).toBe(401);
  });

  it('attack: a token signed with a key the issuer never published (HS256 guess) is 401', async () => {
    const forged = await new SignJWT({ client_id: 'ops-console', roles: ['admin'] })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(issuer)
      .setAudience(AUDIENCE)
      .setSubject('ops-console')
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode(CLIENT.client_secret));
    expect((await ask(forged)).status).toBe(401);
  });
});
