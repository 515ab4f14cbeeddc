import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EMULATOR_DEDUPLICATES_HEADER } from '@ocsai/contract';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cancellation } from '../src/cancellation.js';
import { OcsHttp, type OcsRequest } from '../src/ocs/ocs-http.js';

/**
 * How OcsHttp reads an OCS answer (its own undici dispatch handler, in place of request() and
 * body.text()): each case is one thing request() + text() did that the handler must do too.
 */

type Handler = (req: IncomingMessage, res: ServerResponse) => void;
const routes = new Map<string, Handler>();
let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = (req.url ?? '').replace('/ocs/prov/v1', '');
    const handler = routes.get(path);
    if (handler) handler(req, res);
    else res.writeHead(500).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/ocs/prov/v1`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const client = (options: Partial<ConstructorParameters<typeof OcsHttp>[0]> = {}) =>
  new OcsHttp({
    baseUrl: base,
    timeoutMs: 5_000,
    logger: pino({ level: 'silent' }),
    maxAttempts: 1,
    ...options,
  });

const get = (path: string, more: Partial<OcsRequest> = {}): OcsRequest => ({
  method: 'GET',
  path,
  route: path,
  transactionId: 'tx-read',
  context: { entity: 'Thing' },
  ...more,
});

describe('OcsHttp reads an OCS answer as request() and body.text() did', () => {
  it('joins a body sent in several chunks and parses it as JSON', async () => {
    routes.set('/chunked', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"subscriberId":"s1",');
      setTimeout(() => {
        res.write('"name":"Zoë ');
        // A multi-byte character split across two chunks must decode whole.
        const euro = Buffer.from('€');
        res.write(euro.subarray(0, 1));
        setTimeout(() => res.end(Buffer.concat([euro.subarray(1), Buffer.from('"}')])), 5);
      }, 5);
    });
    const http = client();
    try {
      expect(await http.request(get('/chunked'))).toEqual({
        status: 200,
        body: { subscriberId: 's1', name: 'Zoë €' },
      });
    } finally {
      await http.close();
    }
  });

  it('skips a UTF-8 byte order mark before the JSON, and keeps a body that is not JSON as text', async () => {
    routes.set('/bom', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"ok":true}')]));
    });
    routes.set('/text', (_req, res) =>
      res.writeHead(200, { 'content-type': 'text/plain' }).end('plain words'),
    );
    routes.set('/empty', (_req, res) => res.writeHead(204).end());
    const http = client();
    try {
      expect((await http.request(get('/bom'))).body).toEqual({ ok: true });
      expect((await http.request(get('/text'))).body).toBe('plain words');
      expect(await http.request(get('/empty'))).toEqual({ status: 204, body: undefined });
    } finally {
      await http.close();
    }
  });

  it('waits past an informational 1xx answer for the real one', async () => {
    routes.set('/processing', (_req, res) => {
      res.writeProcessing();
      setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end('{"after":"102"}'), 5);
    });
    const http = client();
    try {
      expect(await http.request(get('/processing'))).toEqual({ status: 200, body: { after: '102' } });
    } finally {
      await http.close();
    }
  });

  it('learns that the OCS deduplicates from the header set once to true, in any letter case, and not from a repeated one', async () => {
    routes.set('/dedup', (_req, res) => {
      res.setHeader(EMULATOR_DEDUPLICATES_HEADER.toUpperCase(), 'true');
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
    routes.set('/dedup-twice', (_req, res) => {
      res.setHeader(EMULATOR_DEDUPLICATES_HEADER, ['true', 'true']);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
    routes.set('/dedup-false', (_req, res) => {
      res.setHeader(EMULATOR_DEDUPLICATES_HEADER, 'false');
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
    const once = client();
    const twice = client();
    const no = client();
    try {
      expect(once.backendDeduplicates).toBe(false);
      await once.request(get('/dedup'));
      expect(once.backendDeduplicates).toBe(true);
      await twice.request(get('/dedup-twice'));
      expect(twice.backendDeduplicates).toBe(false);
      await no.request(get('/dedup-false'));
      expect(no.backendDeduplicates).toBe(false);
    } finally {
      await Promise.all([once.close(), twice.close(), no.close()]);
    }
  });

  it('maps an error status with its JSON body as before (a 404 naming the entity)', async () => {
    routes.set('/missing', (_req, res) =>
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"message":"no such thing"}'),
    );
    const http = client();
    try {
      await expect(http.request(get('/missing'))).rejects.toMatchObject({ kind: 'not_found', status: 404 });
    } finally {
      await http.close();
    }
  });

  it('a connection lost in the middle of the body is an unavailable OCS, not a truncated answer', async () => {
    routes.set('/cut', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      res.write('{"partial":');
      setTimeout(() => res.socket?.destroy(), 5);
    });
    const http = client();
    try {
      await expect(http.request(get('/cut'))).rejects.toMatchObject({ kind: 'unavailable' });
    } finally {
      await http.close();
    }
  });

  it('a call cancelled before it is sent, or while the body arrives, ends as cancelled and tears the exchange down', async () => {
    let arrivals = 0;
    let closed!: () => void;
    const torn = new Promise<void>((resolve) => {
      closed = resolve;
    });
    routes.set('/slow-body', (req, res) => {
      arrivals++;
      req.socket.once('close', () => closed());
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"slow":');
    });
    const http = client();
    try {
      const early = new Cancellation();
      early.abort();
      await expect(http.request(get('/slow-body', { signal: early }))).rejects.toMatchObject({
        kind: 'cancelled',
      });
      expect(arrivals).toBe(0);
      const late = new Cancellation();
      const pending = http.request(get('/slow-body', { signal: late }));
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(arrivals).toBe(1);
      late.abort(new Error('client went away'));
      await expect(pending).rejects.toMatchObject({ kind: 'cancelled' });
      await torn;
    } finally {
      await http.close();
    }
  });

  it('a body that does not arrive in time is a timeout', async () => {
    routes.set('/stuck', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"stuck":');
    });
    const http = client({ timeoutMs: 100 });
    try {
      await expect(http.request(get('/stuck'))).rejects.toMatchObject({ kind: 'timeout' });
    } finally {
      await http.close();
    }
  });
});
