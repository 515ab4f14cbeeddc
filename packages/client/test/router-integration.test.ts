/**
 * The client against the real router (packages/router, started in-process on a free port) in front of
 * the router's byte-faithful fake OpenAI upstream: the only faked part is the LLM provider.
 */
import { startRouter } from '@ocsai/router';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeServer, providerEnvFor, startFakeOpenAI } from '../../router/test/fakes/index.js';
import { runCli } from '../src/cli/run.js';
import { type AskStreamEvent, RouterClient, RouterError } from '../src/index.js';
import { fakeIo } from './support/fake-io.js';

let upstream: FakeServer;
let router: Awaited<ReturnType<typeof startRouter>>;
let client: RouterClient;

beforeAll(async () => {
  upstream = await startFakeOpenAI();
  router = await startRouter({
    env: { ...providerEnvFor('openai', upstream), LLM_PROVIDER: 'openai', ROUTER_STORE: 'memory' },
    port: 0,
    logger: false,
  });
  client = new RouterClient({ baseUrl: router.url, timeoutMs: 10_000 });
});
afterAll(async () => {
  await router?.close();
  await upstream?.close();
});

describe('RouterClient against the real router', () => {
  it('is healthy and ready', async () => {
    expect(await client.health()).toMatchObject({ status: 'ok' });
    expect((await client.ready()).ready).toBe(true);
  });

  it('asks', async () => {
    upstream.setScript([{ text: 'The balance is 5 EUR.', usage: { input: 20, output: 6 } }]);
    const answer = await client.ask({ message: 'What is my balance?' });
    expect(answer).toMatchObject({
      provider: 'openai',
      content: 'The balance is 5 EUR.',
      finish_reason: 'stop',
      usage: { input_tokens: 20, output_tokens: 6, total_tokens: 26 },
    });
  });

  it('streams deltas and a done event', async () => {
    upstream.setScript([{ text: 'one two three four' }]);
    const events: AskStreamEvent[] = [];
    for await (const event of client.askStream({ message: 'count' })) events.push(event);
    const text = events.flatMap((event) => (event.type === 'delta' ? [event.data.text] : [])).join('');
    expect(text).toBe('one two three four');
    expect(events.at(-1)).toMatchObject({ type: 'done', data: { content: 'one two three four' } });
  });

  it('gets typed validation errors', async () => {
    const error = await client.ask({ message: 'x', temperature: 99 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RouterError);
    expect(error).toMatchObject({
      status: 422,
      kind: 'validation',
      type: 'validation_error',
    });
    expect((error as RouterError).issues.some((issue) => issue.path.includes('temperature'))).toBe(true);
  });

  it('stores, merges, reads and deletes context', async () => {
    expect(await client.getContext('ada')).toBeNull();
    await client.putContext('ada', { identity: { name: 'Ada' } });
    await client.patchContext('ada', { memory: { facts: ['prefers email'] } });
    expect(await client.getContext('ada')).toMatchObject({
      identity: { name: 'Ada' },
      memory: { facts: ['prefers email'] },
    });
    expect(await client.deleteContext('ada')).toBe(true);
    expect(await client.getContext('ada')).toBeNull();
  });

  it('runs ocs-ask plain and streaming', async () => {
    upstream.setScript([{ text: 'Plain answer.' }, { text: 'Streamed answer.' }]);
    const plain = fakeIo();
    expect(await runCli(['--url', router.url, 'hello'], plain)).toBe(0);
    expect(plain.out()).toBe('Plain answer.\n');
    const streamed = fakeIo();
    expect(await runCli(['--url', router.url, '--stream', 'hello'], streamed)).toBe(0);
    expect(streamed.out()).toBe('Streamed answer.\n');
    expect(streamed.err()).toBe('');
  });
});
