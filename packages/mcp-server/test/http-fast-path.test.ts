import type { IncomingMessage, ServerResponse } from 'node:http';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import type { RunningEmulator } from '@ocsai/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { McpConfig } from '../src/config.js';
import { type McpHttpServerHandle, startMcpHttpServer } from '../src/http.js';
import { createToolCallFastPath } from '../src/http-fast-path.js';
import { closeRuntime, getRuntime } from '../src/runtime.js';
import { tool, toolGroup } from '../src/tool-kit/define-tool.js';
import { freshMsisdn, startTestEmulator, testConfig } from './helpers.js';

/**
 * The fast path (src/http-fast-path.ts) against the SDK path: the same raw requests go to one server
 * with the fast path and one without (`fastPath: false`), both in front of the same emulator, and
 * must get the same status, content type and body. Values that are random per call (generated
 * transaction ids, new entity ids, confirmation tokens, timestamps) are masked before comparing; the
 * bytes around them, key order included, are compared as they are.
 */

const MODERN = '2026-07-28';
const LEGACY = '2025-11-25';
const TOKEN = 'fast-path-operator-token';
const READER = 'fast-path-reader-token';

let emulator: RunningEmulator;
let fastConfig: McpConfig;
let sdkConfig: McpConfig;
let fast: McpHttpServerHandle;
let sdk: McpHttpServerHandle;
let subscriberId: string;
let subscriptionId: string;

beforeAll(async () => {
  emulator = await startTestEmulator();
  const tokensFile = JSON.stringify([
    { token: TOKEN, subject: 'operator', scopes: ['ocs:read', 'ocs:write', 'ocs:irreversible'] },
    { token: READER, subject: 'reader', scopes: ['ocs:read'] },
  ]);
  const { writeFileSync, mkdtempSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const dir = mkdtempSync(join(tmpdir(), 'fast-path-'));
  writeFileSync(join(dir, 'tokens.json'), tokensFile);
  const env = { MCP_AUTH_TOKENS_FILE: join(dir, 'tokens.json') };
  // Two config objects: two runtimes (state, ledger, confirmation store), as two processes would have.
  fastConfig = testConfig(emulator.url, env);
  sdkConfig = testConfig(emulator.url, env);
  fast = await startMcpHttpServer({ ...fastConfig, host: '127.0.0.1', port: 0 });
  sdk = await startMcpHttpServer({ ...sdkConfig, host: '127.0.0.1', port: 0, fastPath: false });
  const created = await fetch(`${emulator.url}/subscribers`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ msisdn: freshMsisdn() }),
  });
  subscriberId = ((await created.json()) as { subscriberId: string }).subscriberId;
  const sub = await fetch(`${emulator.url}/subscribers/${subscriberId}/subscriptions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ offerId: '1000' }),
  });
  subscriptionId = ((await sub.json()) as { subscriptionId: string }).subscriptionId;
});

afterAll(async () => {
  await fast?.close();
  await sdk?.close();
  await closeRuntime(fastConfig);
  await closeRuntime(sdkConfig);
  await emulator?.close();
});

const ENVELOPE = {
  'io.modelcontextprotocol/protocolVersion': MODERN,
  'io.modelcontextprotocol/clientInfo': { name: 'diff', version: '1' },
  'io.modelcontextprotocol/clientCapabilities': {},
};

interface Sent {
  headers: Record<string, string>;
  body: string;
}

/** A tools/call exactly as the SDK client sends it in the given era. */
function toolCall(
  era: 'modern' | 'legacy',
  name: string,
  args: Record<string, unknown> | undefined,
  options: { id?: string | number; capabilities?: Record<string, unknown>; token?: string | null } = {},
): Sent {
  const token = options.token === undefined ? TOKEN : options.token;
  const auth: Record<string, string> = token === null ? {} : { authorization: `Bearer ${token}` };
  const params: Record<string, unknown> = { name, ...(args !== undefined ? { arguments: args } : {}) };
  if (era === 'modern')
    params._meta = {
      ...ENVELOPE,
      'io.modelcontextprotocol/clientCapabilities': options.capabilities ?? {},
    };
  const headers: Record<string, string> =
    era === 'modern'
      ? {
          accept: 'application/json, text/event-stream',
          'content-type': 'application/json',
          'mcp-method': 'tools/call',
          'mcp-name': name,
          'mcp-protocol-version': MODERN,
          ...auth,
        }
      : {
          accept: 'application/json, text/event-stream',
          'content-type': 'application/json',
          'mcp-protocol-version': LEGACY,
          ...auth,
        };
  return {
    headers,
    body: JSON.stringify({ method: 'tools/call', params, jsonrpc: '2.0', id: options.id ?? 7 }),
  };
}

interface Answer {
  status: number;
  contentType: string | null;
  body: string;
}

async function send(server: McpHttpServerHandle, sent: Sent): Promise<Answer> {
  const res = await fetch(server.url, { method: 'POST', headers: sent.headers, body: sent.body });
  return { status: res.status, contentType: res.headers.get('content-type'), body: await res.text() };
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
const ISO_TIME = /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?/g;
const CONFIRMATION = /(confirmation_token\\?":\\?")[A-Za-z0-9_.-]+/g;
const REQUEST_STATE = /("requestState":")[^"]+/g;

/** Masks what is random per call; everything else stays byte for byte. */
const masked = (text: string) =>
  text
    .replace(UUID, '<uuid>')
    .replace(ISO_TIME, '<time>')
    .replace(CONFIRMATION, '$1<token>')
    .replace(REQUEST_STATE, '$1<state>');

/**
 * Sends `sent` to both servers and asserts the same answer; returns the fast server's answer and
 * whether the fast path took it.
 */
async function bothPaths(sent: Sent, exact = false): Promise<{ answer: Answer; fast: boolean }> {
  const before = fast.fastPathCalls;
  const a = await send(fast, sent);
  const tookFastPath = fast.fastPathCalls === before + 1;
  const b = await send(sdk, sent);
  expect(sdk.fastPathCalls).toBe(0);
  expect({ status: a.status, contentType: a.contentType }).toEqual({
    status: b.status,
    contentType: b.contentType,
  });
  if (exact) expect(a.body).toBe(b.body);
  else expect(masked(a.body)).toBe(masked(b.body));
  return { answer: a, fast: tookFastPath };
}

/** The JSON-RPC message of an answer, whichever framing (JSON, or one SSE `message` event). */
function message(answer: Answer): Record<string, unknown> {
  if (answer.contentType?.startsWith('text/event-stream')) {
    const data = answer.body.split('\n').find((line) => line.startsWith('data: '));
    return JSON.parse(data?.slice(6) ?? 'null');
  }
  return JSON.parse(answer.body);
}

const resultOf = (answer: Answer) =>
  message(answer).result as { isError?: boolean; content: { text: string }[]; structuredContent?: unknown };

describe.each(['modern', 'legacy'] as const)('fast path and SDK path answer alike (%s era)', (era) => {
  it('a read: byte for byte, with the caller’s transaction id', async () => {
    const { answer, fast: took } = await bothPaths(
      toolCall(era, 'get_subscriber', { subscriberId, transaction_id: `diff-${era}-read` }),
      true,
    );
    expect(took).toBe(true);
    expect(answer.status).toBe(200);
    expect(answer.contentType).toBe(era === 'modern' ? 'application/json' : 'text/event-stream');
    const result = resultOf(answer);
    expect(result.isError).toBeUndefined();
    expect(result.structuredContent).toMatchObject({ subscriber: { subscriberId } });
  });

  it('a string JSON-RPC id, and a tool that calls no OCS with defaults filled in', async () => {
    const { answer, fast: took } = await bothPaths(toolCall(era, 'list_offers', {}, { id: 'req-1' }), true);
    expect(took).toBe(true);
    expect(message(answer).id).toBe('req-1');
    expect(resultOf(answer).structuredContent).toMatchObject({ total: 5 });
  });

  it('an OCS error: the same isError result', async () => {
    const { answer, fast: took } = await bothPaths(
      toolCall(era, 'get_subscriber', { subscriberId: 'no-such-id', transaction_id: `diff-${era}-404` }),
      true,
    );
    expect(took).toBe(true);
    expect(resultOf(answer)).toMatchObject({ isError: true });
    expect(resultOf(answer).content[0]?.text).toMatch(/was not found/);
  });

  it('input that fails the tool schema: the same validation error text', async () => {
    for (const args of [
      { subscriberId: '../admin' },
      { subscriberId: subscriberId, extra: 1 },
      {},
      undefined,
      { subscriberId: 42 },
    ]) {
      const { answer, fast: took } = await bothPaths(toolCall(era, 'get_subscriber', args), true);
      expect(took).toBe(true);
      expect(resultOf(answer).isError).toBe(true);
      expect(resultOf(answer).content[0]?.text).toMatch(/^Input validation error: Invalid arguments/);
    }
  });

  it('a write: the same result shape and transaction id', async () => {
    const { answer, fast: took } = await bothPaths(
      toolCall(era, 'create_balance', {
        subscriptionId,
        unitType: 'SECONDS',
        balanceAmount: 60,
        balanceAvailable: 60,
      }),
    );
    expect(took).toBe(true);
    expect(resultOf(answer).structuredContent).toMatchObject({ balance: { unitType: 'SECONDS' } });
  });

  it('an irreversible call: the same confirmation-required result, nothing deleted', async () => {
    const { answer, fast: took } = await bothPaths(toolCall(era, 'delete_subscriber', { subscriberId }));
    expect(took).toBe(true);
    expect(resultOf(answer).structuredContent).toMatchObject({ confirmation_required: true });
    expect((await fetch(`${emulator.url}/subscribers/${subscriberId}`)).status).toBe(200);
  });

  it('a confirmation token of another server or for other arguments: refused alike', async () => {
    const first = await send(fast, toolCall(era, 'delete_subscriber', { subscriberId }));
    const token = (resultOf(first).structuredContent as { confirmation_token: string }).confirmation_token;
    const { answer } = await bothPaths(
      toolCall(era, 'delete_subscriber', { subscriberId: 'other', confirmation_token: token }),
      true,
    );
    expect(resultOf(answer).content[0]?.text).toMatch(/Confirmation token refused/);
    expect((await fetch(`${emulator.url}/subscribers/${subscriberId}`)).status).toBe(200);
  });

  it('an unknown tool and a tool outside the token’s scopes: left to the SDK, same error', async () => {
    const unknown = await bothPaths(toolCall(era, 'no_such_tool', {}), true);
    expect(unknown.fast).toBe(false);
    expect(message(unknown.answer).error).toMatchObject({ code: -32602 });
    // The reader token may not write: refused before any path (403 insufficient_scope).
    const write = await bothPaths(
      toolCall(
        era,
        'create_balance',
        { subscriptionId, unitType: 'SECONDS', balanceAmount: 1 },
        { token: READER },
      ),
      true,
    );
    expect(write.fast).toBe(false);
    expect(write.answer.status).toBe(403);
  });
});

describe('what the fast path leaves to the SDK', () => {
  it('a 2026 client that can elicit gets the SDK’s input_required round for an irreversible call', async () => {
    const { answer, fast: took } = await bothPaths(
      toolCall(
        'modern',
        'delete_subscriber',
        { subscriberId },
        { capabilities: { elicitation: { form: {} } } },
      ),
    );
    expect(took).toBe(false);
    expect(message(answer).result).toMatchObject({ resultType: 'input_required' });
  });

  it('a 2026 client that can elicit still gets reads on the fast path', async () => {
    const { fast: took } = await bothPaths(
      toolCall(
        'modern',
        'get_subscriber',
        { subscriberId, transaction_id: 'diff-elicit-read' },
        { capabilities: { elicitation: { form: {} } } },
      ),
      true,
    );
    expect(took).toBe(true);
  });

  it('2025 requests without MCP-Protocol-Version, and with an unsupported one', async () => {
    const plain = toolCall('legacy', 'get_subscriber', { subscriberId, transaction_id: 'diff-nover' });
    delete plain.headers['mcp-protocol-version'];
    expect((await bothPaths(plain, true)).fast).toBe(true);
    const wrong = toolCall('legacy', 'get_subscriber', { subscriberId });
    wrong.headers['mcp-protocol-version'] = '1999-01-01';
    const { answer, fast: took } = await bothPaths(wrong, true);
    expect(took).toBe(false);
    expect(answer.status).toBe(400);
  });

  it('a 2025 request that does not accept SSE gets the SDK’s 406', async () => {
    const sent = toolCall('legacy', 'get_subscriber', { subscriberId });
    sent.headers.accept = 'application/json';
    const { answer, fast: took } = await bothPaths(sent, true);
    expect(took).toBe(false);
    expect(answer.status).toBe(406);
  });

  it('2026 header disagreements get the SDK’s 400 rejections', async () => {
    const cases: Array<(s: Sent) => void> = [
      (s) => {
        s.headers['mcp-name'] = 'get_offer';
      },
      (s) => {
        delete s.headers['mcp-name'];
      },
      (s) => {
        delete s.headers['mcp-method'];
      },
      (s) => {
        s.headers['mcp-method'] = 'tools/list';
      },
      (s) => {
        s.headers['mcp-protocol-version'] = LEGACY;
      },
      (s) => {
        delete s.headers['mcp-protocol-version'];
      },
      (s) => {
        s.body = s.body.replace(
          '"io.modelcontextprotocol/clientCapabilities":{}',
          '"io.modelcontextprotocol/clientCapabilities":7',
        );
      },
      (s) => {
        s.body = s.body.replaceAll(MODERN, '2099-01-01');
        s.headers['mcp-protocol-version'] = '2099-01-01';
      },
    ];
    for (const change of cases) {
      const sent = toolCall('modern', 'get_subscriber', { subscriberId });
      change(sent);
      const { answer, fast: took } = await bothPaths(sent, true);
      expect(took).toBe(false);
      expect(answer.status).toBe(400);
      expect(message(answer).error).toBeDefined();
    }
  });

  it('a message with extra members, an odd id or extra params goes to the SDK', async () => {
    const variants = [
      JSON.stringify({ jsonrpc: '2.0', id: 1.5, method: 'tools/call', params: { name: 'list_offers' } }),
      JSON.stringify({ jsonrpc: '2.0', id: null, method: 'tools/call', params: { name: 'list_offers' } }),
      JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'list_offers' }, x: 1 }),
      JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: { name: 'list_offers', task: {} },
      }),
      JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: { name: 'list_offers', arguments: [] },
      }),
      JSON.stringify({ jsonrpc: '1.0', id: 1, method: 'tools/call', params: { name: 'list_offers' } }),
      // _meta the SDK's request schema reads: a progress token is a string or an integer, a related
      // task is {taskId: string}.
      ...[
        { progressToken: {} },
        { progressToken: 1.5 },
        { progressToken: true },
        { progressToken: null },
        { 'io.modelcontextprotocol/related-task': { taskId: 7 } },
        { 'io.modelcontextprotocol/related-task': 'task-1' },
      ].map((_meta) =>
        JSON.stringify({
          jsonrpc: '2.0',
          id: 1,
          method: 'tools/call',
          params: { name: 'list_offers', _meta },
        }),
      ),
    ];
    for (const body of variants) {
      const sent = toolCall('legacy', 'list_offers', {});
      sent.body = body;
      const { answer, fast: took } = await bothPaths(sent, true);
      expect(took).toBe(false);
      expect(answer.status).not.toBe(500);
    }
  });
});

describe('a tool that binds an argument to an HTTP header', () => {
  it('is left to the SDK, which checks the Mcp-Param-* header against the body', async () => {
    const [def] = toolGroup('subscriber', [
      tool({
        name: 'regional_read',
        title: 'Regional read',
        description: 'A read whose region is mirrored into a header.',
        input: z.object({ region: z.string().meta({ 'x-mcp-header': 'Region' }) }),
        output: z.object({ region: z.string() }),
        effect: 'read',
        callsOcs: false,
        run: async (args) => ({ region: args.region }),
      }),
    ]);
    const [plain] = toolGroup('subscriber', [
      tool({
        name: 'regional_read',
        title: 'Regional read',
        description: 'The same read without the header binding.',
        input: z.object({ region: z.string() }),
        output: z.object({ region: z.string() }),
        effect: 'read',
        callsOcs: false,
        run: async (args) => ({ region: args.region }),
      }),
    ]);
    if (!def || !plain) throw new Error('no tool');
    expect(
      JSON.stringify(def.inputSchema['~standard'].jsonSchema.input({ target: 'draft-2020-12' })),
    ).toMatch(/x-mcp-header/);
    const fastPath = createToolCallFastPath({ ...getRuntime(fastConfig), tools: [def] });
    const sent = toolCall('legacy', 'regional_read', { region: 'eu' });
    const req = { method: 'POST', headers: sent.headers } as unknown as IncomingMessage;
    let written = '';
    const res = {
      once: () => res,
      writeHead: () => res,
      end: (chunk: string) => {
        written = chunk;
      },
    } as unknown as ServerResponse;
    expect(await fastPath.serve(req, res, JSON.parse(sent.body), undefined)).toBe(false);
    expect(written).toBe('');
    // The control: without the binding the same call is answered here.
    const control = createToolCallFastPath({ ...getRuntime(fastConfig), tools: [plain] });
    expect(await control.serve(req, res, JSON.parse(sent.body), undefined)).toBe(true);
    expect(written).toContain('\\"region\\":\\"eu\\"');
  });
});

describe('the fast path under attack: the guards in front of it still answer', () => {
  const noStack = (answer: Answer) => {
    expect(answer.status).not.toBe(500);
    expect(answer.body).not.toMatch(/\n\s+at |node_modules|\.ts:\d+/);
  };

  it('no credential, an unknown one, a malformed header: 401 before anything runs', async () => {
    for (const token of [null, 'not-a-token', 'Bearer x y']) {
      const { answer, fast: took } = await bothPaths(
        toolCall('modern', 'get_subscriber', { subscriberId }, { token }),
        true,
      );
      expect(took).toBe(false);
      expect(answer.status).toBe(401);
      expect(message(answer).error).toMatchObject({ code: -32001 });
      noStack(answer);
    }
  });

  it('a foreign Origin: 403', async () => {
    const sent = toolCall('modern', 'get_subscriber', { subscriberId });
    sent.headers.origin = 'http://evil.example.com';
    const { answer, fast: took } = await bothPaths(sent, true);
    expect(took).toBe(false);
    expect(answer.status).toBe(403);
    noStack(answer);
  });

  it('an oversized body: 413; malformed JSON: 400 parse error; a JSON bomb: 400', async () => {
    const big = toolCall('modern', 'get_subscriber', { subscriberId, pad: 'x'.repeat(1024 * 1024) });
    const tooBig = await bothPaths(big, true);
    expect(tooBig.answer.status).toBe(413);
    noStack(tooBig.answer);
    const broken = toolCall('modern', 'get_subscriber', { subscriberId });
    broken.body = broken.body.slice(0, -3);
    const parse = await bothPaths(broken, true);
    expect(parse.answer.status).toBe(400);
    expect(message(parse.answer).error).toMatchObject({ code: -32700 });
    noStack(parse.answer);
    const deep = toolCall('modern', 'get_subscriber', { subscriberId });
    deep.body = `${'['.repeat(100)}${']'.repeat(100)}`;
    const bomb = await bothPaths(deep, true);
    expect(bomb.answer.status).toBe(400);
    noStack(bomb.answer);
  });

  it('a non-JSON content type goes to the SDK and gets 415', async () => {
    const sent = toolCall('modern', 'get_subscriber', { subscriberId });
    sent.headers['content-type'] = 'text/plain';
    const { answer, fast: took } = await bothPaths(sent, true);
    expect(took).toBe(false);
    expect(answer.status).toBe(415);
  });

  it('a prompt-injected delegation claim from a token without `delegate` is ignored on both paths', async () => {
    const sent = toolCall('legacy', 'get_subscriber', { subscriberId, transaction_id: 'diff-delegate' });
    const body = JSON.parse(sent.body);
    body.params._meta = { 'ocs-ai/principal': 'admin', 'ocs-ai/user_id': 'root' };
    sent.body = JSON.stringify(body);
    const { fast: took } = await bothPaths(sent, true);
    expect(took).toBe(true);
  });
});

describe('real SDK clients on the fast path', () => {
  it('both eras call tools through it and validate the results', async () => {
    for (const mode of [{ pin: MODERN } as const, 'legacy' as const]) {
      const client = new Client({ name: 'fast', version: '1' }, { versionNegotiation: { mode } });
      await client.connect(
        new StreamableHTTPClientTransport(new URL(fast.url), {
          requestInit: { headers: { authorization: `Bearer ${TOKEN}` } },
        }),
      );
      const before = fast.fastPathCalls;
      const r = await client.callTool({ name: 'get_subscriber', arguments: { subscriberId } });
      expect(r.isError).toBeUndefined();
      expect(r.structuredContent).toMatchObject({ subscriber: { subscriberId } });
      expect(fast.fastPathCalls).toBe(before + 1);
      await client.close();
    }
  });
});

describe('how the fast path frames its answer', () => {
  /**
   * One POST written by hand on a connection of its own, read as raw bytes for 300 ms after it: the
   * head as sent, the body after it, and whether the server closed the connection (FIN).
   */
  async function rawPost(sent: Sent, connection: 'close' | 'keep-alive') {
    const { connect } = await import('node:net');
    const url = new URL(fast.url);
    const body = Buffer.from(sent.body);
    const head = [
      `POST ${url.pathname} HTTP/1.1`,
      `host: ${url.host}`,
      `connection: ${connection}`,
      `content-length: ${body.length}`,
      ...Object.entries(sent.headers).map(([name, value]) => `${name}: ${value}`),
    ].join('\r\n');
    const socket = connect(Number(url.port), url.hostname);
    socket.write(`${head}\r\n\r\n`);
    socket.write(body);
    let raw = Buffer.alloc(0);
    let ended = false;
    const endedNow = new Promise<void>((resolve) =>
      socket.once('end', () => {
        ended = true;
        resolve();
      }),
    );
    // The whole answer first (its head, then as many bytes as its Content-Length says, if any).
    await new Promise<void>((resolve) => {
      const onData = (c: Buffer) => {
        raw = Buffer.concat([raw, c]);
        const at = raw.indexOf('\r\n\r\n');
        const length = /\r\ncontent-length: (\d+)/i.exec(raw.subarray(0, at).toString('latin1'));
        if (at !== -1 && (!length || raw.length >= at + 4 + Number(length[1]))) {
          socket.off('data', onData);
          resolve();
        }
      };
      socket.on('data', onData);
      void endedNow.then(() => resolve());
    });
    await Promise.race([endedNow, new Promise((resolve) => setTimeout(resolve, 300))]);
    const serverClosed = ended;
    socket.destroy();
    const split = raw.indexOf('\r\n\r\n');
    const headers: Record<string, string> = {};
    for (const line of raw.subarray(0, split).toString('latin1').split('\r\n').slice(1)) {
      const colon = line.indexOf(':');
      headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
    }
    return { headers, body: raw.subarray(split + 4), serverClosed };
  }

  for (const era of ['legacy', 'modern'] as const) {
    it(`a ${era} answer carries a Content-Length, no chunked framing, and honours Connection: close`, async () => {
      const before = fast.fastPathCalls;
      const closing = await rawPost(toolCall(era, 'get_subscriber', { subscriberId }), 'close');
      const kept = await rawPost(toolCall(era, 'get_subscriber', { subscriberId }), 'keep-alive');
      expect(fast.fastPathCalls).toBe(before + 2);
      for (const answer of [closing, kept]) {
        expect(answer.headers['content-type']).toBe(
          era === 'legacy' ? 'text/event-stream' : 'application/json',
        );
        expect(answer.headers['transfer-encoding']).toBeUndefined();
        expect(answer.headers['content-length']).toBe(String(answer.body.length));
        const text = answer.body.toString('utf8');
        const json =
          era === 'legacy' ? text.replace(/^event: message\ndata: /, '').replace(/\n\n$/, '') : text;
        expect(JSON.parse(json).result.structuredContent.subscriber.subscriberId).toBe(subscriberId);
      }
      expect(closing.headers.connection).toBe('close');
      expect(closing.serverClosed).toBe(true);
      expect(kept.headers.connection).toBe('keep-alive');
      expect(kept.serverClosed).toBe(false);
    });
  }

  it('an answer the SDK writes (over SSE) honours Connection: close too', async () => {
    const before = fast.fastPathCalls;
    const toolsList = toolCall('legacy', 'get_subscriber', { subscriberId });
    toolsList.body = JSON.stringify({ method: 'tools/list', params: {}, jsonrpc: '2.0', id: 8 });
    const closing = await rawPost(toolsList, 'close');
    const kept = await rawPost(toolsList, 'keep-alive');
    expect(fast.fastPathCalls).toBe(before);
    for (const answer of [closing, kept]) {
      expect(answer.headers['content-type']).toBe('text/event-stream');
      expect(answer.body.toString('utf8')).toContain('"name":"get_subscriber"');
    }
    expect(closing.headers.connection).toBe('close');
    expect(closing.serverClosed).toBe(true);
    expect(kept.headers.connection).toBe('keep-alive');
    expect(kept.serverClosed).toBe(false);
  });
});
