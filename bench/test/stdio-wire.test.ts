// bench/stdio-wire.mjs, the load generator's raw stdio MCP client, against the built ocs-mcp bin in
// both protocol eras: the answers it returns are the ones the official SDK client gets, and a
// JSON-RPC error or an isError result rejects. Correctness only, never speed.

import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { type RunningEmulator, startEmulator } from '@ocsai/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

interface StdioWire {
  pid: number;
  era: string;
  call(name: string, args?: Record<string, unknown>): Promise<Record<string, unknown>>;
  request(method: string, params?: Record<string, unknown>): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}
interface StdioWireModule {
  startStdioWire(options: {
    command: string;
    args?: string[];
    env?: Record<string, string>;
    cwd?: string;
    era?: '2025-11-25' | '2026-07-28';
  }): Promise<StdioWire>;
  StdioWireError: new (...args: never[]) => Error & { answer: unknown };
}

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = fileURLToPath(new URL('../../packages/mcp-server/dist/bin.js', import.meta.url));
let wireModule: StdioWireModule;
let emulator: RunningEmulator;
let env: Record<string, string>;
let subscriberId: string;

beforeAll(async () => {
  execFileSync('npx', ['tsc', '-b', 'packages/mcp-server/tsconfig.build.json'], { cwd: ROOT, stdio: 'pipe' });
  wireModule = (await import(new URL('../stdio-wire.mjs', import.meta.url).href)) as StdioWireModule;
  emulator = await startEmulator({ port: 0, db: ':memory:', logger: false });
  env = { PATH: process.env.PATH ?? '', OCS_API_URL: emulator.url, LOG_LEVEL: 'warn' };
  const created = await fetch(`${emulator.url}/subscribers`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ msisdn: '4366409990001' }),
  });
  subscriberId = ((await created.json()) as { subscriberId: string }).subscriberId;
}, 120_000);
afterAll(async () => emulator?.close());

describe.each(['2025-11-25', '2026-07-28'] as const)('stdio-wire, %s', (era) => {
  it('answers a tools/call as the SDK client does; errors reject', async () => {
    const wire = await wireModule.startStdioWire({
      command: process.execPath,
      args: [BIN],
      env,
      cwd: ROOT,
      era,
    });
    const transport = new StdioClientTransport({ command: process.execPath, args: [BIN], env, cwd: ROOT });
    const client = new Client(
      { name: 'sdk', version: '1' },
      era === '2026-07-28' ? { versionNegotiation: { mode: { pin: era } } } : {},
    );
    try {
      await client.connect(transport);
      const args = { subscriberId, transaction_id: `wire-${era}` };
      const [raw, sdk] = await Promise.all([
        wire.call('get_subscriber', args),
        client.callTool({ name: 'get_subscriber', arguments: args }),
      ]);
      expect(raw.structuredContent).toEqual(sdk.structuredContent);
      expect(raw.content).toEqual(sdk.content);
      if (era === '2026-07-28') expect(raw.resultType).toBe('complete');
      // Calls in flight together are matched to their own replies.
      const ids = await Promise.all(
        [1, 2, 3].map(async (n) => {
          const r = await wire.call('get_subscriber', { subscriberId, transaction_id: `many-${n}` });
          return (r.structuredContent as { transaction_id: string }).transaction_id;
        }),
      );
      expect(ids).toEqual(['many-1', 'many-2', 'many-3']);
      await expect(wire.call('get_subscriber', { subscriberId: 'nope' })).rejects.toThrow(/isError/);
      await expect(wire.call('no_such_tool', {})).rejects.toBeInstanceOf(wireModule.StdioWireError);
      expect(wire.pid).toBeGreaterThan(0);
    } finally {
      await client.close();
      await wire.close();
    }
  }, 60_000);
});

describe('the Node floor over stdio (node-floor.mjs --stdio)', () => {
  it('answers the handshake and the same OCS record the server returns, calls in flight matched by id', async () => {
    const floorScript = fileURLToPath(new URL('../node-floor.mjs', import.meta.url));
    const floor = await wireModule.startStdioWire({
      command: process.execPath,
      args: [floorScript, '--stdio'],
      env,
      cwd: ROOT,
    });
    const server = await wireModule.startStdioWire({
      command: process.execPath,
      args: [BIN],
      env,
      cwd: ROOT,
    });
    try {
      const [fromFloor, fromServer] = await Promise.all([
        floor.call('get_subscriber', { subscriberId }),
        server.call('get_subscriber', { subscriberId }),
      ]);
      // The server answers {subscriber, transaction_id}; the floor passes the OCS's record on as it is.
      const { subscriber: record } = fromServer.structuredContent as { subscriber: Record<string, unknown> };
      expect(record.subscriberId).toBe(subscriberId);
      expect(fromFloor.structuredContent).toEqual(record);
      const [text] = fromFloor.content as Array<{ type: string; text: string }>;
      expect(text?.type).toBe('text');
      expect(JSON.parse(text?.text ?? '')).toEqual(record);
      const many = await Promise.all([1, 2, 3].map(() => floor.call('get_subscriber', { subscriberId })));
      for (const answer of many) expect(answer.structuredContent).toEqual(record);
    } finally {
      await floor.close();
      await server.close();
    }
  }, 60_000);
});
