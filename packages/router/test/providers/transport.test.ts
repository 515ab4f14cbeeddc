/**
 * Behaviour every adapter shares through the transport: status codes, timeouts, connection
 * failures and cancellation. Run against each provider's own fake.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createProvider, loadProvidersConfig, PROVIDER_NAMES } from '../../src/providers/catalogue.js';
import { ProviderError, type StreamEvent } from '../../src/providers/types.js';
import { FAKE_KEYS, providerEnvFor } from '../fakes/index.js';
import { collect, eventually, rejection, rig, useRig, user } from './harness.js';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const LONG_TEXT = 'alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu';

describe.each(PROVIDER_NAMES)('%s transport', (name) => {
  const r = useRig(name, { timeouts: { firstByteMs: 300, idleMs: 300 } });
  const request = () => ({ model: '', messages: [user('hi')] });

  it('streams text in order and ends with exactly one done', async () => {
    r.fake.setScript([{ text: LONG_TEXT }]);
    const events = await collect(r.adapter.stream(request()));
    expect(events.filter((e) => e.type === 'done')).toHaveLength(1);
    expect(events.at(-1)?.type).toBe('done');
    const texts = events.flatMap((e) => (e.type === 'text' ? [e.text] : []));
    expect(texts.length).toBeGreaterThan(1);
    expect(texts.join('')).toBe(LONG_TEXT);
  });

  it('keep-alive: plain, streamed and error responses are read to the end and reuse one connection', async () => {
    const before = r.fake.connections;
    for (let round = 0; round < 2; round += 1) {
      r.fake.setScript([{ text: 'a' }, { text: 'b c d' }, { error: { status: 429 } }, { text: 'e f' }]);
      await r.adapter.chat(request());
      await collect(r.adapter.stream(request()));
      await rejection(r.adapter.chat(request()));
      await collect(r.adapter.stream(request()));
    }
    // A finished response frees its socket a tick after the body resolves, so the pool may open a
    // second one; eight requests on one or two sockets shows they are reused, not reopened.
    expect(r.fake.connections - before).toBeLessThanOrEqual(2);
  });

  it('done arrives with the last frame even if the server keeps the response open', async () => {
    // Held open past the test timeout: an adapter that waited for the end of the body would fail.
    r.fake.setScript([{ text: 'short answer', holdOpenMs: 60_000 }]);
    const before = r.fake.aborted;
    let done = false;
    for await (const event of r.adapter.stream(request())) {
      if (event.type === 'done') {
        done = true;
        break;
      }
    }
    expect(done).toBe(true);
    await eventually(() => r.fake.aborted === before + 1);
  });

  it('wrong status codes (#9): 500 is a retryable upstream error, 400 a non-retryable bad request', async () => {
    r.fake.setScript([{ error: { status: 500 } }, { error: { status: 400 } }]);
    const e500 = await rejection(r.adapter.chat(request()));
    expect(e500).toBeInstanceOf(ProviderError);
    expect(e500).toMatchObject({ provider: name, kind: 'upstream', status: 500, retryable: true });
    const e400 = await rejection(r.adapter.chat(request()));
    expect(e400).toMatchObject({ kind: 'bad_request', status: 400, retryable: false });
  });

  it('401 and 403 are auth errors', async () => {
    r.fake.setScript([{ error: { status: 401 } }, { error: { status: 403 } }]);
    expect(await rejection(r.adapter.chat(request()))).toMatchObject({
      kind: 'auth',
      status: 401,
      retryable: false,
    });
    expect(await rejection(collect(r.adapter.stream(request())))).toMatchObject({
      kind: 'auth',
      status: 403,
    });
  });

  it('503 is overloaded and retryable; retry-after in seconds is honoured (#4)', async () => {
    r.fake.setScript([{ error: { status: 503, headers: { 'retry-after': '7' } } }]);
    const error = await rejection(r.adapter.chat(request()));
    expect(error).toMatchObject({ kind: 'overloaded', status: 503, retryable: true, retryAfterMs: 7000 });
  });

  it('client disconnect cancels the upstream (#8): the abort signal reaches the fake', async () => {
    r.fake.setScript([{ text: LONG_TEXT, chunkDelayMs: 120 }]);
    const before = r.fake.aborted;
    const controller = new AbortController();
    const seen: StreamEvent[] = [];
    const error = await rejection(
      (async () => {
        for await (const event of r.adapter.stream({ ...request(), signal: controller.signal })) {
          seen.push(event);
          controller.abort();
        }
      })(),
    );
    expect(error).toMatchObject({ kind: 'aborted', retryable: false });
    expect(seen).toHaveLength(1);
    await eventually(() => r.fake.aborted === before + 1);
  });

  it('an already aborted signal sends nothing', async () => {
    const count = r.fake.requests.length;
    const error = await rejection(r.adapter.chat({ ...request(), signal: AbortSignal.abort() }));
    expect(error).toMatchObject({ kind: 'aborted' });
    expect(r.fake.requests.length).toBe(count);
  });

  it('breaking out of the stream iterator aborts the upstream body (#8)', async () => {
    r.fake.setScript([{ text: LONG_TEXT, chunkDelayMs: 120 }]);
    const before = r.fake.aborted;
    for await (const event of r.adapter.stream(request())) {
      expect(event.type).toBe('text');
      break;
    }
    await eventually(() => r.fake.aborted === before + 1);
  });

  it('connection refused (#9) is a connection error naming the provider and host, never the key', async () => {
    const port = await freePort();
    const env = providerEnvFor(name, { ...r.fake, url: r.fake.url.replace(/:\d+/, `:${port}`) });
    const adapter = createProvider(name, loadProvidersConfig(env));
    try {
      const error = await rejection(adapter.chat(request()));
      expect(error).toBeInstanceOf(ProviderError);
      expect(error).toMatchObject({ provider: name, kind: 'connection', retryable: true });
      expect(error.message).toContain(name);
      expect(error.message).toContain(`127.0.0.1:${port}`);
      for (const key of Object.values(FAKE_KEYS)) expect(error.message).not.toContain(key);
    } finally {
      await adapter.close?.();
    }
  });
});

describe('timeouts, every provider at once', () => {
  it('a hung upstream and a stalled stream are timeouts (first-byte and idle timeouts)', async () => {
    // All providers run concurrently: undici's coarse timers make each case take about a second.
    await Promise.all(
      PROVIDER_NAMES.map(async (name) => {
        const r = await rig(name, { timeouts: { firstByteMs: 300, idleMs: 300 } });
        try {
          r.fake.setScript((req) =>
            JSON.stringify(req.body).includes('hang')
              ? { hangBeforeHeaders: true }
              : { text: 'slow stream', chunkDelayMs: 1500 },
          );
          const [hung, stalled] = await Promise.all([
            rejection(r.adapter.chat({ model: '', messages: [user('hang')] })),
            rejection(collect(r.adapter.stream({ model: '', messages: [user('stall')] }))),
          ]);
          expect(hung).toMatchObject({ provider: name, kind: 'timeout', retryable: true });
          expect(hung.message).toContain(name);
          expect(hung.message).toContain('no response headers');
          expect(stalled).toMatchObject({ provider: name, kind: 'timeout', retryable: true });
          expect(stalled.message).toContain('stalled');
        } finally {
          await r.close();
        }
      }),
    );
  });
});
