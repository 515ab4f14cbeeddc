import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { NetworkError, RouterError, TimeoutError } from '@ocsai/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createClient,
  describeError,
  fetchModelIds,
  fetchPrincipal,
  groupModels,
  isUnauthorized,
  routerBaseUrl,
} from '../src/router-connection.js';

describe('routerBaseUrl', () => {
  it('is the origin, plus any prefix the console is mounted under', () => {
    expect(routerBaseUrl({ origin: 'http://127.0.0.1:8000', pathname: '/console/' })).toBe(
      'http://127.0.0.1:8000',
    );
    expect(routerBaseUrl({ origin: 'http://h', pathname: '/console' })).toBe('http://h');
    expect(routerBaseUrl({ origin: 'http://h', pathname: '/console/index.html' })).toBe('http://h');
    expect(routerBaseUrl({ origin: 'https://h', pathname: '/ocs/console/' })).toBe('https://h/ocs');
    expect(routerBaseUrl({ origin: 'http://h', pathname: '/' })).toBe('http://h');
  });
});

describe('groupModels', () => {
  it('groups provider/model ids, keeping slashes inside model names', () => {
    expect(
      groupModels([
        'openai/gpt-4o',
        'openrouter/meta/llama-3',
        'openai/gpt-4o',
        'openai/o3',
        'bad',
        '/x',
        'y/',
      ]),
    ).toEqual([
      { provider: 'openai', models: ['gpt-4o', 'o3'] },
      { provider: 'openrouter', models: ['meta/llama-3'] },
    ]);
  });
});

describe('errors', () => {
  it('recognises a 401 and describes errors for the agent', () => {
    const unauthorized = new RouterError({ status: 401, type: 'unauthorized', message: 'API key required' });
    expect(isUnauthorized(unauthorized)).toBe(true);
    expect(isUnauthorized(new Error('x'))).toBe(false);
    expect(
      describeError(
        new RouterError({
          status: 422,
          type: 'validation_error',
          message: 'Invalid body',
          issues: [{ path: 'message', message: 'Required' }],
          requestId: 'req-1',
        }),
      ),
    ).toBe('Invalid body – message: Required (request req-1)');
    expect(describeError(new TimeoutError(5))).toBe('The router did not answer within 5 ms');
    expect(describeError(new NetworkError('down'))).toBe('down');
    expect(describeError(new DOMException('aborted', 'AbortError'))).toBe('Stopped.');
    expect(describeError('odd')).toBe('odd');
  });

  it('creates a client for the base URL', () => {
    expect(createClient('http://h/', 'k').baseUrl).toBe('http://h');
    expect(createClient('http://h', '').baseUrl).toBe('http://h');
  });
});

describe('fetchModelIds against a real HTTP server', () => {
  let server: Server;
  let url: string;
  beforeAll(async () => {
    server = createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      if (req.url === '/whoami' && req.headers.authorization === 'Bearer good') {
        res.end(JSON.stringify({ id: 'desk-1', name: 'Desk 1', roles: ['agent', 7] }));
        return;
      }
      if (req.url !== '/v1/models') {
        res.statusCode = 500;
        res.end('not json');
        return;
      }
      if (req.headers.authorization !== 'Bearer good') {
        res.statusCode = 401;
        res.end(JSON.stringify({ error: { type: 'unauthorized', message: 'API key required' } }));
        return;
      }
      res.end(JSON.stringify({ object: 'list', data: [{ id: 'openai/gpt-4o' }, { id: 7 }, 'x'] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('lists the ids, sending the key', async () => {
    expect(await fetchModelIds(url, 'good')).toEqual(['openai/gpt-4o']);
  });

  it('throws a RouterError the auth flow recognises', async () => {
    const error = await fetchModelIds(url, '').catch((e: unknown) => e);
    expect(isUnauthorized(error)).toBe(true);
    expect((error as RouterError).message).toBe('API key required');
  });

  it('reads the principal of the key from /whoami', async () => {
    expect(await fetchPrincipal(url, 'good')).toEqual({ id: 'desk-1', name: 'Desk 1', roles: ['agent'] });
  });

  it('copes with an error body that is not JSON', async () => {
    const error = await fetchModelIds(`${url}/elsewhere`, 'good').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RouterError);
    expect((error as RouterError).status).toBe(500);
  });
});
