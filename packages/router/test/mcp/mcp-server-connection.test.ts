import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { McpCallError } from '../../src/mcp/mcp-call-error.js';
import type { HttpServerConfig, StdioServerConfig } from '../../src/mcp/mcp-config.js';
import { McpServerConnection } from '../../src/mcp/mcp-server-connection.js';
import { exposedToolName, McpServerSet } from '../../src/mcp/mcp-server-set.js';
import {
  inputRequired,
  type ScriptedMcpServer,
  startScriptedMcpServer,
  text,
} from './fixtures/scripted-mcp-server.js';

const READ_ONLY = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false };
const httpConfig = (url: string, extra: Partial<HttpServerConfig> = {}): HttpServerConfig => ({
  name: 'test',
  transport: 'http',
  url,
  headers: {},
  trusted: true,
  protocolVersion: 'auto',
  ...extra,
});
const options = { timeoutMs: 5_000, toolsTtlMs: 60_000 };

describe('MCP connection over Streamable HTTP', () => {
  let server: ScriptedMcpServer;
  let release: (() => void) | undefined;
  const confirmSchema = {
    type: 'object',
    properties: { confirm: { type: 'boolean' } },
    required: ['confirm'],
  };

  beforeAll(async () => {
    server = await startScriptedMcpServer({
      pageSize: 2,
      tools: [
        { name: 'one', annotations: READ_ONLY, handler: () => text('1') },
        { name: 'two', handler: () => text('2') },
        { name: 'three', handler: () => text('3') },
        { name: 'four', handler: () => text('4') },
        {
          name: 'wipe',
          annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true },
          handler: (args, { inputResponses, requestState }) => {
            const answer = inputResponses?.confirm as
              | { action?: string; content?: { confirm?: boolean } }
              | undefined;
            if (answer?.action !== 'accept' || answer.content?.confirm !== true) {
              return inputRequired({
                inputRequests: {
                  confirm: inputRequired.elicit({
                    message: `Wipe ${String(args.id)}?`,
                    requestedSchema: confirmSchema as never,
                  }),
                },
                requestState: `state-${String(args.id)}`,
              });
            }
            return text(`wiped ${String(args.id)} (${requestState})`);
          },
        },
        {
          name: 'crash_once',
          handler: () => {
            if (!release) {
              release = () => {};
              server.dropConnections();
              return new Promise(() => {});
            }
            return text('second attempt');
          },
        },
        {
          name: 'crash_read',
          annotations: READ_ONLY,
          handler: () => {
            if (release) {
              release = undefined;
              server.dropConnections();
              return new Promise(() => {});
            }
            return text('read again');
          },
        },
        {
          name: 'sleep',
          annotations: READ_ONLY,
          handler: () => new Promise((resolve) => setTimeout(() => resolve(text('late')), 2_000)),
        },
      ],
    });
  });
  afterAll(() => server.close());

  it('pages through nextCursor, caches the list, and refreshes it after the TTL', async () => {
    let now = 1_000;
    const connection = new McpServerConnection(httpConfig(server.url), { ...options, now: () => now });
    server.listCursors.length = 0;
    const tools = await connection.listTools();
    expect(tools.map((tool) => tool.name)).toEqual([
      'one',
      'two',
      'three',
      'four',
      'wipe',
      'crash_once',
      'crash_read',
      'sleep',
    ]);
    expect(server.listCursors).toEqual([null, 'page-2', 'page-4', 'page-6']);
    await connection.listTools();
    expect(server.listCursors).toHaveLength(4);
    now += 60_001;
    await connection.listTools();
    expect(server.listCursors).toHaveLength(8);
    expect(connection.protocolEra).toBe('modern');
    await connection.close();
    await expect(connection.listTools()).rejects.toThrow(/is closed/);
  });

  it('hands back input_required (modern era) and completes when retried with the answers', async () => {
    const connection = new McpServerConnection(httpConfig(server.url), options);
    const first = await connection.callTool('wipe', { id: 'A1' }, { retryable: false });
    expect(first).toMatchObject({ kind: 'input_required', requestState: 'state-A1' });
    const second = await connection.callTool(
      'wipe',
      { id: 'A1' },
      {
        retryable: false,
        inputResponses: { confirm: { action: 'accept', content: { confirm: true } } },
        requestState: 'state-A1',
      },
    );
    expect(second).toEqual({
      kind: 'complete',
      result: expect.objectContaining({ content: [{ type: 'text', text: 'wiped A1 (state-A1)' }] }),
    });
    await connection.close();
  });

  it('speaks the 2025 era when told to, without declaring elicitation', async () => {
    const connection = new McpServerConnection(
      httpConfig(server.url, { protocolVersion: 'legacy' }),
      options,
    );
    const outcome = await connection.callTool('one', {}, { retryable: true });
    expect(connection.protocolEra).toBe('legacy');
    expect(outcome).toMatchObject({ kind: 'complete', result: { content: [{ type: 'text', text: '1' }] } });
    await connection.close();
  });

  it('does not repeat a non-idempotent call whose connection died mid-call; repeats a read-only one', async () => {
    const connection = new McpServerConnection(httpConfig(server.url), options);
    const lost = await connection
      .callTool('crash_once', {}, { retryable: false })
      .catch((error: unknown) => error);
    expect(lost).toBeInstanceOf(McpCallError);
    expect(lost).toMatchObject({ kind: 'connection_lost' });
    expect((lost as Error).message).toMatch(
      /not repeated because crash_once is not known to be read-only or idempotent/,
    );
    const again = await connection.callTool('crash_read', {}, { retryable: true });
    expect(again).toMatchObject({
      kind: 'complete',
      result: { content: [{ type: 'text', text: 'read again' }] },
    });
    await connection.close();
  });

  it('times out a slow call, and reports a protocol error and an unreachable server clearly', async () => {
    const connection = new McpServerConnection(httpConfig(server.url), { ...options, timeoutMs: 300 });
    await expect(connection.callTool('sleep', {}, { retryable: true })).rejects.toMatchObject({
      kind: 'timeout',
      message: 'MCP server "test" did not answer sleep within 300 ms',
    });
    await connection.close();
    const dead = new McpServerConnection(httpConfig('http://127.0.0.1:9/mcp', { name: 'gone' }), options);
    await expect(dead.callTool('one', {}, { retryable: false })).rejects.toMatchObject({
      kind: 'unavailable',
    });
    await expect(dead.listTools()).rejects.toThrow(/MCP server "gone" is unavailable/);
    await dead.close();
  });

  it('aborts a call when the request is cancelled', async () => {
    const connection = new McpServerConnection(httpConfig(server.url), options);
    const controller = new AbortController();
    const call = connection.callTool('sleep', {}, { retryable: true, signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await expect(call).rejects.toMatchObject({ kind: 'aborted' });
    await connection.close();
  });
});

describe('a 2025-era server with sessions', () => {
  it('opens a new session when the server forgot the old one (restart)', async () => {
    const server = await startScriptedMcpServer({
      stateful: true,
      tools: [
        {
          name: 'write',
          annotations: { readOnlyHint: false, idempotentHint: false },
          handler: () => text('written'),
        },
      ],
    });
    const connection = new McpServerConnection(
      httpConfig(server.url, { protocolVersion: 'legacy' }),
      options,
    );
    try {
      await connection.callTool('write', {}, { retryable: false });
      expect(server.sessionsOpened).toBe(1);
      server.forgetSessions();
      // The old session is refused before anything runs, so even a non-idempotent call is safe to resend.
      const again = await connection.callTool('write', {}, { retryable: false });
      expect(again).toMatchObject({
        kind: 'complete',
        result: { content: [{ type: 'text', text: 'written' }] },
      });
      expect(server.sessionsOpened).toBe(2);
      expect(server.calls.filter((call) => call.name === 'write')).toHaveLength(2);
    } finally {
      await connection.close();
      await server.close();
    }
  });
});

describe('several servers', () => {
  let a: ScriptedMcpServer;
  let b: ScriptedMcpServer;
  beforeAll(async () => {
    a = await startScriptedMcpServer({
      tools: [{ name: 'lookup', annotations: READ_ONLY, handler: () => text('from a') }],
    });
    b = await startScriptedMcpServer({
      tools: [
        { name: 'lookup', annotations: READ_ONLY, handler: () => text('from b') },
        { name: 'weird.name', handler: () => text('dot') },
      ],
    });
  });
  afterAll(async () => {
    await a.close();
    await b.close();
  });

  it('namespaces tool names by server when more than one is configured, and routes calls', async () => {
    const set = new McpServerSet(
      {
        servers: [httpConfig(a.url, { name: 'alpha' }), httpConfig(b.url, { name: 'beta', trusted: false })],
        roles: {},
      },
      options,
    );
    expect(set.namespaced).toBe(true);
    const listing = await set.listTools();
    expect(listing.tools.map((tool) => tool.exposedName)).toEqual([
      'alpha__lookup',
      'beta__lookup',
      'beta__weird_name_' + exposedToolName('beta', 'weird.name', true).slice(-8),
    ]);
    const [alpha, beta] = listing.tools;
    expect(alpha?.traits).toEqual({ readOnly: true, destructive: false, idempotent: true });
    // Untrusted server: its read-only annotation is ignored.
    expect(beta?.traits).toEqual({ readOnly: false, destructive: true, idempotent: false });
    const result = await set.callTool(beta!, {}, { retryable: false });
    expect(result).toMatchObject({
      kind: 'complete',
      result: { content: [{ type: 'text', text: 'from b' }] },
    });
    expect((await set.listTools(['alpha'])).tools.map((tool) => tool.server)).toEqual(['alpha']);
    await set.close();
  });

  it('keeps plain names with one server and reports a server that is down', async () => {
    const single = new McpServerSet({ servers: [httpConfig(a.url, { name: 'alpha' })], roles: {} }, options);
    expect((await single.listTools()).tools.map((tool) => tool.exposedName)).toEqual(['lookup']);
    await single.close();
    const withDead = new McpServerSet(
      {
        servers: [
          httpConfig(a.url, { name: 'alpha' }),
          httpConfig('http://127.0.0.1:9/mcp', { name: 'dead' }),
        ],
        roles: {},
      },
      options,
    );
    const listing = await withDead.listTools();
    expect(listing.tools.map((tool) => tool.exposedName)).toEqual(['alpha__lookup']);
    expect(listing.unavailable).toEqual([
      { server: 'dead', message: expect.stringContaining('MCP server "dead" is unavailable') },
    ]);
    await withDead.close();
  });

  it('keeps long or unusual names within provider limits', () => {
    expect(exposedToolName('ocs', 'lookup_subscriber', false)).toBe('lookup_subscriber');
    expect(exposedToolName('ocs', 'lookup_subscriber', true)).toBe('ocs__lookup_subscriber');
    const long = exposedToolName('server', 'x'.repeat(100), true);
    expect(long).toMatch(/^[A-Za-z0-9_-]{64}$/);
    expect(long).not.toBe(exposedToolName('server', `${'x'.repeat(99)}y`, true));
  });
});

describe('MCP connection over stdio', () => {
  const script = fileURLToPath(new URL('./fixtures/stdio-test-server.mjs', import.meta.url));
  const dir = mkdtempSync(join(tmpdir(), 'router-stdio-'));
  const stdio = (extra: Partial<StdioServerConfig> = {}): StdioServerConfig => ({
    name: 'local',
    transport: 'stdio',
    command: process.execPath,
    args: [script],
    env: { GREETING: 'hello' },
    trusted: true,
    protocolVersion: 'auto',
    ...extra,
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('passes only the configured environment and reconnects after the process is killed', async () => {
    process.env.ROUTER_SECRET = 'must-not-leak';
    const connection = new McpServerConnection(stdio(), options);
    try {
      const first = await connection.callTool('whoami', {}, { retryable: true });
      const who = JSON.parse((first as { result: { content: { text: string }[] } }).result.content[0]!.text);
      expect(who).toMatchObject({ greeting: 'hello', secret: null });

      const hanging = connection.callTool('hang_write', {}, { retryable: false });
      await new Promise((resolve) => setTimeout(resolve, 100));
      process.kill(who.pid, 'SIGKILL');
      await expect(hanging).rejects.toMatchObject({ kind: 'connection_lost' });

      const after = await connection.callTool('whoami', {}, { retryable: true });
      const again = JSON.parse(
        (after as { result: { content: { text: string }[] } }).result.content[0]!.text,
      );
      expect(again.pid).not.toBe(who.pid);
    } finally {
      delete process.env.ROUTER_SECRET;
      await connection.close();
    }
  });

  it('refreshes the tool list on notifications/tools/list_changed', async () => {
    const connection = new McpServerConnection(stdio({ protocolVersion: 'legacy' }), options);
    try {
      expect((await connection.listTools()).map((tool) => tool.name)).not.toContain('extra_tool');
      await connection.callTool('add_tool', {}, { retryable: false });
      let names: string[] = [];
      for (let attempt = 0; attempt < 50 && !names.includes('extra_tool'); attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        names = (await connection.listTools()).map((tool) => tool.name);
      }
      expect(names).toContain('extra_tool');
    } finally {
      await connection.close();
    }
  });

  it('a spawn that fails is reported as unavailable', async () => {
    const marker = join(dir, 'never');
    const connection = new McpServerConnection(stdio({ command: join(dir, 'no-such-binary'), args: [] }), {
      ...options,
      timeoutMs: 2_000,
    });
    await expect(connection.callTool('whoami', {}, { retryable: true })).rejects.toMatchObject({
      kind: 'unavailable',
    });
    expect(existsSync(marker)).toBe(false);
    writeFileSync(marker, '');
    await connection.close();
  });
});
