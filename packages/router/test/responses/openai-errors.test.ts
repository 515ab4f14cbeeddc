import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRouter } from '../../src/index.js';
import { FAKE_KEYS } from '../fakes/index.js';
import { startAllFakes } from '../support/fake-upstreams.js';
import { writeKeysFile } from '../support/principals.js';

/**
 * The OpenAI error shape on /v1, and the trust boundary of /v1/responses, as the official openai
 * SDK sees them: its error classes, err.type, err.code and err.param, against a router with API
 * keys over the fake upstreams.
 */
let upstreams: Awaited<ReturnType<typeof startAllFakes>>;
let router: Awaited<ReturnType<typeof startRouter>>;
// No key at all: the SDK insists on one, so its Authorization header is removed instead.
const as = (apiKey: string) =>
  new OpenAI({
    baseURL: `${router.url}/v1`,
    apiKey: apiKey || 'unsent',
    maxRetries: 0,
    ...(apiKey ? {} : { defaultHeaders: { authorization: null } }),
  });

beforeAll(async () => {
  upstreams = await startAllFakes();
  const keys = writeKeysFile(
    [
      { id: 'alice', keys: ['k-alice'] },
      { id: 'bob', keys: ['k-bob'] },
      { id: 'claude-only', keys: ['k-claude'], providers: ['anthropic'] },
      { id: 'gpt4-only', keys: ['k-gpt4'], models: ['gpt-4o*'] },
      { id: 'slow', keys: ['k-slow'], rate_limits: { rpm: 1 } },
      { id: 'metered', keys: ['k-metered'], rate_limits: { tpm: 10 } },
    ],
    mkdtempSync(join(tmpdir(), 'router-openai-errors-')),
  );
  router = await startRouter({
    env: { ...upstreams.env, LLM_PROVIDER: 'openai', LLM_MAX_RETRIES: '0', ROUTER_KEYS_FILE: keys },
    port: 0,
    logger: false,
  });
});
afterAll(async () => {
  await router?.close();
  await upstreams?.close();
});

const rejection = async (promise: Promise<unknown>) => {
  try {
    await promise;
  } catch (error) {
    return error as InstanceType<typeof OpenAI.APIError>;
  }
  throw new Error('expected a rejection');
};

describe('OpenAI error shape on /v1, through the openai SDK', () => {
  it('400 names the bad field in err.param, on chat completions and responses', async () => {
    const alice = as('k-alice');
    for (const call of [
      alice.chat.completions.create({
        model: 'gpt-fake',
        messages: [{ role: 'user', content: 'x' }],
        temperature: 5,
      }),
      alice.responses.create({ model: 'gpt-fake', input: 'x', temperature: 5 }),
    ]) {
      const error = await rejection(call);
      expect(error).toBeInstanceOf(OpenAI.BadRequestError);
      expect(error).toMatchObject({
        status: 400,
        type: 'invalid_request_error',
        code: 'validation_error',
        param: 'temperature',
      });
    }
    const builtIn = await rejection(
      alice.responses.create({ model: 'gpt-fake', input: 'x', tools: [{ type: 'web_search' }] }),
    );
    expect(builtIn).toMatchObject({ status: 400, param: 'tools.0.type' });
    expect(builtIn.message).toContain('only function tools');
  });

  it('401 without a key or with a wrong one: AuthenticationError, authentication_error', async () => {
    for (const key of ['', 'k-wrong']) {
      const error = await rejection(as(key).responses.create({ model: 'gpt-fake', input: 'x' }));
      expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
      expect(error).toMatchObject({
        status: 401,
        type: 'authentication_error',
        code: 'unauthorized',
        param: null,
      });
      expect(error.message).toContain(key ? 'not recognised' : 'API key required');
    }
    const models = await rejection(as('k-wrong').models.list());
    expect(models).toBeInstanceOf(OpenAI.AuthenticationError);
  });

  it('403 for a provider or model the principal may not use: PermissionDeniedError, nothing sent upstream', async () => {
    const before = upstreams.fakes.openai.requests.length;
    const provider = await rejection(
      as('k-claude').responses.create({ model: 'openai/gpt-fake', input: 'x' }),
    );
    expect(provider).toBeInstanceOf(OpenAI.PermissionDeniedError);
    expect(provider).toMatchObject({ type: 'permission_error', code: 'provider_not_allowed' });
    const model = await rejection(
      as('k-gpt4').chat.completions.create({ model: 'gpt-fake', messages: [{ role: 'user', content: 'x' }] }),
    );
    expect(model).toBeInstanceOf(OpenAI.PermissionDeniedError);
    expect(model).toMatchObject({ type: 'permission_error', code: 'model_not_allowed' });
    expect(upstreams.fakes.openai.requests.length).toBe(before);
  });

  it('404 for an unknown response id and an unknown route under /v1: NotFoundError', async () => {
    const unknown = await rejection(as('k-alice').responses.retrieve('resp_nope'));
    expect(unknown).toBeInstanceOf(OpenAI.NotFoundError);
    expect(unknown).toMatchObject({ type: 'invalid_request_error', code: 'response_not_found' });
    const route = await rejection(as('k-alice').get('/nowhere'));
    expect(route).toBeInstanceOf(OpenAI.NotFoundError);
    expect(route).toMatchObject({ type: 'invalid_request_error', code: 'not_found' });
  });

  it("429 for the principal's rate limit and for the provider's: RateLimitError, rate_limit_error", async () => {
    const slow = as('k-slow');
    // Both calls in one rate-limit minute.
    const remaining = 60_000 - (Date.now() % 60_000);
    if (remaining < 3000) await new Promise((resolve) => setTimeout(resolve, remaining + 50));
    upstreams.fakes.openai.setScript([{ text: 'ok' }]);
    await slow.responses.create({ model: 'gpt-fake', input: 'x' }).catch(() => undefined);
    const own = await rejection(slow.responses.create({ model: 'gpt-fake', input: 'x' }));
    expect(own).toBeInstanceOf(OpenAI.RateLimitError);
    expect(own).toMatchObject({ type: 'rate_limit_error', code: 'rate_limited' });

    // Tokens spent through /v1/responses count against the principal's TPM, streamed or not.
    const metered = as('k-metered');
    upstreams.fakes.openai.setScript([{ text: 'ok', usage: { input: 12, output: 7 } }]);
    await metered.responses.stream({ model: 'gpt-fake', input: 'x' }).finalResponse();
    const spent = await rejection(metered.responses.create({ model: 'gpt-fake', input: 'x' }));
    expect(spent).toBeInstanceOf(OpenAI.RateLimitError);
    expect(spent.message).toContain('principal metered');

    upstreams.fakes.openai.setScript([{ error: { status: 429 } }]);
    const upstream = await rejection(as('k-alice').responses.create({ model: 'gpt-fake', input: 'x' }));
    expect(upstream).toBeInstanceOf(OpenAI.RateLimitError);
    // The upstream's own code (OpenAI's 429 type), not the router's.
    expect(upstream).toMatchObject({ type: 'rate_limit_error', code: 'requests' });
  });

  it("502/503 for upstream failures carry the upstream's code, never its key or body", async () => {
    upstreams.fakes.openai.setScript([
      {
        error: {
          status: 401,
          body: {
            error: {
              message: `Incorrect API key provided: ${FAKE_KEYS.openai}. You can find your API key at https://platform.openai.com`,
              type: 'invalid_request_error',
              code: 'invalid_api_key',
            },
          },
        },
      },
    ]);
    const auth = await rejection(as('k-alice').responses.create({ model: 'gpt-fake', input: 'x' }));
    expect(auth).toBeInstanceOf(OpenAI.InternalServerError);
    expect(auth).toMatchObject({ status: 502, type: 'api_error', code: 'invalid_request_error' });
    expect(JSON.stringify(auth.error)).not.toContain(FAKE_KEYS.openai);
    expect(JSON.stringify(auth.error)).not.toContain('FAKEopenai');

    upstreams.fakes.anthropic.setScript([{ error: { status: 529 } }]);
    const overloaded = await rejection(
      as('k-alice').responses.create({ model: 'anthropic/claude-fake', input: 'x' }),
    );
    expect(overloaded).toBeInstanceOf(OpenAI.InternalServerError);
    expect(overloaded).toMatchObject({ status: 503, type: 'api_error', code: 'overloaded_error' });

    upstreams.fakes.openai.setScript([
      { error: { status: 500, body: { error: { message: 'x', type: 'a b <script>' } } } },
    ]);
    const free = await rejection(
      as('k-alice').chat.completions.create({
        model: 'gpt-fake',
        messages: [{ role: 'user', content: 'x' }],
      }),
    );
    // A "code" that is not an identifier is the upstream's free text: the router's own code instead.
    expect(free).toMatchObject({ status: 502, type: 'api_error', code: 'upstream_error' });
  });
});

describe('/v1/responses trust boundary', () => {
  it("another principal's response id reads, continues and deletes like an unknown one", async () => {
    upstreams.fakes.openai.setScript([{ text: "Alice's secret plan" }, { text: 'continued' }]);
    const alice = as('k-alice');
    const bob = as('k-bob');
    const mine = await alice.responses.create({ model: 'gpt-fake', input: 'my plan' });

    const read = await rejection(bob.responses.retrieve(mine.id));
    const unknown = await rejection(bob.responses.retrieve('resp_unknown'));
    expect(read).toBeInstanceOf(OpenAI.NotFoundError);
    expect(read.error).toEqual({
      ...(unknown.error as object),
      message: (read.error as { message: string }).message,
    });
    expect(read.message).not.toContain('secret');

    const requestsBefore = upstreams.fakes.openai.requests.length;
    const continued = await rejection(
      bob.responses.create({ model: 'gpt-fake', input: 'tell me more', previous_response_id: mine.id }),
    );
    expect(continued).toBeInstanceOf(OpenAI.NotFoundError);
    expect(continued).toMatchObject({ param: 'previous_response_id', code: 'previous_response_not_found' });
    expect(upstreams.fakes.openai.requests.length).toBe(requestsBefore);

    const referenced = await rejection(
      bob.responses.create({
        model: 'gpt-fake',
        input: [{ type: 'item_reference', id: mine.output[0]?.id ?? '' }],
      }),
    );
    expect(referenced).toBeInstanceOf(OpenAI.BadRequestError);
    expect(referenced).toMatchObject({ param: 'input.0.id' });
    expect(upstreams.fakes.openai.requests.length).toBe(requestsBefore);

    await expect(bob.responses.delete(mine.id)).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    expect((await alice.responses.retrieve(mine.id)).output_text).toBe("Alice's secret plan");
    const next = await alice.responses.create({
      model: 'gpt-fake',
      input: 'more',
      previous_response_id: mine.id,
    });
    expect(next.output_text).toBe('continued');
  });

  it('a principal not allowed the provider cannot reach it through a continuation either', async () => {
    upstreams.fakes.anthropic.setScript([{ text: 'hello' }]);
    const claude = as('k-claude');
    const own = await claude.responses.create({ model: 'anthropic/claude-fake', input: 'hi' });
    const switched = await rejection(
      claude.responses.create({ model: 'openai/gpt-fake', input: 'x', previous_response_id: own.id }),
    );
    expect(switched).toBeInstanceOf(OpenAI.PermissionDeniedError);
  });
});
