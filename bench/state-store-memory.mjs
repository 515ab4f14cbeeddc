// How much memory the MCP server's in-process state (MemoryStateStore: the transaction ledger and the used
// confirmation tokens) holds at its bound, MCP_STATE_MEMORY_MAX_ENTRIES. create_balance calls, each with a fresh
// transaction_id, go through the HTTP fast path's serve() in-process (as bench/mcp-in-process.mjs does), with the
// runtime's OCS client answering a real balance (created once on an emulator) from memory: every call claims and
// settles one real ledger entry. V8 heap after a forced GC is read before and after N calls, then the flood goes on
// past the bound to show what a full store costs per refused call (it must not scan the whole map).
// Usage: npm run build && node --expose-gc bench/state-store-memory.mjs [--entries=N] [--dist=DIR]
// (default: this checkout's build, at its default bound)

import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { inProcessFastPath } from './in-process-fast-path.mjs';
import { seed, startEmulatorProcess } from './scenarios/emulator.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// --dist=DIR measures another build (e.g. an unbounded one, for the figure before): then only the fill runs.
const dist =
  process.argv.find((a) => a.startsWith('--dist='))?.slice(7) ?? path.join(root, 'packages/mcp-server/dist');
const at = (/** @type {string} */ file) => pathToFileURL(path.join(dist, file)).href;

if (typeof globalThis.gc !== 'function') throw new Error('run with node --expose-gc');
const gc = /** @type {() => void} */ (globalThis.gc);
const heap = () => {
  for (let i = 0; i < 3; i += 1) gc();
  return process.memoryUsage().heapUsed;
};

const { DEFAULT_MEMORY_MAX_ENTRIES } = await import(at('state/state-store.js'));
const entries = Number(
  process.argv.find((a) => a.startsWith('--entries='))?.slice(10) ?? DEFAULT_MEMORY_MAX_ENTRIES,
);
if (!Number.isInteger(entries) || entries <= 200)
  throw new Error('--entries=N (N > 200) is needed for a build without a bound');
const bounded = DEFAULT_MEMORY_MAX_ENTRIES !== undefined;

const emulator = await startEmulatorProcess(root);
let balance;
try {
  const [first] = await seed(emulator.url, 1);
  const res = await fetch(`${emulator.url}/subscriptions/${first?.subscriptionId}/balances`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      unitType: 'BYTES',
      balanceAmount: 1073741824,
      balanceAvailable: 1073741824,
      expirationDate: '2037-12-31T23:59:59Z',
    }),
  });
  balance = await res.json();
  if (!res.ok) throw new Error(`POST balance: HTTP ${res.status} ${JSON.stringify(balance)}`);
} finally {
  await emulator.stop();
}

const serve = await inProcessFastPath(
  dist,
  { LOG_LEVEL: 'error', MCP_STATE_MEMORY_MAX_ENTRIES: String(entries) },
  { status: 201, body: balance },
);
const subscriptionId = String(balance.subscriptionId);
/** @returns {Promise<string>} the response body */
const topUp = async (/** @type {number} */ id) => {
  const body = {
    jsonrpc: '2.0',
    id,
    method: 'tools/call',
    params: {
      name: 'create_balance',
      arguments: {
        subscriptionId,
        unitType: 'BYTES',
        balanceAmount: 1073741824,
        expirationDate: '2037-12-31T23:59:59Z',
        // A realistic client id: a UUID.
        transaction_id: `0b5e${String(id).padStart(8, '0')}-7c1d-4b5e-9f0a-1c2d3e4f5a6b`,
      },
    },
  };
  return serve(body);
};

// The warm-up's entries stay in the store: with the measured ones they make exactly the bound.
const warm = 200;
for (let i = 0; i < warm; i += 1) await topUp(1_000_000 + i);
const before = heap();
let sample = '';
const filling = process.cpuUsage();
for (let i = 0; i < entries - warm; i += 1) {
  sample = await topUp(i);
  if (sample.includes('"isError":true'))
    throw new Error(`a call under the bound failed: ${sample.slice(0, 300)}`);
}
const filled = process.cpuUsage(filling);
const acceptedUs = (filled.user + filled.system) / (entries - warm);
const full = heap();
const perEntry = (full - before) / (entries - warm);

const mb = (/** @type {number} */ b) => (b / 1024 / 1024).toFixed(1);
const filledLine = `V8 heap after GC: ${mb(before)} MB with ${warm} entries, ${mb(full)} MB with ${entries}: ${Math.round(perEntry)} bytes per entry, ${mb(perEntry * entries)} MB for ${entries}`;
if (!bounded) {
  process.stdout.write(
    `${dist} (no bound): ${filledLine}; CPU per accepted call ${acceptedUs.toFixed(0)} µs\n`,
  );
  process.exit(0);
}

// Past the bound: each further new id is refused, and a refused call costs about what an accepted one did.
const cpu = async (/** @type {number} */ from, /** @type {number} */ n) => {
  const start = process.cpuUsage();
  let last = '';
  for (let i = 0; i < n; i += 1) last = await topUp(from + i);
  const used = process.cpuUsage(start);
  return { us: (used.user + used.system) / n, last };
};
const refused = await cpu(2_000_000, 2000);
if (!refused.last.includes('state store is full'))
  throw new Error(`not refused: ${refused.last.slice(0, 300)}`);
const replayed = await (async () => {
  const start = process.cpuUsage();
  for (let i = 0; i < 2000; i += 1) await topUp(i);
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 2000;
})();
process.stdout.write(
  [
    `MCP_STATE_MEMORY_MAX_ENTRIES=${entries}: ${entries} create_balance ledger entries (claim + settle, the replayable result kept)`,
    `${filledLine} (full)`,
    `one stored result is ${sample.length} bytes of JSON-RPC response`,
    `CPU per call: ${acceptedUs.toFixed(0)} µs accepted while filling; when full ${refused.us.toFixed(0)} µs for a new id (refused), ${replayed.toFixed(0)} µs for a repeated id (replayed)`,
    '',
  ].join('\n'),
);
process.exit(0);
