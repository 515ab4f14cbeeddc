import { startRouter } from '@ocsai/router';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeServer, providerEnvFor, startFakeOpenAI } from '../../packages/router/test/fakes/index.js';
import { body, CaseCounter, expectHandled, headers, pathSegment, send } from './fuzz-support.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 150);
const KEY = 'router-fuzz-key-0123456789abcdef';
const ROUTES: [string, string][] = [
  ['POST', '/ask'],
  ['GET', '/context/:userId'],
  ['PUT', '/context/:userId'],
  ['PATCH', '/context/:userId'],
  ['DELETE', '/context/:userId'],
  ['POST', '/v1/chat/completions'],
  ['GET', '/v1/models'],
  ['GET', '/health'],
  ['GET', '/ready'],
  ['GET', '/schema/context.json'],
  ['POST', '/:anything'],
];

let fake: FakeServer;
let router: Awaited<ReturnType<typeof startRouter>>;
const counter = new CaseCounter();

beforeAll(async () => {
  fake = await startFakeOpenAI();
  fake.setScript(() => ({ text: 'fuzzed answer' }));
  router = await startRouter({
    env: {
      ...providerEnvFor('openai', fake),
      LLM_PROVIDER: 'openai',
      ROUTER_STORE: 'memory',
      ROUTER_API_KEYS: KEY,
      LLM_MAX_RETRIES: '0',
    },
    port: 0,
    logger: false,
  });
});
afterAll(async () => {
  console.log(counter.summary('router'));
  await router.close();
  await fake.close();
});

/** Bodies that pass the first checks more often, so validation deeper down is reached too. */
const askLike = fc
  .record(
    {
      message: fc.oneof(fc.string({ maxLength: 50 }), fc.integer(), fc.constant(null)),
      user_id: fc.oneof(fc.constantFrom('u1', 'user.two@x'), fc.string({ maxLength: 20 })),
      stream: fc.oneof(fc.boolean(), fc.string({ maxLength: 3 })),
      model: fc.oneof(fc.constant('gpt-fake'), fc.string({ maxLength: 20 })),
      messages: fc.array(
        fc.record({
          role: fc.constantFrom('user', 'system', 'robot'),
          content: fc.string({ maxLength: 20 }),
        }),
        { maxLength: 3 },
      ),
      temperature: fc.oneof(fc.double(), fc.string({ maxLength: 3 })),
      identity: fc.record(
        { user_id: fc.string({ maxLength: 10 }), name: fc.anything({ maxDepth: 1 }) },
        { requiredKeys: [] },
      ),
    },
    { requiredKeys: [] },
  )
  .map((value) => new TextEncoder().encode(JSON.stringify(value)));

describe('router HTTP fuzzing', () => {
  it.each(ROUTES)('%s %s answers 2xx/4xx with a JSON error', async (method, template) => {
    const auth = fc.constantFrom<Record<string, string>>(
      { authorization: `Bearer ${KEY}` },
      { authorization: `Bearer ${KEY}` },
      { 'x-api-key': KEY },
      {},
      { authorization: 'Bearer nope' },
      { authorization: 'Basic abc' },
    );
    await fc.assert(
      fc.asyncProperty(
        pathSegment,
        fc.oneof(body, askLike),
        headers,
        auth,
        async (segment, payload, head, key) => {
          const path = template.replace(/:\w+/g, segment);
          const withBody = method !== 'GET' && method !== 'DELETE';
          const res = await send(
            `${router.url}${path}`,
            { method, headers: { ...head, ...key }, ...(withBody && { body: payload }) },
            payload,
          );
          counter.add(`${method} ${template}`);
          await expectHandled(res, counter, `${method} ${path}`);
        },
      ),
      { numRuns: RUNS, endOnFailure: true },
    );
    expect((await fetch(`${router.url}/health`)).status).toBe(200);
  });
});
