import { createServer } from 'node:http';
import { PassThrough, Writable } from 'node:stream';
import { StdioServerTransport, serveStdio } from '@modelcontextprotocol/server/stdio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getRuntime } from '../src/runtime.js';
import { createOcsMcpServer } from '../src/server.js';
import { ToolCallFastStdioTransport } from '../src/stdio-fast-path.js';
import { freshMsisdn, testConfig } from './helpers.js';
import { type ListeningOcs, listenOcs } from './support/fake-ocs.js';
import { useEmulator } from './support/fixtures.js';

/**
 * The stdio fast path (src/stdio-fast-path.ts) against the SDK alone: the same bytes go to the stdin
 * of a connection with the fast path and to the stdin of one served by the SDK's own
 * StdioServerTransport, and the lines written to stdout must be the same text (random per-call
 * values masked, as in http-fast-path.test.ts), in both protocol eras.
 */

const fx = useEmulator();

type Era = '2025-11-25' | '2026-07-28';

interface Connection {
  /** Writes raw bytes to the server's stdin. */
  write(bytes: string): void;
  /** Sends one message; resolves with the JSON text of the answer with its id (or '' for a notification). */
  send(message: Record<string, unknown>): Promise<string>;
  /** Every line the server wrote, in order. */
  lines: string[];
  fast: ToolCallFastStdioTransport | undefined;
  close(): Promise<void>;
}

const ENVELOPE = {
  'io.modelcontextprotocol/protocolVersion': '2026-07-28',
  'io.modelcontextprotocol/clientInfo': { name: 'diff', version: '1' },
  'io.modelcontextprotocol/clientCapabilities': {},
};

/** A raw JSON-RPC peer on stdin/stdout streams of a served connection. */
async function connect(withFastPath: boolean, era: Era = '2025-11-25'): Promise<Connection> {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const fast = withFastPath
    ? new ToolCallFastStdioTransport(getRuntime(fx.config), { stdin, stdout })
    : undefined;
  const handle = serveStdio(() => createOcsMcpServer(fx.config), {
    transport: fast ?? new StdioServerTransport(stdin, stdout),
  });
  const waiting = new Map<unknown, (text: string) => void>();
  const lines: string[] = [];
  let partial = '';
  stdout.on('data', (chunk: Buffer) => {
    const parts = (partial + String(chunk)).split('\n');
    partial = parts.pop() ?? '';
    for (const line of parts) {
      lines.push(line);
      const id = (JSON.parse(line) as { id?: unknown }).id;
      waiting.get(id)?.(line);
      waiting.delete(id);
    }
  });
  const conn: Connection = {
    fast,
    lines,
    write: (bytes) => stdin.write(bytes),
    send: (message) =>
      new Promise<string>((resolve) => {
        if ('id' in message) waiting.set(message.id, resolve);
        stdin.write(`${JSON.stringify(message)}\n`);
        if (!('id' in message)) resolve('');
      }),
    close: async () => {
      stdin.end();
      await handle.close();
    },
  };
  if (era === '2025-11-25') {
    await conn.send({
      jsonrpc: '2.0',
      id: 0,
      method: 'initialize',
      params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'diff', version: '1' } },
    });
    await conn.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
  } else {
    // The first enveloped request pins the 2026-07-28 era (no handshake in that revision).
    await conn.send({ jsonrpc: '2.0', id: 0, method: 'tools/list', params: { _meta: ENVELOPE } });
  }
  return conn;
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
const ISO_TIME = /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?/g;
const CONFIRMATION = /(confirmation_token\\?":\\?")[A-Za-z0-9_.-]+/g;
const masked = (text: string) =>
  text.replace(UUID, '<uuid>').replace(ISO_TIME, '<time>').replace(CONFIRMATION, '$1<token>');

let subscriberId: string;
let id = 100;

beforeAll(async () => {
  const created = await fetch(`${fx.emulator.url}/subscribers`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ msisdn: freshMsisdn() }),
  });
  subscriberId = ((await created.json()) as { subscriberId: string }).subscriberId;
});

for (const era of ['2025-11-25', '2026-07-28'] as const) {
  describe(`stdio fast path and the SDK answer alike (${era} connection)`, () => {
    let fast: Connection;
    let sdk: Connection;
    const meta = era === '2026-07-28' ? { _meta: ENVELOPE } : {};
    beforeAll(async () => {
      fast = await connect(true, era);
      sdk = await connect(false, era);
    });
    afterAll(async () => {
      await fast?.close();
      await sdk?.close();
    });

    /** Sends one tools/call to both connections; asserts the same answer line and returns it. */
    async function both(
      name: string,
      args: Record<string, unknown> | undefined,
      exact = false,
      extraMeta: Record<string, unknown> = {},
    ) {
      id++;
      const params: Record<string, unknown> = { name, ...(args !== undefined ? { arguments: args } : {}) };
      const metaOf = { ...meta._meta, ...extraMeta };
      if (Object.keys(metaOf).length > 0) params._meta = metaOf;
      const message = { jsonrpc: '2.0', id, method: 'tools/call', params };
      const before = fast.fast?.served ?? 0;
      const a = await fast.send(message);
      const took = (fast.fast?.served ?? 0) === before + 1;
      const b = await sdk.send(message);
      if (exact) expect(a).toBe(b);
      else expect(masked(a)).toBe(masked(b));
      return { answer: JSON.parse(a) as { result?: Record<string, unknown>; error?: unknown }, took };
    }

    it('a read, byte for byte', async () => {
      const { answer, took } = await both(
        'get_subscriber',
        { subscriberId, transaction_id: 'stdio-read' },
        true,
      );
      expect(took).toBe(true);
      expect(answer.result?.structuredContent).toMatchObject({ subscriber: { subscriberId } });
      if (era === '2026-07-28') expect(answer.result?.resultType).toBe('complete');
    });

    it('an OCS error, a validation error and defaults', async () => {
      const missing = await both(
        'get_subscriber',
        { subscriberId: 'nope', transaction_id: 'stdio-404' },
        true,
      );
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

    it('tools/list and an envelope of the other era stay with the SDK', async () => {
      id++;
      const list = { jsonrpc: '2.0', id, method: 'tools/list', params: { ...meta } };
      expect(await fast.send(list)).toBe(await sdk.send(list));
      const before = fast.fast?.served;
      const other =
        era === '2025-11-25'
          ? { 'io.modelcontextprotocol/protocolVersion': '2026-07-28' }
          : { 'io.modelcontextprotocol/logLevel': 'debug' };
      const odd = await both('list_offers', {}, false, other);
      expect(odd.took).toBe(false);
      expect(fast.fast?.served).toBe(before);
    });

    /**
     * Sends a list_offers call with `extraMeta` on this era's `_meta` to the fast connection without
     * waiting for an answer (the SDK may give none), then a plain call through both: only the plain
     * one was served by the fast path.
     */
    async function expectNotTaken(extraMeta: Record<string, unknown>) {
      const before = fast.fast?.served ?? 0;
      id++;
      const message = {
        jsonrpc: '2.0',
        id,
        method: 'tools/call',
        params: { name: 'list_offers', arguments: {}, _meta: { ...meta._meta, ...extraMeta } },
      };
      void fast.send(message);
      expect((await both('list_offers', {}, true)).took).toBe(true);
      expect(fast.fast?.served).toBe(before + 1);
    }

    it('an envelope whose capabilities the SDK’s schema refuses gets the SDK’s answer', async () => {
      if (era !== '2026-07-28') return;
      const refused: Array<Record<string, unknown>> = [
        { 'io.modelcontextprotocol/clientCapabilities': { roots: { listChanged: 'yes' } } },
        { 'io.modelcontextprotocol/clientCapabilities': { elicitation: { form: { applyDefaults: 'no' } } } },
        { 'io.modelcontextprotocol/clientCapabilities': { sampling: { context: 'all' } } },
      ];
      for (const extra of refused) {
        const odd = await both('list_offers', {}, true, extra);
        expect(odd.took).toBe(false);
        expect(odd.answer.error).toBeDefined();
      }
      // Capabilities the schema strips unread, or reads as `{}`, and a plain progress token stay fast.
      for (const extra of [
        { 'io.modelcontextprotocol/clientCapabilities': { roots: {}, somethingNew: 'x' } },
        { progressToken: 'p1' },
      ])
        expect((await both('list_offers', {}, true, extra)).took).toBe(true);
      // A progress token of no JSON-RPC type fails the SDK's message parse (no answer at all): not taken.
      for (const progressToken of [{ not: 'a token' }, 1.5]) await expectNotTaken({ progressToken });
    });

    it('a request _meta the SDK’s schema refuses (progress token, related task) is not served by the fast path', async () => {
      for (const extra of [
        { progressToken: {} },
        { progressToken: true },
        { 'io.modelcontextprotocol/related-task': { taskId: 7 } },
      ])
        await expectNotTaken(extra);
      expect((await both('list_offers', {}, true, { progressToken: 7 })).took).toBe(true);
    });

    it('lines split across writes, CRLF, and lines that are not JSON-RPC are read as the SDK reads them', async () => {
      const call = (n: number) =>
        JSON.stringify({
          jsonrpc: '2.0',
          id: `split-${era}-${n}`,
          method: 'tools/call',
          params: {
            name: 'get_subscriber',
            arguments: { subscriberId, transaction_id: `split-${n}` },
            ...meta,
          },
        });
      for (const conn of [fast, sdk]) {
        const before = conn.lines.length;
        const bytes = `not json\n{"jsonrpc":"2.0","id":{},"method":"x"}\n${call(1)}\r\n${call(2)}\n`;
        const cut = Math.floor(bytes.length / 2);
        conn.write(bytes.slice(0, 7));
        conn.write(bytes.slice(7, cut));
        conn.write(bytes.slice(cut));
        await expect.poll(() => conn.lines.length - before).toBe(2);
      }
      const tail = (conn: Connection) => conn.lines.slice(-2).sort();
      expect(tail(fast)).toEqual(tail(sdk));
      expect(tail(fast).map((line) => (JSON.parse(line) as { id: string }).id)).toEqual([
        `split-${era}-1`,
        `split-${era}-2`,
      ]);
    });
  });
}

describe('stdio fast path: what it needs from the connection', () => {
  /** A served connection with the fast path, and every message it wrote. */
  function open() {
    const stdin = new PassThrough();
    const stdout = new PassThrough();
    const wrapped = new ToolCallFastStdioTransport(getRuntime(fx.config), { stdin, stdout });
    const handle = serveStdio(() => createOcsMcpServer(fx.config), { transport: wrapped });
    const got: Record<string, unknown>[] = [];
    let partial = '';
    stdout.on('data', (chunk: Buffer) => {
      const parts = (partial + String(chunk)).split('\n');
      partial = parts.pop() ?? '';
      for (const line of parts) got.push(JSON.parse(line) as Record<string, unknown>);
    });
    const send = (message: Record<string, unknown>) => stdin.write(`${JSON.stringify(message)}\n`);
    const close = async () => {
      stdin.end();
      await handle.close();
    };
    return { wrapped, got, send, close };
  }

  it('takes nothing before initialize, nor on a client that declared elicitation for an irreversible tool', async () => {
    const { wrapped, got, send, close } = open();
    send({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: {
        protocolVersion: '2025-11-25',
        capabilities: { elicitation: { form: {} } },
        clientInfo: { name: 'e', version: '1' },
      },
    });
    await expect.poll(() => got.length).toBe(1);
    // Not yet initialized: the SDK answers.
    send({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'list_offers', arguments: {} } });
    await expect.poll(() => got.length).toBe(2);
    expect(wrapped.served).toBe(0);
    send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    send({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'list_offers', arguments: {} } });
    await expect.poll(() => got.length).toBe(3);
    expect(wrapped.served).toBe(1);
    // The client can elicit: an irreversible tool's call goes to the SDK (which sends elicitation/create).
    send({
      jsonrpc: '2.0',
      id: 4,
      method: 'tools/call',
      params: { name: 'delete_subscriber', arguments: { subscriberId } },
    });
    await expect.poll(() => got.some((m) => m.method === 'elicitation/create')).toBe(true);
    expect(wrapped.served).toBe(1);
    await close();
    expect((await fetch(`${fx.emulator.url}/subscribers/${subscriberId}`)).status).toBe(200);
  });

  it('2026-07-28: nothing before the SDK has pinned the era, nor after a refused opening, nor an irreversible call of an eliciting client', async () => {
    const { wrapped, got, send, close } = open();
    // An unsupported revision is refused by the SDK and opens nothing.
    send({
      jsonrpc: '2.0',
      id: 1,
      method: 'tools/call',
      params: {
        name: 'list_offers',
        arguments: {},
        _meta: { ...ENVELOPE, 'io.modelcontextprotocol/protocolVersion': '2099-01-01' },
      },
    });
    await expect.poll(() => got.length).toBe(1);
    expect(got[0]?.error).toBeDefined();
    // The first good enveloped call is the SDK's: its answer pins the era.
    send({
      jsonrpc: '2.0',
      id: 2,
      method: 'tools/call',
      params: { name: 'list_offers', arguments: {}, _meta: ENVELOPE },
    });
    await expect.poll(() => got.length).toBe(2);
    expect(wrapped.served).toBe(0);
    send({
      jsonrpc: '2.0',
      id: 3,
      method: 'tools/call',
      params: { name: 'list_offers', arguments: {}, _meta: ENVELOPE },
    });
    await expect.poll(() => got.length).toBe(3);
    expect(wrapped.served).toBe(1);
    expect(got[2]).toMatchObject({ id: 3, result: { resultType: 'complete' } });
    // A client that can elicit gets the SDK's input_required round for an irreversible tool.
    const eliciting = {
      ...ENVELOPE,
      'io.modelcontextprotocol/clientCapabilities': { elicitation: { form: {} } },
    };
    send({
      jsonrpc: '2.0',
      id: 4,
      method: 'tools/call',
      params: { name: 'delete_subscriber', arguments: { subscriberId }, _meta: eliciting },
    });
    await expect.poll(() => got.length).toBe(4);
    expect(got[3]).toMatchObject({ id: 4, result: { resultType: 'input_required' } });
    expect(wrapped.served).toBe(1);
    await close();
    expect((await fetch(`${fx.emulator.url}/subscribers/${subscriberId}`)).status).toBe(200);
  });

  it('a cancelled call gets no answer; the connection goes on', async () => {
    const { wrapped, got, send, close } = open();
    send({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'c', version: '1' } },
    });
    await expect.poll(() => got.length).toBe(1);
    send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    send({
      jsonrpc: '2.0',
      id: 2,
      method: 'tools/call',
      params: { name: 'get_subscriber', arguments: { subscriberId } },
    });
    send({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 2, reason: 'user' } });
    send({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'list_offers', arguments: {} } });
    await expect.poll(() => got.some((m) => m.id === 3)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(wrapped.served).toBe(2);
    expect(got.some((m) => m.id === 2)).toBe(false);
    await close();
  });
});

describe('stdio fast path: how answers are written to stdout', () => {
  /** Answers every OCS request as the emulator does, once the test releases it. */
  let held: ListeningOcs;
  const release: Array<() => void> = [];
  beforeAll(async () => {
    held = await listenOcs(
      createServer((req, res) => {
        void fetch(`${fx.emulator.url}${(req.url ?? '').replace(/^\/ocs\/prov\/v1/, '')}`, {
          headers: { 'x-transaction-id': String(req.headers['x-transaction-id']) },
        }).then(async (answer) => {
          const body = await answer.text();
          release.push(() => res.writeHead(answer.status, { 'content-type': 'application/json' }).end(body));
        });
      }),
    );
  });
  afterAll(() => held?.stop());

  /** A 2025-11-25 connection whose stdout keeps each write apart. */
  async function open() {
    const stdin = new PassThrough();
    const writes: string[] = [];
    const stdout = new Writable({
      write(chunk: Buffer, _encoding, done) {
        writes.push(String(chunk));
        done();
      },
    });
    const config = testConfig(held.base);
    const wrapped = new ToolCallFastStdioTransport(getRuntime(config), { stdin, stdout });
    const handle = serveStdio(() => createOcsMcpServer(config), { transport: wrapped });
    const send = (...messages: Record<string, unknown>[]) =>
      stdin.write(messages.map((m) => `${JSON.stringify(m)}\n`).join(''));
    send({
      jsonrpc: '2.0',
      id: 0,
      method: 'initialize',
      params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'w', version: '1' } },
    });
    await expect.poll(() => writes.length).toBe(1);
    send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    writes.length = 0;
    const ids = (write: string) =>
      write
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => (JSON.parse(line) as { id: unknown }).id);
    return {
      wrapped,
      writes,
      send,
      ids,
      close: async () => {
        stdin.end();
        await handle.close();
      },
    };
  }
  const badCall = (id: number) => ({
    jsonrpc: '2.0',
    id,
    method: 'tools/call',
    params: { name: 'get_subscriber', arguments: {} },
  });

  it('answers ready in the same turn go out in one write, one line each', async () => {
    const { wrapped, writes, send, ids, close } = await open();
    // Refused by the tool's input schema: answered without any I/O, all three in one turn.
    send(badCall(1), badCall(2), badCall(3));
    await expect.poll(() => writes.length).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(writes).toHaveLength(1);
    expect(ids(writes[0] ?? '')).toEqual([1, 2, 3]);
    expect(writes[0]?.endsWith('\n')).toBe(true);
    expect(wrapped.served).toBe(3);
    for (const line of (writes[0] ?? '').trim().split('\n'))
      expect(JSON.parse(line)).toMatchObject({ result: { isError: true } });
    await close();
  });

  it('an answer is not held back by a call still in flight, and the last one in flight is written at once', async () => {
    const { writes, send, ids, close } = await open();
    const get = {
      jsonrpc: '2.0',
      id: 7,
      method: 'tools/call',
      params: { name: 'get_subscriber', arguments: { subscriberId } },
    };
    send(get, badCall(8));
    // The refused call is answered while get_subscriber still waits on the OCS.
    await expect.poll(() => writes.length).toBe(1);
    expect(ids(writes[0] ?? '')).toEqual([8]);
    await expect.poll(() => release.length).toBe(1);
    expect(writes).toHaveLength(1);
    release.shift()?.();
    await expect.poll(() => writes.length).toBe(2);
    expect(ids(writes[1] ?? '')).toEqual([7]);
    expect(JSON.parse(writes[1] ?? '')).toMatchObject({
      id: 7,
      result: { structuredContent: { subscriber: { subscriberId } } },
    });
    await close();
  });
});
