// biome-ignore-all lint/suspicious/noTemplateCurlyInString: mcp.json ${VAR} references under test
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { loadMcpConfig, startMcpHttpServer } from '@ocsai/mcp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMcpConfig } from '../../src/mcp/mcp-config.js';
import { McpServerSet } from '../../src/mcp/mcp-server-set.js';
import type { ProviderAdapter } from '../../src/providers/types.js';
import { MemoryPendingConfirmationStore } from '../../src/stores/pending-confirmations/memory.js';
import { ToolLoop } from '../../src/tool-loop/tool-loop.js';
import { type FakeServer, startFakeOpenAI } from '../fakes/index.js';
import { buildPackages } from '../resilience/spawned-service.js';
import { adapterFor, collect } from './loop-harness.js';
import { type OcsStack, provisionedState, provisioningScript, startOcsStack } from './ocs-stack.js';

const root = fileURLToPath(new URL('../../../../', import.meta.url));

/**
 * An OCS in front of the emulator that can be told to hold requests: a tool call then hangs
 * inside the MCP server, so the test can kill or close that server mid-call.
 */
async function startHoldingProxy(target: string) {
  let hold: ((request: IncomingMessage) => void) | undefined;
  const held: ServerResponse[] = [];
  const server: Server = createServer(async (req, res) => {
    if (hold) {
      held.push(res);
      hold(req);
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers: Record<string, string> = {};
    for (const [key, value] of Object.entries(req.headers)) {
      if (typeof value === 'string' && key !== 'host' && key !== 'content-length') headers[key] = value;
    }
    const upstream = await fetch(`${target}${req.url?.replace(/^\/ocs\/prov\/v1/, '') ?? ''}`, {
      method: req.method ?? 'GET',
      headers,
      ...(chunks.length ? { body: Buffer.concat(chunks) } : {}),
    });
    res.writeHead(upstream.status, {
      'content-type': upstream.headers.get('content-type') ?? 'application/json',
    });
    res.end(Buffer.from(await upstream.arrayBuffer()));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/ocs/prov/v1`,
    holdNext(onHeld: () => void) {
      hold = () => {
        hold = undefined;
        onHeld();
      };
    },
    close() {
      for (const res of held) res.destroy();
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

let stack: OcsStack;
let proxy: Awaited<ReturnType<typeof startHoldingProxy>>;
let fake: FakeServer;
let adapter: ProviderAdapter;

beforeAll(async () => {
  // The stdio test runs the MCP server's real bin (tsc -b, under the lock parallel test files share).
  buildPackages(['mcp-server']);
  stack = await startOcsStack();
  proxy = await startHoldingProxy(stack.emulator.url);
  fake = await startFakeOpenAI();
  adapter = adapterFor('openai', fake);
}, 120_000);
afterAll(async () => {
  await adapter?.close?.();
  await fake?.close();
  await proxy?.close();
  await stack?.close();
});

function loopOver(servers: McpServerSet) {
  return new ToolLoop({ servers, roles: {}, pending: new MemoryPendingConfirmationStore() });
}

const ask = (loop: ToolLoop, text: string) =>
  collect(
    loop.run({
      adapter,
      chat: { model: 'gpt-fake', messages: [{ role: 'user', content: text }] },
      stream: false,
      access: {},
      principal: 'local',
      userId: 'ops',
    }),
  );

describe('MCP servers failing under the tool loop', () => {
  it('provisions over stdio with the real bin, survives the process being killed mid-call, then reconnects', async () => {
    // mcp.json as a user writes it: the OCS URL comes from the router's environment.
    const config = parseMcpConfig(
      {
        mcpServers: {
          ocs: {
            command: process.execPath,
            args: ['${MCP_SERVER_BIN}'],
            env: { OCS_API_URL: '${TEST_OCS_URL}', LOG_LEVEL: 'silent' },
            trusted: true,
          },
        },
      },
      { MCP_SERVER_BIN: `${root}packages/mcp-server/dist/bin.js`, TEST_OCS_URL: proxy.url },
    );
    const servers = new McpServerSet(config, { timeoutMs: 10_000, toolsTtlMs: 60_000 });
    const loop = loopOver(servers);
    try {
      fake.setScript(provisioningScript('+43 660 7654321'));
      const provisioned = await ask(loop, 'Provision +43 660 7654321');
      expect(provisioned.outcome.finishReason).toBe('stop');
      const state = await provisionedState(stack, '436607654321');
      expect(state?.subscriptions).toEqual([expect.objectContaining({ offerId: '1003', state: 'active' })]);

      const connection = servers.connection('ocs');
      const pid = connection?.processId;
      expect(pid).toBeGreaterThan(0);
      proxy.holdNext(() => process.kill(pid as number, 'SIGKILL'));
      fake.setScript([
        { toolCalls: [{ id: 'k1', name: 'create_subscriber', arguments: { msisdn: '436607654322' } }] },
        { text: 'The OCS tool server stopped while creating the subscriber; please check before retrying.' },
      ]);
      const crashed = await ask(loop, 'Create 436607654322');
      expect(crashed.outcome.content).toContain('please check before retrying');
      expect(crashed.outcome.toolCalls[0]).toMatchObject({ id: 'k1', is_error: true, server: 'ocs' });
      expect(JSON.stringify(crashed.outcome.toolCalls[0]?.result)).toContain(
        'was not repeated because create_subscriber is not known to be read-only or idempotent',
      );
      const lastBody = fake.requests.at(-1)?.body as
        | { messages: { role: string; content: string }[] }
        | undefined;
      const toolMessage = lastBody?.messages.find((m) => m.role === 'tool');
      expect(toolMessage?.content).toContain('is_error="true"');

      fake.setScript([
        { toolCalls: [{ id: 'l1', name: 'lookup_subscriber', arguments: { msisdn: '+43 660 7654321' } }] },
        { text: 'Found it.' },
      ]);
      const after = await ask(loop, 'Look up +43 660 7654321');
      expect(after.outcome.toolCalls[0]).toMatchObject({ is_error: false });
      expect(connection?.processId).not.toBe(pid);
    } finally {
      await servers.close();
    }
  });

  it('an HTTP MCP server closed mid-call gives the model a clear tool error and /ask still answers', async () => {
    const mcp = await startMcpHttpServer({
      ...loadMcpConfig({ OCS_API_URL: proxy.url, LOG_LEVEL: 'silent' }),
      host: '127.0.0.1',
      port: 0,
    });
    const servers = new McpServerSet(
      {
        servers: [
          {
            name: 'ocs',
            transport: 'http',
            url: mcp.url,
            headers: {},
            trusted: true,
            protocolVersion: 'auto',
          },
        ],
        roles: {},
      },
      { timeoutMs: 10_000, toolsTtlMs: 60_000 },
    );
    const loop = loopOver(servers);
    try {
      proxy.holdNext(() => void mcp.close());
      fake.setScript([
        { toolCalls: [{ id: 'h1', name: 'create_subscriber', arguments: { msisdn: '436607654323' } }] },
        { text: 'The tool server went away; nothing may have been created.' },
      ]);
      const { outcome } = await ask(loop, 'Create 436607654323');
      expect(outcome.finishReason).toBe('stop');
      expect(outcome.content).toContain('went away');
      expect(outcome.toolCalls[0]).toMatchObject({ id: 'h1', is_error: true });
      expect(JSON.stringify(outcome.toolCalls[0]?.result)).toMatch(/MCP server \\"ocs\\"/);
    } finally {
      await servers.close();
      await mcp.close();
    }
  });
});
