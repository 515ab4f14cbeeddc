import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NetworkError, RouterClient, RouterClientError, RouterError, TimeoutError } from '../src/index.js';
import { answer } from './support/fixtures.js';
import { type ScriptedRouter, sendJson, startScriptedRouter } from './support/scripted-router.js';

let router: ScriptedRouter;
beforeAll(async () => {
  router = await startScriptedRouter();
});
afterAll(() => router.close());

function lastRequest() {
  const request = router.requests.at(-1);
  if (!request) throw new Error('no request recorded');
  return request;
}

async function caught(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('RouterClient.ask', () => {
  it('posts the request as JSON and returns the parsed answer', async () => {
    router.script((_request, res) => sendJson(res, 200, answer()));
    const client = new RouterClient({ baseUrl: `${router.url}/`, headers: { 'x-tenant': 'acme' } });
    const response = await client.ask({
      message: 'balance?',
      provider: 'anthropic',
      user_id: 'u1',
      stream: true,
    });
    expect(response).toEqual(answer());
    const request = lastRequest();
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/ask');
    // ask() never asks for a stream, whatever the request object says.
    expect(request.body).toEqual({ message: 'balance?', provider: 'anthropic', user_id: 'u1' });
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.headers['x-tenant']).toBe('acme');
    expect(request.headers.authorization).toBeUndefined();
  });

  it('sends the API key as a bearer token', async () => {
    router.script((_request, res) => sendJson(res, 200, answer()));
    await new RouterClient({ baseUrl: router.url, apiKey: 'k-123' }).ask({ message: 'hi' });
    expect(lastRequest().headers.authorization).toBe('Bearer k-123');
  });

  it('keeps a path prefix of the base URL', async () => {
    router.script((_request, res) => sendJson(res, 200, answer()));
    await new RouterClient({ baseUrl: `${router.url}/gateway` }).ask({ message: 'hi' });
    expect(lastRequest().path).toBe('/gateway/ask');
  });

  it('uses an injected fetch', async () => {
    const seen: string[] = [];
    const client = new RouterClient({
      baseUrl: 'http://router.invalid',
      fetch: async (input, init) => {
        seen.push(`${init.method} ${input}`);
        return new Response(JSON.stringify(answer()), { headers: { 'content-type': 'application/json' } });
      },
    });
    expect((await client.ask({ message: 'hi' })).content).toBe(answer().content);
    expect(seen).toEqual(['POST http://router.invalid/ask']);
  });

  it('turns a 422 into a validation RouterError with its issues and request id', async () => {
    router.script((_request, res) =>
      sendJson(res, 422, {
        error: {
          type: 'validation_error',
          message: 'Invalid request body',
          issues: [
            { path: 'messages.0.role', message: 'Invalid option' },
            { path: ['temperature'], message: 'Too big' },
          ],
        },
      }),
    );
    const error = await caught(new RouterClient({ baseUrl: router.url }).ask({ message: 'x' }));
    expect(error).toBeInstanceOf(RouterError);
    expect(error).toBeInstanceOf(RouterClientError);
    expect(error).toMatchObject({
      status: 422,
      kind: 'validation',
      type: 'validation_error',
      message: 'Invalid request body',
      requestId: 'req-test-1',
      retryable: false,
      issues: [
        { path: 'messages.0.role', message: 'Invalid option' },
        { path: 'temperature', message: 'Too big' },
      ],
    });
  });

  it('turns a 429 into a rate_limited RouterError with Retry-After seconds', async () => {
    router.script((_request, res) =>
      sendJson(
        res,
        429,
        { error: { type: 'rate_limited', message: 'Slow down', provider: 'openai' } },
        { 'retry-after': '7' },
      ),
    );
    const error = await caught(new RouterClient({ baseUrl: router.url }).ask({ message: 'x' }));
    expect(error).toMatchObject({
      status: 429,
      kind: 'rate_limited',
      provider: 'openai',
      retryAfterSeconds: 7,
      retryable: true,
    });
  });

  it.each([
    [400, 'bad_request'],
    [401, 'unauthorized'],
    [403, 'forbidden'],
    [404, 'not_found'],
    [413, 'payload_too_large'],
    [418, 'http'],
    [502, 'server'],
  ])('maps status %i to kind %s', async (status, kind) => {
    router.script((_request, res) => sendJson(res, status, { error: { type: 't', message: 'm' } }));
    const error = await caught(new RouterClient({ baseUrl: router.url }).ask({ message: 'x' }));
    expect(error).toMatchObject({ status, kind, type: 't', message: 'm' });
  });

  it('describes an error response whose body is not JSON', async () => {
    router.script((_request, res) => {
      res.writeHead(503, 'Service Unavailable', {
        'content-type': 'text/html',
        'retry-after': 'Thu, 01 Jan 1970 00:00:00 GMT',
      });
      res.end('<html>down</html>');
    });
    const error = await caught(new RouterClient({ baseUrl: router.url }).ask({ message: 'x' }));
    expect(error).toMatchObject({
      status: 503,
      kind: 'server',
      type: 'http_error',
      message: 'Router answered 503 Service Unavailable',
      retryAfterSeconds: 0,
      retryable: true,
    });
  });

  it('reports a 200 whose body is not JSON as a protocol error', async () => {
    router.script((_request, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"id": ');
    });
    const error = await caught(new RouterClient({ baseUrl: router.url }).ask({ message: 'x' }));
    expect(error).toMatchObject({ kind: 'protocol', type: 'invalid_response' });
  });

  it('throws TimeoutError when the router is silent past timeoutMs', async () => {
    router.script(() => {
      // never answers
    });
    const client = new RouterClient({ baseUrl: router.url, timeoutMs: 100 });
    const error = await caught(client.ask({ message: 'x' }));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ timeoutMs: 100 });
    // A per-call timeout wins over the client's.
    const perCall = await caught(new RouterClient({ baseUrl: router.url }).health({ timeoutMs: 50 }));
    expect(perCall).toBeInstanceOf(TimeoutError);
  });

  it('rethrows the caller abort reason', async () => {
    router.script(() => {});
    const controller = new AbortController();
    const pending = caught(
      new RouterClient({ baseUrl: router.url }).ask({ message: 'x' }, { signal: controller.signal }),
    );
    setTimeout(() => controller.abort(new Error('user gave up')), 20);
    expect(await pending).toMatchObject({ message: 'user gave up' });
    // Already aborted: no request is sent at all.
    const before = router.requests.length;
    const again = await caught(
      new RouterClient({ baseUrl: router.url }).ask({ message: 'x' }, { signal: AbortSignal.abort() }),
    );
    expect((again as Error).name).toBe('AbortError');
    expect(router.requests.length).toBe(before);
  });

  it('throws NetworkError when nothing listens', async () => {
    const closed = await startScriptedRouter();
    await closed.close();
    const error = await caught(new RouterClient({ baseUrl: closed.url }).ask({ message: 'x' }));
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as Error).message).toBe(
      `Could not reach the router at ${closed.url}: fetch failed (ECONNREFUSED)`,
    );
  });

  it('describes whatever an injected fetch throws, without leaking URL credentials', async () => {
    const failing = (thrown: unknown) =>
      new RouterClient({
        baseUrl: 'http://user:secret@router.invalid:8000/prefix',
        fetch: async () => {
          throw thrown;
        },
      });
    const plain = await caught(failing('socket hang up').ask({ message: 'x' }));
    expect(plain).toMatchObject({
      message: 'Could not reach the router at http://router.invalid:8000: socket hang up',
    });
    const withCause = await caught(
      failing(new TypeError('fetch failed', { cause: new Error('getaddrinfo ENOTFOUND') })).health(),
    );
    expect(withCause).toMatchObject({
      message: expect.stringMatching(/: fetch failed \(getaddrinfo ENOTFOUND\)$/),
    });
    expect((withCause as Error).message).not.toContain('secret');
    const badUrl = await caught(new RouterClient({ baseUrl: 'not a url' }).health());
    expect(badUrl).toMatchObject({
      message: expect.stringMatching(/^Could not reach the router at the configured URL: /),
    });
  });
});

describe('RouterClient context CRUD', () => {
  const envelope = { identity: { name: 'Ada', locale: 'en-GB' }, memory: { facts: ['prefers email'] } };

  it('gets a stored context, and null when there is none', async () => {
    router.script((request, res) =>
      request.path === '/context/ada%2F1'
        ? sendJson(res, 200, envelope)
        : sendJson(res, 404, { error: { type: 'not_found', message: 'No context' } }),
    );
    const client = new RouterClient({ baseUrl: router.url });
    expect(await client.getContext('ada/1')).toEqual(envelope);
    expect(lastRequest().method).toBe('GET');
    expect(await client.getContext('bob')).toBeNull();
  });

  it('replaces with POST and merges with PATCH', async () => {
    router.script((request, res) => sendJson(res, 200, request.body));
    const client = new RouterClient({ baseUrl: router.url });
    expect(await client.putContext('ada', envelope)).toEqual(envelope);
    expect(lastRequest()).toMatchObject({ method: 'POST', path: '/context/ada', body: envelope });
    expect(await client.patchContext('ada', { tools: { deny: ['delete_subscriber'] } })).toEqual({
      tools: { deny: ['delete_subscriber'] },
    });
    expect(lastRequest().method).toBe('PATCH');
  });

  it('returns what it sent when the router answers 204', async () => {
    router.script((_request, res) => {
      res.writeHead(204);
      res.end();
    });
    expect(await new RouterClient({ baseUrl: router.url }).putContext('ada', envelope)).toEqual(envelope);
  });

  it('deletes, telling whether there was something to delete', async () => {
    let stored = true;
    router.script((_request, res) => {
      if (stored) {
        stored = false;
        res.writeHead(204);
        res.end();
      } else sendJson(res, 404, { error: { type: 'not_found', message: 'No context' } });
    });
    const client = new RouterClient({ baseUrl: router.url });
    expect(await client.deleteContext('ada')).toBe(true);
    expect(lastRequest().method).toBe('DELETE');
    expect(await client.deleteContext('ada')).toBe(false);
  });

  it('refuses an empty user id and surfaces other errors', async () => {
    const client = new RouterClient({ baseUrl: router.url });
    await expect(client.getContext('')).rejects.toBeInstanceOf(TypeError);
    await expect(client.deleteContext('')).rejects.toBeInstanceOf(TypeError);
    router.script((_request, res) =>
      sendJson(res, 401, { error: { type: 'unauthorized', message: 'API key required' } }),
    );
    await expect(client.getContext('ada')).rejects.toMatchObject({ kind: 'unauthorized', status: 401 });
  });
});

describe('RouterClient health and readiness', () => {
  it('reads /health', async () => {
    router.script((_request, res) => sendJson(res, 200, { status: 'ok', version: '0.1.0' }));
    expect(await new RouterClient({ baseUrl: router.url }).health()).toEqual({
      status: 'ok',
      version: '0.1.0',
    });
  });

  it('reads /ready as ready or not ready with reasons, without throwing on 503', async () => {
    const client = new RouterClient({ baseUrl: router.url });
    router.script((_request, res) => sendJson(res, 200, { status: 'ready' }));
    expect(await client.ready()).toEqual({
      ready: true,
      status: 200,
      reasons: [],
      body: { status: 'ready' },
    });
    router.script((_request, res) =>
      sendJson(res, 503, { status: 'not_ready', reasons: ['mcp: ocs unreachable', { p: 1 }] }),
    );
    expect(await client.ready()).toMatchObject({
      ready: false,
      status: 503,
      reasons: ['mcp: ocs unreachable', '{"p":1}'],
    });
    router.script((_request, res) => {
      res.writeHead(503);
      res.end('starting');
    });
    expect(await client.ready()).toEqual({ ready: false, status: 503, reasons: [], body: null });
  });
});
