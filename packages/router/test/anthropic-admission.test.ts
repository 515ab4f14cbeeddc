import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRouter } from '../src/index.js';
import { startAllFakes } from './support/fake-upstreams.js';
import { writeKeysFile } from './support/principals.js';

/**
 * /v1/messages is bound to the principal of the credential, whichever header carries it: the
 * Anthropic SDKs and Claude Code send x-api-key (ANTHROPIC_API_KEY) or Authorization: Bearer
 * (ANTHROPIC_AUTH_TOKEN).
 */
const KEY_ALICE = 'router-key-alice-0123456789';
const KEY_BOB = 'router-key-bob-0123456789';
let upstreams: Awaited<ReturnType<typeof startAllFakes>>;
let router: Awaited<ReturnType<typeof startRouter>>;

beforeAll(async () => {
  upstreams = await startAllFakes();
  const keysFile = writeKeysFile([
    { id: 'alice-desk', keys: [KEY_ALICE] },
    // Bob may only use OpenAI's gpt-fake.
    { id: 'bob-desk', keys: [KEY_BOB], providers: ['openai'], models: ['gpt-fake'] },
  ]);
  router = await startRouter({
    env: { ...upstreams.env, LLM_PROVIDER: 'openai', LLM_MAX_RETRIES: '0', ROUTER_KEYS_FILE: keysFile },
    port: 0,
    logger: false,
  });
});
afterAll(async () => {
  await router?.close();
  await upstreams?.close();
});

const request = {
  model: 'openai/gpt-fake',
  max_tokens: 16,
  messages: [{ role: 'user' as const, content: 'Hi' }],
};
const sdk = (options: { apiKey?: string | null; authToken?: string | null }) =>
  new Anthropic({ baseURL: router.url, maxRetries: 0, apiKey: null, authToken: null, ...options });

function post(path: string, headers: Record<string, string>, body: unknown = request) {
  return fetch(`${router.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

describe('/v1/messages admission', () => {
  it('accepts the router key as x-api-key (ANTHROPIC_API_KEY) and as a bearer token (ANTHROPIC_AUTH_TOKEN)', async () => {
    upstreams.fakes.openai.setScript([{ text: 'one' }, { text: 'two' }]);
    const viaApiKey = await sdk({ apiKey: KEY_ALICE }).messages.create(request);
    expect(viaApiKey.content).toEqual([{ type: 'text', text: 'one' }]);
    const viaToken = await sdk({ authToken: KEY_ALICE }).messages.create(request);
    expect(viaToken.content).toEqual([{ type: 'text', text: 'two' }]);
  });

  it('no key, a wrong x-api-key, a wrong bearer: AuthenticationError (401 authentication_error)', async () => {
    const before = upstreams.fakes.openai.requests.length;
    // The SDK will not send without a credential: the keyless request goes out raw.
    const keyless = await post('/v1/messages', { 'anthropic-version': '2023-06-01' });
    expect(keyless.status).toBe(401);
    expect(keyless.headers.get('request-id')).toBeTruthy();
    expect(await keyless.json()).toEqual({
      type: 'error',
      error: { type: 'authentication_error', message: expect.stringContaining('x-api-key') },
    });
    for (const client of [sdk({ apiKey: 'wrong-key' }), sdk({ authToken: 'wrong-key' })]) {
      const error = await client.messages.create(request).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Anthropic.AuthenticationError);
      expect((error as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({
        type: 'error',
        error: { type: 'authentication_error' },
      });
      expect((error as InstanceType<typeof Anthropic.APIError>).requestID).toBeTruthy();
    }
    expect(upstreams.fakes.openai.requests.length).toBe(before);
  });

  it('x-api-key and Authorization carrying different keys is a 401, even when one of them is valid', async () => {
    for (const [bearer, apiKey] of [
      [KEY_ALICE, KEY_BOB],
      [KEY_ALICE, 'wrong-key'],
      ['wrong-key', KEY_ALICE],
    ]) {
      const res = await post('/v1/messages', { authorization: `Bearer ${bearer}`, 'x-api-key': apiKey! });
      expect(res.status).toBe(401);
      expect((await res.json()).error.message).toMatch(/different credentials|not recognised/);
    }
    // The same key in both is one credential.
    upstreams.fakes.openai.setScript([{ text: 'same' }]);
    const same = await post('/v1/messages', { authorization: `Bearer ${KEY_ALICE}`, 'x-api-key': KEY_ALICE });
    expect(same.status).toBe(200);
  });

  it('a principal not allowed the provider or the model: PermissionDeniedError, and the provider is never contacted', async () => {
    const bob = sdk({ apiKey: KEY_BOB });
    const anthropicBefore = upstreams.fakes.anthropic.requests.length;
    const provider = await bob.messages
      .create({ ...request, model: 'anthropic/claude-fake' })
      .catch((e: unknown) => e);
    expect(provider).toBeInstanceOf(Anthropic.PermissionDeniedError);
    expect((provider as Error).message).toContain('anthropic');
    const count = await bob.messages
      .countTokens({ model: 'anthropic/claude-fake', messages: request.messages })
      .catch((e: unknown) => e);
    expect(count).toBeInstanceOf(Anthropic.PermissionDeniedError);
    expect(upstreams.fakes.anthropic.requests.length).toBe(anthropicBefore);

    const openaiBefore = upstreams.fakes.openai.requests.length;
    const model = await bob.messages
      .create({ ...request, model: 'openai/gpt-other' })
      .catch((e: unknown) => e);
    expect(model).toBeInstanceOf(Anthropic.PermissionDeniedError);
    expect(upstreams.fakes.openai.requests.length).toBe(openaiBefore);
  });

  it('a client key never reaches the upstream: the router key replaces it on pass-through', async () => {
    upstreams.fakes.anthropic.setScript([{ text: 'hi' }]);
    await sdk({ apiKey: KEY_ALICE }).messages.create({ ...request, model: 'anthropic/claude-fake' });
    const sent = upstreams.fakes.anthropic.requests.at(-1)!;
    expect(JSON.stringify(sent.headers)).not.toContain(KEY_ALICE);
  });
});

describe('/v1/messages counts against ROUTER_RATE_LIMIT_TPM', () => {
  it("charges the Messages answer's usage (plain and streamed) to the principal", async () => {
    const fakes = await startAllFakes();
    const limited = await startRouter({
      env: { ...fakes.env, LLM_PROVIDER: 'openai', ROUTER_API_KEYS: KEY_ALICE, ROUTER_RATE_LIMIT_TPM: '40' },
      port: 0,
      logger: false,
    });
    try {
      fakes.fakes.openai.setScript([
        { text: 'one', usage: { input: 12, output: 4 } },
        { text: 'two', usage: { input: 20, output: 6 } },
        { text: 'three' },
      ]);
      const client = new Anthropic({ baseURL: limited.url, apiKey: KEY_ALICE, maxRetries: 0 });
      // The window is the clock minute: start well inside one (as test/admission does).
      const remaining = 60_000 - (Date.now() % 60_000);
      if (remaining < 10_000) await new Promise((resolve) => setTimeout(resolve, remaining + 50));
      await client.messages.create(request);
      await client.messages.stream(request).finalMessage();
      // 16 + 26 tokens used: over 40, so the next request waits for the window.
      const error = await client.messages.create(request).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Anthropic.RateLimitError);
      expect((error as Error).message).toContain('ROUTER_RATE_LIMIT_TPM');
    } finally {
      await limited.close();
      await fakes.close();
    }
  });
});
