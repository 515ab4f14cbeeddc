import { InMemoryTransport, type JSONRPCMessage } from '@modelcontextprotocol/server';
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getRuntime } from '../src/runtime.js';
import { createOcsMcpServer } from '../src/server.js';
import { ToolCallFastStdioTransport } from '../src/stdio-fast-path.js';
import { freshMsisdn } from './helpers.js';
import { useEmulator } from './support/fixtures.js';

/**
 * The stdio fast path (src/stdio-fast-path.ts) against the SDK alone: the same JSON-RPC lines go to
 * a connection with the fast path and to one without, and the lines that come back must be the same
 * text (random per-call values masked, as in http-fast-path.test.ts).
 */

const fx = useEmulator();

interface Connection {
  send(message: Record<string, unknown>): Promise<string>;
  fast: ToolCallFastStdioTransport | undefined;
  close(): Promise<void>;
}

/** A raw JSON-RPC peer on a served connection: each send resolves with the answer's JSON text. */
async function connect(withFastPath: boolean): Promise<Connection> {
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const fast = withFastPath ? new ToolCallFastStdioTransport(serverSide, getRuntime(fx.config)) : undefined;
  const handle = serveStdio(() => createOcsMcpServer(fx.config), { transport: fast ?? serverSide });
  const waiting = new Map<unknown, (text: string) => void>();
  clientSide.onmessage = (message: JSONRPCMessage) => {
    const id = (message as { id?: unknown }).id;
    waiting.get(id)?.(JSON.stringify(message));
    waiting.delete(id);
  };
  await clientSide.start();
  const conn: Connection = {
    fast,
    send: (message) =>
      new Promise<string>((resolve) => {
        if ('id' in message) waiting.set(message.id, resolve);
        void clientSide.send(message as JSONRPCMessage);
        if (!('id' in message)) resolve('');
      }),
    close: async () => {
      await clientSide.close();
      await handle.close();
    },
  };
  await conn.send({
    jsonrpc: '2.0',
    id: 0,
    method: 'initialize',
    params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'diff', version: '1' } },
  });
  await conn.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
  return conn;
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
const ISO_TIME = /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?/g;
const CONFIRMATION = /(confirmation_token\\?":\\?")[A-Za-z0-9_.-]+/g;
const masked = (text: string) =>
  text.replace(UUID, '<uuid>').replace(ISO_TIME, '<time>').replace(CONFIRMATION, '$1<token>');

let fast: Connection;
let sdk: Connection;
let subscriberId: string;
let id = 100;

beforeAll(async () => {
  fast = await connect(true);
  sdk = await connect(false);
  const created = await fetch(`${fx.emulator.url}/subscribers`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ msisdn: freshMsisdn() }),
  });
  subscriberId = ((await created.json()) as { subscriberId: string }).subscriberId;
});
afterAll(async () => {
  await fast?.close();
  await sdk?.close();
});

/** Sends one tools/call to both connections; asserts the same answer line and returns it. */
async function both(name: string, args: Record<string, unknown> | undefined, exact = false) {
  id++;
  const message = {
    jsonrpc: '2.0',
    id,
    method: 'tools/call',
    params: { name, ...(args !== undefined ? { arguments: args } : {}) },
  };
  const before = fast.fast?.served ?? 0;
  const a = await fast.send(message);
  const took = (fast.fast?.served ?? 0) === before + 1;
  const b = await sdk.send(message);
  if (exact) expect(a).toBe(b);
  else expect(masked(a)).toBe(masked(b));
  return { answer: JSON.parse(a) as { result?: Record<string, unknown>; error?: unknown }, took };
}

describe('stdio fast path and the SDK answer alike (2025-11-25 connection)', () => {
  it('a read, byte for byte', async () => {
    const { answer, took } = await both(
      'get_subscriber',
      { subscriberId, transaction_id: 'stdio-read' },
      true,
    );
    expect(took).toBe(true);
    expect(answer.result?.structuredContent).toMatchObject({ subscriber: { subscriberId } });
  });

  it('an OCS error, a validation error and defaults', async () => {
    const missing = await both('get_subscriber', { subscriberId: 'nope', transaction_id: 'stdio-404' }, true);
    expect(missing.took).toBe(true);
    expect(missing.answer.result?.isError).toBe(true);
    for (const args of [{ subscriberId: '../x' }, { subscriberId, extra: true }, undefined]) {
      const bad = await both('get_subscriber', args, true);
      expect(bad.took).toBe(true);
      expect(JSON.stringify(bad.answer)).toMatch(/Input validation error/);
    }
    expect((await both('list_offers', {}, true)).took).toBe(true);
  });

  it('a confirmation-required irreversible call; nothing deleted', async () => {
    const { answer, took } = await both('delete_subscriber', { subscriberId });
    expect(took).toBe(true);
    expect(answer.result?.structuredContent).toMatchObject({ confirmation_required: true });
    expect((await fetch(`${fx.emulator.url}/subscribers/${subscriberId}`)).status).toBe(200);
  });

  it('an unknown tool is the SDK’s, with the same JSON-RPC error', async () => {
    const { answer, took } = await both('no_such_tool', {}, true);
    expect(took).toBe(false);
    expect(answer.error).toMatchObject({ code: -32602 });
  });

  it('tools/list and a tools/call with a 2026 envelope stay with the SDK', async () => {
    id++;
    const list = { jsonrpc: '2.0', id, method: 'tools/list' };
    expect(await fast.send(list)).toBe(await sdk.send(list));
    const before = fast.fast?.served;
    id++;
    const enveloped = {
      jsonrpc: '2.0',
      id,
      method: 'tools/call',
      params: {
        name: 'list_offers',
        _meta: { 'io.modelcontextprotocol/protocolVersion': '2026-07-28' },
      },
    };
    expect(masked(await fast.send(enveloped))).toBe(masked(await sdk.send(enveloped)));
    expect(fast.fast?.served).toBe(before);
  });
});

describe('stdio fast path: what it needs from the connection', () => {
  it('takes nothing before initialize, nor on a client that declared elicitation for an irreversible tool', async () => {
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    const wrapped = new ToolCallFastStdioTransport(serverSide, getRuntime(fx.config));
    const handle = serveStdio(() => createOcsMcpServer(fx.config), { transport: wrapped });
    const got: JSONRPCMessage[] = [];
    clientSide.onmessage = (m: JSONRPCMessage) => got.push(m);
    await clientSide.start();
    await clientSide.send({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: {
        protocolVersion: '2025-11-25',
        capabilities: { elicitation: { form: {} } },
        clientInfo: { name: 'e', version: '1' },
      },
    } as JSONRPCMessage);
    await expect.poll(() => got.length).toBe(1);
    // Not yet initialized: the SDK answers.
    await clientSide.send({
      jsonrpc: '2.0',
      id: 2,
      method: 'tools/call',
      params: { name: 'list_offers', arguments: {} },
    } as JSONRPCMessage);
    await expect.poll(() => got.length).toBe(2);
    expect(wrapped.served).toBe(0);
    await clientSide.send({ jsonrpc: '2.0', method: 'notifications/initialized' } as JSONRPCMessage);
    await clientSide.send({
      jsonrpc: '2.0',
      id: 3,
      method: 'tools/call',
      params: { name: 'list_offers', arguments: {} },
    } as JSONRPCMessage);
    await expect.poll(() => got.length).toBe(3);
    expect(wrapped.served).toBe(1);
    // The client can elicit: an irreversible tool's call goes to the SDK (which sends elicitation/create).
    await clientSide.send({
      jsonrpc: '2.0',
      id: 4,
      method: 'tools/call',
      params: { name: 'delete_subscriber', arguments: { subscriberId } },
    } as JSONRPCMessage);
    await expect
      .poll(() => got.some((m) => (m as { method?: string }).method === 'elicitation/create'))
      .toBe(true);
    expect(wrapped.served).toBe(1);
    await clientSide.close();
    await handle.close();
    expect((await fetch(`${fx.emulator.url}/subscribers/${subscriberId}`)).status).toBe(200);
  });
});
