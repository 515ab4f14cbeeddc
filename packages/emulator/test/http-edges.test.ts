import { writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { createEmulatorApp, OcsStore } from '@ocsai/emulator';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appHarness, type Harness, startHarness, uniqueMsisdn } from './harness.js';

// Friendly runs on a real socket: body limits, trailing slashes and paths outside the API are the
// HTTP server's business. Everything else goes through app.request().
let friendly: Harness;
const strict = appHarness({ fidelity: 'strict' });
beforeAll(async () => {
  friendly = await startHarness();
});
afterAll(async () => {
  await friendly.close();
  await strict.close();
});

describe('request hygiene', () => {
  it('malformed or missing JSON → 400 naming the body', async () => {
    const bad = await friendly.call('POST', '/subscribers', '{"msisdn":');
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/^body: malformed JSON/);
    expect((await friendly.call('POST', '/subscribers', '')).body.message).toMatch(
      /body: a JSON request body is required/,
    );
    expect((await friendly.call('PATCH', '/subscribers/x', 'null')).status).toBe(400);
  });

  it('bodies over 1 MiB → 413', async () => {
    const big = JSON.stringify({ msisdn: uniqueMsisdn(), carrierId: 'x'.repeat(1024 * 1024) });
    const r = await friendly.call('POST', '/subscribers', big);
    expect(r.status).toBe(413);
    expect(r.body.status).toBe(413);
    expect(r.headers.get('x-transaction-id')).toBeTruthy();
  });

  it('a chunked body (no Content-Length) over 1 MiB → 413, one under it is read', async () => {
    const send = (bytes: number) =>
      new Promise<{ status: number; text: string }>((resolve, reject) => {
        const req = httpRequest(`${friendly.emulator.url}/subscribers`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
        });
        req.on('error', reject);
        req.on('response', (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk) => {
            text += chunk;
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        });
        // Written in pieces so that the server sees no length up front.
        const body = JSON.stringify({ msisdn: uniqueMsisdn(), carrierId: 'x'.repeat(bytes) });
        for (let at = 0; at < body.length; at += 64 * 1024) req.write(body.slice(at, at + 64 * 1024));
        req.end();
      });
    const big = await send(1024 * 1024);
    expect(big.status).toBe(413);
    expect(JSON.parse(big.text).message).toBe(`body: larger than ${1024 * 1024} bytes`);
    const small = await send(16);
    expect(small.status).toBe(201);
  });

  it('treats a trailing slash as equivalent', async () => {
    const r = await friendly.call('POST', '/subscribers/', { msisdn: uniqueMsisdn() });
    expect(r.status).toBe(201);
    expect((await friendly.call('GET', `/subscribers/${r.body.subscriberId}/`)).status).toBe(200);
  });

  it('unknown route 404, wrong method 405 with Allow', async () => {
    const nf = await friendly.call('GET', '/nothing/here');
    expect(nf.status).toBe(404);
    expect(nf.body.path).toBe('/ocs/prov/v1/nothing/here');
    const outside = await fetch(friendly.emulator.url.replace('/ocs/prov/v1', '/elsewhere'));
    expect(outside.status).toBe(404);
    expect(outside.headers.get('x-transaction-id')).toMatch(/^elsewhere_\d{13}$/);
    const m = await friendly.call('PUT', '/subscribers/some-id');
    expect(m.status).toBe(405);
    expect(m.headers.get('allow')?.split(', ').sort()).toEqual(['DELETE', 'GET', 'PATCH']);
  });

  it('health check: 200 with an empty body', async () => {
    const r = await friendly.call('GET', '/health-check');
    expect(r.status).toBe(200);
    expect(r.text).toBe('');
  });
});

describe('fidelity', () => {
  it('strict sends the real backend’s bodiless errors; friendly explains them', async () => {
    const owner = (await strict.call('POST', '/subscribers', { msisdn: uniqueMsisdn() })).body.subscriberId;
    const sub = (await strict.call('POST', `/subscribers/${owner}/subscriptions`, { offerId: 'x' })).body
      .subscriptionId;
    const bodiless: [string, string, unknown?][] = [
      ['GET', '/subscribers/lookup'],
      ['GET', '/subscribers/lookup?msisdn=40000000000'],
      ['PATCH', `/subscribers/${owner}`, [{ fieldName: 'nonExistentField', fieldValue: 1 }]],
      ['PATCH', `/subscriptions/${sub}`, [{ fieldName: 'invalidField', fieldValue: 1 }]],
      ['POST', `/subscriptions/${sub}/suspend`],
      ['POST', '/subscriptions', { offerId: 'x' }],
      ['POST', '/accountHistory', { status: 'TEST' }],
      ['POST', '/accountHistory', '{bad json'],
      ['GET', '/accountHistory/unknown'],
      ['DELETE', '/accountHistory/unknown'],
    ];
    for (const [method, path, body] of bodiless) {
      const s = await strict.call(method, path, body);
      const f = await friendly.call(method, path.replace(owner, 'x').replace(sub, 'x'), body);
      expect(s.status, `${method} ${path}`).toBeGreaterThanOrEqual(400);
      expect(s.text, `${method} ${path}`).toBe('');
      expect(s.headers.get('x-transaction-id')).toBeTruthy();
      expect(f.body?.message, `${method} ${path}`).toEqual(expect.any(String));
    }
    // Errors that carry a body on the real backend keep it in strict mode.
    const missing = await strict.call('GET', '/subscribers/unknown');
    expect(missing.body.message).toBe('Subscriber not found with id: unknown');
  });

  it('strict: non-numeric limit/offset → 500 "An unexpected error occurred"', async () => {
    for (const query of ['limit=abc', 'offset=xyz']) {
      const r = await strict.call('GET', `/accountHistory/entityId/e?${query}`);
      expect(r.status).toBe(500);
      expect(r.body).toMatchObject({
        status: 500,
        error: 'Internal Server Error',
        message: 'An unexpected error occurred',
      });
    }
  });
});

describe('API key', () => {
  it('401 without a matching X-API-Key, health check stays open, key never echoed', async () => {
    const h = appHarness({ apiKey: 's3cret-key' });
    try {
      expect((await h.call('GET', '/health-check')).status).toBe(200);
      const none = await h.call('GET', '/subscribers/x');
      expect(none.status).toBe(401);
      const wrong = await h.call('GET', '/subscribers/x', undefined, { 'X-API-Key': 'guess' });
      expect(wrong.status).toBe(401);
      expect(wrong.text).not.toContain('guess');
      expect(wrong.text).not.toContain('s3cret');
      expect(wrong.headers.get('x-transaction-id')).toBeTruthy();
      expect((await h.call('GET', '/subscribers/x', undefined, { 'X-API-Key': 's3cret-key' })).status).toBe(
        404,
      );
    } finally {
      await h.close();
    }
  });
});

describe('offers, OpenAPI and docs', () => {
  it('serves the bundled catalogue', async () => {
    const list = await friendly.call('GET', '/offers');
    expect(list.status).toBe(200);
    expect(list.body.length).toBeGreaterThan(0);
    const first = list.body[0];
    expect((await friendly.call('GET', `/offers/${first.offerId}`)).body).toEqual(first);
    expect((await friendly.call('GET', '/offers/none')).status).toBe(404);
    expect((await friendly.call('POST', '/offers', {})).status).toBe(405);
  });

  it('serves a catalogue from OCS_OFFERS_FILE (JSON)', async () => {
    const dir = friendly.dir;
    const file = join(dir, 'offers.json');
    const offer = {
      offerId: '42',
      offerName: 'Answer',
      description: 'd',
      price: 1,
      offerType: 'PREPAID',
      recurring: false,
      paidFlag: true,
      isGroup: false,
      maxRecurringCycles: null,
      cycleLengthUnits: 1,
      cycleLengthType: 'MONTHS',
      balances: [
        {
          balanceType: 'ALLOWANCE',
          unitType: 'BYTES',
          amount: 1,
          isRecurring: false,
          cycleLengthUnits: null,
          cycleLengthType: null,
          isRolloverAllowed: false,
          maxRolloverAmount: 0,
          description: 'data',
        },
      ],
    };
    writeFileSync(file, JSON.stringify([offer]));
    const h = appHarness({ offersFile: file });
    try {
      expect((await h.call('GET', '/offers')).body).toEqual([offer]);
    } finally {
      await h.close();
    }
  });

  it('serves an OpenAPI document generated from the contract and an HTML reference', async () => {
    const doc = await friendly.call('GET', '/openapi.json');
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toBe('3.0.3');
    for (const path of [
      '/subscriptions/{subscriptionId}/renew',
      '/accountHistory/entityId/{entityId}',
      '/subscribers/{subscriberId}/state',
      '/offers',
    ]) {
      expect(doc.body.paths).toHaveProperty([path]);
    }
    expect(JSON.stringify(doc.body.paths['/subscribers/{subscriberId}'].get.responses['404'])).toContain(
      'timestamp',
    );
    const page = await friendly.call('GET', '/docs');
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(page.text).toContain('/accountHistory/{interactionId}');
    expect(page.text).not.toMatch(/<script|https?:\/\/cdn/);
  });
});

describe('request log', () => {
  it('writes one JSON line per request with method, path, status, latency and transaction id; never the API key', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(line) });
    const store = OcsStore.open(':memory:');
    const app = createEmulatorApp({ store, logger, apiKey: 'top-secret' });
    await app.request('/ocs/prov/v1/subscribers/x', {
      headers: { 'X-API-Key': 'top-secret', 'X-Transaction-ID': 't-1' },
    });
    await app.request('/ocs/prov/v1/subscribers/x', { headers: { 'X-API-Key': 'wrong-key' } });
    store.close();
    expect(lines).toHaveLength(2);
    const first = JSON.parse(lines[0]!);
    expect(first).toMatchObject({
      method: 'GET',
      path: '/ocs/prov/v1/subscribers/x',
      status: 404,
      transactionId: 't-1',
    });
    expect(first.latencyMs).toEqual(expect.any(Number));
    expect(JSON.parse(lines[1]!).status).toBe(401);
    expect(lines.join('')).not.toMatch(/top-secret|wrong-key/);
  });
});

describe('createEmulatorApp', () => {
  it('answers through app.request() and turns unexpected failures into a 500 body', async () => {
    const store = OcsStore.open(':memory:');
    const app = createEmulatorApp({ store, logger: false });
    const ok = await app.request('/ocs/prov/v1/health-check');
    expect(ok.status).toBe(200);
    store.close();
    const broken = await app.request('/ocs/prov/v1/subscribers/x');
    expect(broken.status).toBe(500);
    expect(await broken.json()).toMatchObject({ message: 'An unexpected error occurred' });
  });

  it('works without options on an in-memory store', async () => {
    const app = createEmulatorApp();
    const created = await app.request('/ocs/prov/v1/subscribers', {
      method: 'POST',
      body: '{"msisdn":"43664123456789"}',
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('x-transaction-id')).toMatch(/^subscribers_\d{13}$/);
  });
});
