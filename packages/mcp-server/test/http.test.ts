import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { McpConfig } from '../src/config.js';
import { type McpHttpServerHandle, startMcpHttpServer } from '../src/http.js';
import { ok, testConfig } from './helpers.js';
import { useMcpHttpServer } from './support/fixtures.js';

const INIT = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'curl', version: '1' } },
};
const HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

const fx = useMcpHttpServer({ MCP_ALLOWED_ORIGINS: 'console.example.com' });
let authed: McpHttpServerHandle;
let authConfig: McpConfig;

beforeAll(async () => {
  authConfig = testConfig(fx.emulator.url, { MCP_AUTH_TOKENS: 'token-one, token-two' });
  authed = await startMcpHttpServer({ ...authConfig, host: '127.0.0.1', port: 0 });
});
afterAll(async () => {
  await authed?.close();
});

describe('Streamable HTTP endpoint', () => {
  it('serves 2026-07-28 and 2025-11-25 clients statelessly', async () => {
    expect(fx.http.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    const modern = new Client({ name: 'modern', version: '1' }, { versionNegotiation: { mode: 'auto' } });
    await modern.connect(new StreamableHTTPClientTransport(new URL(fx.http.url)));
    expect(modern.getNegotiatedProtocolVersion()).toBe('2026-07-28');
    const tools = await modern.listTools();
    expect(tools.tools).toHaveLength(20);
    expect((await ok(modern, 'list_offers', {})).total).toBe(5);
    await modern.close();

    const legacy = new Client({ name: 'legacy', version: '1' });
    await legacy.connect(new StreamableHTTPClientTransport(new URL(fx.http.url)));
    expect(legacy.getNegotiatedProtocolVersion()).toBe('2025-11-25');
    expect((await legacy.listTools()).tools.map((t) => t.name)).toEqual(tools.tools.map((t) => t.name));
    expect((await ok(legacy, 'get_offer', { offerId: '1000' })).offer.offerId).toBe('1000');
    await legacy.close();
  });

  it('answers /healthz, unknown paths and GET/DELETE on /mcp', async () => {
    const base = fx.http.url.replace('/mcp', '');
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    expect((await fetch(`${base}/healthz`, { method: 'POST' })).status).toBe(405);
    expect((await fetch(`${base}/nope`)).status).toBe(404);
    expect(
      (await fetch(fx.http.url, { method: 'GET', headers: { accept: 'text/event-stream' } })).status,
    ).toBe(405);
    expect((await fetch(fx.http.url, { method: 'DELETE' })).status).toBe(405);
  });

  it('refuses foreign Origin and Host headers with 403 and allows configured origins', async () => {
    const evil = await fetch(fx.http.url, {
      method: 'POST',
      headers: { ...HEADERS, origin: 'http://evil.example.com' },
      body: JSON.stringify(INIT),
    });
    expect(evil.status).toBe(403);
    const local = await fetch(fx.http.url, {
      method: 'POST',
      headers: { ...HEADERS, origin: 'http://localhost:5173' },
      body: JSON.stringify(INIT),
    });
    expect(local.status).toBe(200);
    const extra = await fetch(fx.http.url, {
      method: 'POST',
      headers: { ...HEADERS, origin: 'https://console.example.com' },
      body: JSON.stringify(INIT),
    });
    expect(extra.status).toBe(200);
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        fx.http.url,
        { method: 'POST', headers: { ...HEADERS, host: 'evil.example.com' } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end(JSON.stringify(INIT));
    });
    expect(status).toBe(403);
  });

  it('caps request bodies at 1 MiB with 413', async () => {
    const big = JSON.stringify({ ...INIT, params: { ...INIT.params, pad: 'x'.repeat(1024 * 1024 + 10) } });
    const r = await fetch(fx.http.url, { method: 'POST', headers: HEADERS, body: big });
    expect(r.status).toBe(413);
  });

  it('requires a bearer token when MCP_AUTH_TOKENS is set', async () => {
    const none = await fetch(authed.url, { method: 'POST', headers: HEADERS, body: JSON.stringify(INIT) });
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer /);
    const wrong = await fetch(authed.url, {
      method: 'POST',
      headers: { ...HEADERS, authorization: 'Bearer token-three' },
      body: JSON.stringify(INIT),
    });
    expect(wrong.status).toBe(401);
    const client = new Client({ name: 'authed', version: '1' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(authed.url), {
        requestInit: { headers: { authorization: 'Bearer token-two' } },
      }),
    );
    expect((await client.listTools()).tools.length).toBe(20);
    await client.close();
    // Health checks stay open for load balancers.
    expect((await fetch(authed.url.replace('/mcp', '/healthz'))).status).toBe(200);
  });
});
