import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AskStreamEvent, NetworkError, RouterClient, RouterError, TimeoutError } from '../src/index.js';
import { answer, confirmation } from './support/fixtures.js';
import {
  type ScriptedRouter,
  sendJson,
  sendSse,
  sseText,
  startScriptedRouter,
  startSse,
  type WireEvent,
} from './support/scripted-router.js';

let router: ScriptedRouter;
beforeAll(async () => {
  router = await startScriptedRouter();
});
afterAll(() => router.close());

const toolCall = { id: 'call_1', server: 'ocs', name: 'get_balance', arguments: { msisdn: '447700900123' } };
const toolResult = {
  id: 'call_1',
  name: 'get_balance',
  result: { content: [], structuredContent: { amount: 12.5 } },
  is_error: false,
  duration_ms: 9,
};
const done = answer({
  tool_calls: [{ ...toolCall, result: toolResult.result, is_error: false, duration_ms: 9 }],
});
const script: WireEvent[] = [
  ['tool_call', toolCall],
  ['tool_result', toolResult],
  ['delta', { text: 'The balance is ' }],
  ['delta', { text: '12.50 GBP — ✓ 😀' }],
  ['done', done],
];
const expected: AskStreamEvent[] = script.map(([type, data]) => ({ type, data }) as AskStreamEvent);

async function collect(stream: AsyncIterable<AskStreamEvent>): Promise<AskStreamEvent[]> {
  const events: AskStreamEvent[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

describe('RouterClient.askStream', () => {
  it('asks for a stream and yields typed events up to done', async () => {
    router.script((_request, res) => sendSse(res, script));
    const client = new RouterClient({ baseUrl: router.url, apiKey: 'k' });
    expect(await collect(client.askStream({ message: 'balance?', user_id: 'u1' }))).toEqual(expected);
    const request = router.requests.at(-1);
    expect(request?.body).toEqual({ message: 'balance?', user_id: 'u1', stream: true });
    expect(request?.headers.accept).toBe('text/event-stream');
    expect(request?.headers.authorization).toBe('Bearer k');
  });

  it('survives any split of the byte stream into chunks (property)', async () => {
    const wire = Buffer.from(
      `: hello\r\n\r\n${sseText(script).replaceAll('\n', '\r\n')}event: ping\r\ndata: {}\r\n\r\n`,
    );
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.integer({ min: 1, max: wire.length - 1 }), { maxLength: 15 }),
        async (cuts) => {
          const points = [0, ...cuts.sort((a, b) => a - b), wire.length];
          router.script(async (_request, res) => {
            startSse(res);
            for (let i = 0; i + 1 < points.length; i++) {
              res.write(wire.subarray(points[i], points[i + 1]));
              // Give each piece its own TCP segment, so the client really sees the cut.
              await new Promise((resolve) => setImmediate(resolve));
            }
            res.end();
          });
          expect(
            await collect(new RouterClient({ baseUrl: router.url }).askStream({ message: 'x' })),
          ).toEqual(expected);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('aborts the HTTP request when the consumer breaks out of the loop', async () => {
    let closed!: () => void;
    const connectionClosed = new Promise<void>((resolve) => {
      closed = resolve;
    });
    router.script((_request, res) => {
      res.on('close', closed);
      startSse(res);
      res.write(sseText([['delta', { text: 'first' }]]));
      // ...and never finishes on its own.
    });
    const client = new RouterClient({ baseUrl: router.url });
    for await (const event of client.askStream({ message: 'x' })) {
      expect(event).toEqual({ type: 'delta', data: { text: 'first' } });
      break;
    }
    await connectionClosed;
  });

  it('throws an error event as a RouterError of kind stream', async () => {
    router.script((_request, res) =>
      sendSse(res, [
        ['delta', { text: 'par' }],
        [
          'error',
          { error: { type: 'upstream_error', message: 'Provider failed mid-stream', provider: 'anthropic' } },
        ],
      ]),
    );
    const seen: AskStreamEvent[] = [];
    const error = await collect(
      (async function* () {
        for await (const event of new RouterClient({ baseUrl: router.url }).askStream({ message: 'x' })) {
          seen.push(event);
          yield event;
        }
      })(),
    ).catch((e: unknown) => e);
    expect(seen).toHaveLength(1);
    expect(error).toBeInstanceOf(RouterError);
    expect(error).toMatchObject({
      kind: 'stream',
      status: 200,
      type: 'upstream_error',
      provider: 'anthropic',
      requestId: 'req-stream-1',
    });
  });

  it('throws HTTP errors before any event', async () => {
    router.script((_request, res) =>
      sendJson(res, 429, { error: { type: 'rate_limited', message: 'Slow down' } }, { 'retry-after': '2' }),
    );
    await expect(
      collect(new RouterClient({ baseUrl: router.url }).askStream({ message: 'x' })),
    ).rejects.toMatchObject({
      kind: 'rate_limited',
      retryAfterSeconds: 2,
    });
  });

  it('throws NetworkError when the stream ends without done', async () => {
    router.script((_request, res) => sendSse(res, [['delta', { text: 'cut' }]]));
    await expect(
      collect(new RouterClient({ baseUrl: router.url }).askStream({ message: 'x' })),
    ).rejects.toBeInstanceOf(NetworkError);
  });

  it('reports event data that is not JSON as a protocol error', async () => {
    router.script((_request, res) => {
      startSse(res);
      res.end('event: delta\ndata: {oops\n\n');
    });
    await expect(
      collect(new RouterClient({ baseUrl: router.url }).askStream({ message: 'x' })),
    ).rejects.toMatchObject({
      kind: 'protocol',
    });
  });

  it('yields a plain JSON answer as a single done event', async () => {
    router.script((_request, res) => sendJson(res, 200, answer()));
    expect(await collect(new RouterClient({ baseUrl: router.url }).askStream({ message: 'x' }))).toEqual([
      { type: 'done', data: answer() },
    ]);
  });

  it('passes confirmation events through', async () => {
    router.script((_request, res) =>
      sendSse(res, [
        ['confirmation', confirmation],
        ['done', answer({ finish_reason: 'confirmation_required', confirmation })],
      ]),
    );
    const events = await collect(new RouterClient({ baseUrl: router.url }).askStream({ message: 'x' }));
    expect(events.map((e) => e.type)).toEqual(['confirmation', 'done']);
  });

  it('times out on silence between chunks, not on a long stream that keeps flowing', async () => {
    router.script(async (_request, res) => {
      startSse(res);
      for (let i = 0; i < 12; i++) {
        res.write(sseText([['delta', { text: `${i}` }]]));
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      res.end(sseText([['done', answer()]]));
    });
    // The stream (~1.2 s) outlasts the timeout; no silence (~100 ms) comes near it, even under load.
    const client = new RouterClient({ baseUrl: router.url, timeoutMs: 50 });
    expect((await collect(client.askStream({ message: 'x' }, { timeoutMs: 1000 }))).length).toBe(13);

    router.script((_request, res) => {
      startSse(res);
      res.write(sseText([['delta', { text: 'then nothing' }]]));
    });
    await expect(collect(client.askStream({ message: 'x' }, { timeoutMs: 100 }))).rejects.toBeInstanceOf(
      TimeoutError,
    );
  });

  it('counts keep-alive comments as signs of life', async () => {
    router.script(async (_request, res) => {
      startSse(res);
      for (let i = 0; i < 12; i++) {
        res.write(': keep-alive\n\n');
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      res.end(sseText([['done', answer()]]));
    });
    // ~1.2 s without an event, but never more than ~100 ms without a byte.
    const events = await collect(
      new RouterClient({ baseUrl: router.url, timeoutMs: 1000 }).askStream({ message: 'x' }),
    );
    expect(events).toEqual([{ type: 'done', data: answer() }]);
  });

  it('stops when the caller aborts mid-stream', async () => {
    router.script((_request, res) => {
      startSse(res);
      res.write(sseText([['delta', { text: 'a' }]]));
    });
    const controller = new AbortController();
    const events: AskStreamEvent[] = [];
    const error = await (async () => {
      for await (const event of new RouterClient({ baseUrl: router.url }).askStream(
        { message: 'x' },
        { signal: controller.signal },
      )) {
        events.push(event);
        controller.abort(new Error('stop'));
      }
    })().catch((e: unknown) => e);
    expect(events).toHaveLength(1);
    expect(error).toMatchObject({ message: 'stop' });
  });
});
