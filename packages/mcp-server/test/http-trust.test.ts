import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, describe, expect, it } from 'vitest';
import { call, freshMsisdn, ok } from './helpers.js';
import { useMcpHttpServer } from './support/fixtures.js';

const HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
const TOKENS = {
  reader: 'reader-token-0123456789abcdef',
  writer: 'writer-token-0123456789abcdef',
  admin: 'admin-token-0123456789abcdefgh',
  noScopes: 'noscope-token-0123456789abcdef',
};

const dir = mkdtempSync(join(tmpdir(), 'ocs-mcp-tokens-'));
const tokensFile = join(dir, 'tokens.json');
writeFileSync(
  tokensFile,
  JSON.stringify([
    { token: TOKENS.reader, subject: 'reader', scopes: 'ocs:read' },
    { token: TOKENS.writer, subject: 'writer', scopes: ['ocs:read', 'ocs:write'] },
    { token: TOKENS.admin, subject: 'admin', scopes: 'ocs:read ocs:write ocs:irreversible' },
    { token: TOKENS.noScopes, subject: 'nobody-special' },
  ]),
);
const fx = useMcpHttpServer({ MCP_AUTH_TOKENS_FILE: tokensFile });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function clientFor(token: string): Promise<Client> {
  const client = new Client(
    { name: 'scoped', version: '1' },
    { versionNegotiation: { mode: { pin: '2026-07-28' } } },
  );
  await client.connect(
    new StreamableHTTPClientTransport(new URL(fx.http.url), {
      requestInit: { headers: { authorization: `Bearer ${token}` } },
    }),
  );
  return client;
}

/** A raw tools/call POST, to see the HTTP status the SDK client would turn into an exception. */
async function rawCall(
  token: string,
  name: string,
  args: Record<string, unknown>,
  headers: Record<string, string> = {},
) {
  return fetch(fx.http.url, {
    method: 'POST',
    headers: {
      ...HEADERS,
      authorization: `Bearer ${token}`,
      'mcp-protocol-version': '2025-11-25',
      ...headers,
    },
    body: JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name, arguments: args } }),
  });
}

describe('static tokens with subjects and scopes (MCP_AUTH_TOKENS_FILE)', () => {
  it('tools/list shows only what the token may call', async () => {
    const reader = await clientFor(TOKENS.reader);
    const names = (await reader.listTools()).tools.map((t) => t.name);
    expect(names).toContain('list_balances');
    expect(names).not.toContain('create_balance');
    expect(names).not.toContain('delete_subscriber');
    await reader.close();
    const writer = await clientFor(TOKENS.writer);
    const writerNames = (await writer.listTools()).tools.map((t) => t.name);
    expect(writerNames).toContain('create_balance');
    expect(writerNames).toContain('change_subscription_state');
    expect(writerNames).not.toContain('delete_subscriber');
    await writer.close();
  });

  it('a token without scopes is read-only', async () => {
    const c = await clientFor(TOKENS.noScopes);
    const tools = (await c.listTools()).tools;
    expect(tools.every((t) => t.annotations?.readOnlyHint === true)).toBe(true);
    await c.close();
  });

  it('a call outside the scopes gets 403 insufficient_scope naming the scope (step-up)', async () => {
    const r = await rawCall(TOKENS.reader, 'create_subscriber', { msisdn: freshMsisdn() });
    expect(r.status).toBe(403);
    expect(r.headers.get('www-authenticate')).toMatch(/error="insufficient_scope"/);
    expect(r.headers.get('www-authenticate')).toMatch(/scope="ocs:read ocs:write"/);
    expect(JSON.stringify(await r.json())).toMatch(/needs the scope ocs:write/);
    const del = await rawCall(TOKENS.writer, 'delete_subscriber', { subscriberId: 'x' });
    expect(del.status).toBe(403);
    expect(del.headers.get('www-authenticate')).toMatch(/ocs:irreversible/);
  });

  it('an irreversible call of a write tool needs ocs:irreversible, judged by effect', async () => {
    const admin = await clientFor(TOKENS.admin);
    const { subscriber } = await ok(admin, 'create_subscriber', { msisdn: freshMsisdn() });
    const { subscription } = await ok(admin, 'create_subscription', {
      subscriberId: subscriber.subscriberId,
      offerId: '1000',
      activate: true,
    });
    await admin.close();
    const id = subscription.subscriptionId;
    const cancel = await rawCall(TOKENS.writer, 'change_subscription_state', {
      subscriptionId: id,
      action: 'cancel',
    });
    expect(cancel.status).toBe(403);
    expect(cancel.headers.get('www-authenticate')).toMatch(/ocs:irreversible/);
    // A renew that leaves cycles is reversible in effect: the writer may.
    const writer = await clientFor(TOKENS.writer);
    const renewed = await ok(writer, 'change_subscription_state', { subscriptionId: id, action: 'renew' });
    expect(renewed.subscription.state).toBe('active');
    // Lowering maxRecurringCycles to the cycles used is not.
    const lower = await rawCall(TOKENS.writer, 'update_subscription', {
      subscriptionId: id,
      updates: [{ fieldName: 'maxRecurringCycles', fieldValue: 1 }],
    });
    expect(lower.status).toBe(403);
    await writer.close();
  });

  it('refuses other, malformed and missing tokens with 401', async () => {
    for (const authorization of ['Bearer not-a-known-token-123456', 'Basic abc', 'Bearer', undefined]) {
      const r = await fetch(fx.http.url, {
        method: 'POST',
        headers: { ...HEADERS, ...(authorization ? { authorization } : {}) },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }),
      });
      expect(r.status, String(authorization)).toBe(401);
      expect(r.headers.get('www-authenticate')).toMatch(/^Bearer /);
    }
  });
});

describe('HTTP edges', () => {
  it('a request with two Host headers gets 400', async () => {
    const { port } = fx.http;
    const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} });
    const response = await new Promise<string>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.write(
          `POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nHost: evil.example.com\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\nAuthorization: Bearer ${TOKENS.reader}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
        );
      });
      let text = '';
      socket.on('data', (d) => {
        text += d.toString();
      });
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    expect(response).toMatch(/^HTTP\/1\.1 400 /);
    expect(response).toMatch(/more than one Host header/);
  });

  it('answers a deeply nested body with 400, not a crash', async () => {
    const r = await fetch(fx.http.url, {
      method: 'POST',
      headers: { ...HEADERS, authorization: `Bearer ${TOKENS.reader}` },
      body: `${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}`,
    });
    expect(r.status).toBe(400);
    expect(JSON.stringify(await r.json())).toMatch(/nested deeper than 64 levels/);
  });

  it('refuses a JSON-RPC batch of 50 tools/call with a clear JSON-RPC error, running none of them', async () => {
    const msisdns = Array.from({ length: 50 }, () => freshMsisdn());
    const batch = msisdns.map((msisdn, i) => ({
      jsonrpc: '2.0',
      id: i + 1,
      method: 'tools/call',
      params: { name: 'create_subscriber', arguments: { msisdn } },
    }));
    const r = await fetch(fx.http.url, {
      method: 'POST',
      headers: { ...HEADERS, authorization: `Bearer ${TOKENS.admin}`, 'mcp-protocol-version': '2025-11-25' },
      body: JSON.stringify(batch),
    });
    expect(r.status).toBe(400);
    const body = (await r.json()) as { error: { code: number; message: string } };
    expect(body.error.code).toBe(-32600);
    expect(body.error.message).toMatch(/batches are not supported/);
    const admin = await clientFor(TOKENS.admin);
    for (const msisdn of msisdns.slice(0, 3))
      expect((await call(admin, 'lookup_subscriber', { msisdn })).isError).toBe(true);
    await admin.close();
  });

  it('bounds batches to 10 even for a 2025-03-26 client, and checks the scope of every entry', async () => {
    const entry = (i: number, name = 'list_offers') => ({
      jsonrpc: '2.0',
      id: i,
      method: 'tools/call',
      params: { name, arguments: {} },
    });
    const post = (token: string, messages: unknown[]) =>
      fetch(fx.http.url, {
        method: 'POST',
        headers: { ...HEADERS, authorization: `Bearer ${token}`, 'mcp-protocol-version': '2025-03-26' },
        body: JSON.stringify(messages),
      });
    const tooMany = await post(
      TOKENS.admin,
      Array.from({ length: 11 }, (_, i) => entry(i + 1)),
    );
    expect(tooMany.status).toBe(400);
    expect(JSON.stringify(await tooMany.json())).toMatch(/1 to 10 messages/);
    const sneaky = await post(TOKENS.reader, [entry(1), entry(2, 'delete_balances')]);
    expect(sneaky.status).toBe(403);
    // Within the bound, each entry is served (and audited) on its own.
    const small = await post(TOKENS.reader, [entry(1), entry(2)]);
    expect(small.status).toBe(200);
    const text = await small.text();
    expect(text.match(/"offerId":"1000"/g)?.length).toBeGreaterThanOrEqual(2);
  });
});
