// What the MCP scenario compares must be the same OCS work: for each operation, the direct REST call, ocs-mcp's
// tool call and the Node floor's send the OCS the same requests (method, path, body type), each with an
// X-Transaction-ID, one per call and the same on every OCS call of that call. A POST with a client transaction
// id costs the emulator a replay record, so a direct call without one would be a cheaper request than the tool's.

import { execFileSync } from 'node:child_process';
import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { type RunningEmulator, startEmulator } from '@ocsai/emulator';
import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

interface Seen {
  method: string;
  path: string;
  contentType: string | undefined;
  transactionId: string | undefined;
}
interface Operation {
  name: string;
  rest(i: number): Promise<unknown>;
  args(i: number): Record<string, unknown>;
}
interface StdioWire {
  call(name: string, args?: Record<string, unknown>): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = fileURLToPath(new URL('../../packages/mcp-server/dist/bin.js', import.meta.url));
const FLOOR = fileURLToPath(new URL('../node-floor.mjs', import.meta.url));

let emulator: RunningEmulator;
let recorder: Server;
let recorderUrl: string;
let operations: Operation[];
let startStdioWire: (options: {
  command: string;
  args?: string[];
  env?: Record<string, string>;
  cwd?: string;
}) => Promise<StdioWire>;
const dispatcher = new Agent({ connections: 2 });
const seen: Seen[] = [];

/** A pass-through proxy in front of the emulator that records what reaches the OCS. */
function startRecorder(target: URL): Promise<Server> {
  const server = createServer((req, res) => {
    const headers: IncomingHttpHeaders = req.headers;
    const transactionId = headers['x-transaction-id'];
    seen.push({
      method: req.method ?? '',
      path: req.url ?? '',
      contentType: headers['content-type'],
      transactionId: Array.isArray(transactionId) ? transactionId.join(',') : transactionId,
    });
    const upstream = httpRequest(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    req.pipe(upstream);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

beforeAll(async () => {
  execFileSync('npx', ['tsc', '-b', 'packages/mcp-server/tsconfig.build.json'], { cwd: ROOT, stdio: 'pipe' });
  emulator = await startEmulator({ port: 0, db: ':memory:', logger: false });
  const target = new URL(emulator.url);
  recorder = await startRecorder(target);
  recorderUrl = `http://127.0.0.1:${(recorder.address() as AddressInfo).port}${target.pathname}`;
  const emulatorScenario = await import(new URL('../scenarios/emulator.mjs', import.meta.url).href);
  const [subscriber] = await emulatorScenario.seed(emulator.url, 1);
  const mcpScenario = await import(new URL('../scenarios/mcp.mjs', import.meta.url).href);
  operations = mcpScenario.mcpOperations(recorderUrl, dispatcher, () => subscriber);
  ({ startStdioWire } = await import(new URL('../stdio-wire.mjs', import.meta.url).href));
}, 120_000);
afterAll(async () => {
  await dispatcher.close();
  recorder?.closeAllConnections();
  await new Promise((resolve) => recorder?.close(resolve));
  await emulator?.close();
});

/** What one call sent the OCS, with the transaction ids checked and then left out (they differ per call). */
async function requestsOf(call: () => Promise<unknown>): Promise<Array<Omit<Seen, 'transactionId'>>> {
  seen.length = 0;
  await call();
  const made = seen.splice(0);
  const ids = new Set(made.map((r) => r.transactionId));
  expect(made.length).toBeGreaterThan(0);
  expect([...ids].every((id) => typeof id === 'string' && id.trim() !== '')).toBe(true);
  expect(ids.size).toBe(1);
  return made.map(({ transactionId: _id, ...rest }) => ({
    ...rest,
    contentType: rest.contentType?.split(';')[0],
  }));
}

describe('the MCP scenario: direct REST, ocs-mcp and the Node floor make the same OCS requests', () => {
  it.each(['get_subscriber', 'lookup_subscriber', 'create_balance'])(
    '%s',
    async (name) => {
      const operation = operations.find((o) => o.name === name) as Operation;
      const env = { PATH: process.env.PATH ?? '', OCS_API_URL: recorderUrl, LOG_LEVEL: 'warn' };
      const server = await startStdioWire({ command: process.execPath, args: [BIN], env, cwd: ROOT });
      const floor = await startStdioWire({
        command: process.execPath,
        args: [FLOOR, '--stdio'],
        env,
        cwd: ROOT,
      });
      try {
        const direct = await requestsOf(() => operation.rest(0));
        const tool = await requestsOf(() => server.call(name, operation.args(0)));
        const bare = await requestsOf(() => floor.call(name, operation.args(0)));
        expect(direct).toEqual(tool);
        expect(bare).toEqual(tool);
        expect(tool.length).toBe(name === 'lookup_subscriber' ? 2 : 1);
        // A fresh id per call: two direct calls in a row do not share one.
        seen.length = 0;
        await operation.rest(0);
        await operation.rest(0);
        expect(new Set(seen.map((r) => r.transactionId)).size).toBe(2);
      } finally {
        await server.close();
        await floor.close();
      }
    },
    60_000,
  );
});
