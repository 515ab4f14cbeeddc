import { request as httpRequest } from 'node:http';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { describe, expect, it } from 'vitest';
import { MAX_REQUEST_BODY_BYTES, startMcpHttpServer } from '../src/http.js';
import { closeRuntime } from '../src/runtime.js';
import { ok, testConfig } from './helpers.js';
import { useMcpHttpServer } from './support/fixtures.js';

const HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

// These tests are about the Node adapter and the SDK's per-request server, so the fast path (which
// would answer their tools/call itself; see http-fast-path.test.ts) is off here.
const fx = useMcpHttpServer({}, { fastPath: false });

/** One raw POST whose body is written in the given chunks, without a Content-Length (chunked). */
function postChunked(url: string, chunks: string[]): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: 'POST', headers: HEADERS }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => {
        body += c.toString('utf8');
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    for (const chunk of chunks) req.write(chunk);
    req.end();
  });
}

const modernCall = (id: number, name: string, args: Record<string, unknown>) => ({
  jsonrpc: '2.0',
  id,
  method: 'tools/call',
  params: {
    name,
    arguments: args,
    _meta: {
      'io.modelcontextprotocol/protocolVersion': '2026-07-28',
      'io.modelcontextprotocol/clientInfo': { name: 'raw', version: '1' },
      'io.modelcontextprotocol/clientCapabilities': {},
    },
  },
});

describe('Node adapter in front of the MCP handler', () => {
  it('answers a body that is not JSON with a JSON-RPC parse error', async () => {
    const r = await fetch(fx.http.url, {
      method: 'POST',
      headers: HEADERS,
      body: '{"jsonrpc": "2.0", "id": 1,',
    });
    expect(r.status).toBe(400);
    const body = (await r.json()) as { error: { code: number } };
    expect(body.error.code).toBe(-32700);
  });

  it('refuses an empty POST body with a JSON-RPC error, not a crash', async () => {
    const r = await fetch(fx.http.url, { method: 'POST', headers: HEADERS, body: '' });
    expect(r.status).toBeGreaterThanOrEqual(400);
    expect(r.status).toBeLessThan(500);
  });

  it('caps a chunked body without Content-Length at the limit with 413', async () => {
    const piece = 'x'.repeat(64 * 1024);
    const chunks = ['{"jsonrpc":"2.0","id":1,"method":"ping","params":{"pad":"'];
    for (let sent = 0; sent <= MAX_REQUEST_BODY_BYTES; sent += piece.length) chunks.push(piece);
    chunks.push('"}}');
    const r = await postChunked(fx.http.url, chunks);
    expect(r.status).toBe(413);
    expect(JSON.parse(r.body).error.code).toBe(-32000);
  });

  it('answers a 2026-07-28 tools/call in one piece, with a Content-Length matching the bytes', async () => {
    const sub = await (
      await fetch(`${fx.emulator.url}/subscribers`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ msisdn: '436641234001', subscriberType: 'PREPAID' }),
      })
    ).json();
    const r = await fetch(fx.http.url, {
      method: 'POST',
      headers: {
        ...HEADERS,
        'mcp-protocol-version': '2026-07-28',
        'mcp-method': 'tools/call',
        'mcp-name': 'get_subscriber',
      },
      body: JSON.stringify(modernCall(7, 'get_subscriber', { subscriberId: sub.subscriberId })),
    });
    const text = await r.text();
    expect(r.status, text).toBe(200);
    // A 2026-07-28 call that sends no notification mid-call is answered as plain JSON.
    expect(r.headers.get('content-type')).toMatch(/^application\/json/);
    expect(Number(r.headers.get('content-length'))).toBe(Buffer.byteLength(text));
    const message = JSON.parse(text);
    expect(message.id).toBe(7);
    expect(message.result.structuredContent.subscriber.subscriberId).toBe(sub.subscriberId);
  });

  it('keeps serving after a client hangs up mid-request', async () => {
    await new Promise<void>((resolve) => {
      const req = httpRequest(fx.http.url, { method: 'POST', headers: HEADERS });
      req.on('error', () => resolve());
      req.write('{"jsonrpc":"2.0","id":1,');
      setTimeout(() => {
        req.destroy();
        resolve();
      }, 20);
    });
    const client = new Client({ name: 'after-hangup', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(new URL(fx.http.url)));
    expect((await ok(client, 'list_offers', {})).total).toBe(5);
    await client.close();
  });

  it('scopes a tools/call server to its tool: other tools still work, unknown and hidden ones are refused', async () => {
    const readOnlyConfig = testConfig(fx.emulator.url, { OCS_MCP_READ_ONLY: 'true' });
    const readOnly = await startMcpHttpServer({ ...readOnlyConfig, port: 0, fastPath: false });
    try {
      for (const era of ['2026-07-28', '2025-11-25'] as const) {
        const client = new Client(
          { name: `scoped-${era}`, version: '1' },
          era === '2026-07-28' ? { versionNegotiation: { mode: { pin: era } } } : {},
        );
        await client.connect(new StreamableHTTPClientTransport(new URL(readOnly.url)));
        expect((await client.listTools()).tools.map((t) => t.name)).not.toContain('delete_subscriber');
        expect((await ok(client, 'list_offers', {})).total).toBe(5);
        expect((await ok(client, 'get_offer', { offerId: '1000' })).offer.offerId).toBe('1000');
        for (const name of ['no_such_tool', 'delete_subscriber']) {
          const refused = await client.callTool({ name, arguments: { subscriberId: 'x' } }).then(
            (r) => JSON.stringify(r.content),
            (error: Error) => error.message,
          );
          expect(refused).toMatch(new RegExp(name));
        }
        const resources = await client.listResources();
        expect(resources.resources.map((r) => r.uri)).toContain('ocs://offers');
        await client.close();
      }
    } finally {
      await readOnly.close();
      await closeRuntime(readOnlyConfig);
    }
  });
});
