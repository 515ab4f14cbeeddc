// Reads V8 .cpuprofile files (node --cpu-prof) and lists the frames with the most self time, grouped by
// function and location, so a profile can be read from the terminal and quoted in a report.

import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * @typedef {object} ProfileNode
 * @property {number} id
 * @property {{functionName: string, url: string, lineNumber: number}} callFrame
 * @property {number[]} [children]
 */

/**
 * @param {string} dir directory holding *.cpuprofile files (all are summed)
 * @param {number} [limit]
 * @returns {string[]} lines like "12.3%  onResponse  node_modules/undici/lib/...:123"
 */
export function topFrames(dir, limit = 20) {
  /** @type {Map<string, number>} */
  const selfTime = new Map();
  let total = 0;
  let files;
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  } catch {
    return [`no profile directory ${dir}`];
  }
  for (const file of files) {
    const profile = JSON.parse(readFileSync(path.join(dir, file), 'utf8'));
    /** @type {Map<number, ProfileNode>} */
    const nodes = new Map(profile.nodes.map((/** @type {ProfileNode} */ n) => [n.id, n]));
    const samples = /** @type {number[]} */ (profile.samples ?? []);
    const deltas = /** @type {number[]} */ (profile.timeDeltas ?? []);
    samples.forEach((id, index) => {
      const node = nodes.get(id);
      if (!node) return;
      const micros = deltas[index + 1] ?? deltas[index] ?? 0;
      const { functionName, url, lineNumber } = node.callFrame;
      const where = url ? `${shorten(url)}:${lineNumber + 1}` : '';
      const key = `${functionName || '(anonymous)'}  ${where}`.trim();
      selfTime.set(key, (selfTime.get(key) ?? 0) + micros);
      total += micros;
    });
  }
  if (total === 0) return ['profile is empty'];
  return [...selfTime.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([key, micros]) => `${((micros / total) * 100).toFixed(1).padStart(5)}%  ${key}`);
}

/**
 * Where an MCP tool call's CPU goes, by stage. Each sample is charged to one stage by walking its stack from
 * the leaf towards the root: logging and schema validation win wherever they sit, then the per-request server
 * construction, then the first library or package frame decides (node-core frames on the way only say whether
 * it was socket I/O or Fetch API objects).
 */
export const STAGES = /** @type {const} */ ([
  'node-web-conversion',
  'per-request-server-transport',
  'sdk-dispatch',
  'jsonrpc-validation',
  'input-schema-validation',
  'output-schema-validation',
  'logging',
  'tool-code',
  'ocs-round-trip',
  'http-server-sockets',
  'gc',
  'other',
]);

/** @typedef {typeof STAGES[number]} Stage */

/** Stage labels for the docs table. @type {Record<Stage, string>} */
export const STAGE_LABELS = {
  'node-web-conversion': 'Node ↔ Web request/response conversion',
  'per-request-server-transport': 'per-request McpServer + transport (construct, register, connect)',
  'sdk-dispatch': 'SDK classification and dispatch (JSON-RPC routing, result building)',
  'jsonrpc-validation': 'JSON-RPC message and envelope validation',
  'input-schema-validation': 'tool input-schema validation',
  'output-schema-validation': 'tool output-schema validation',
  logging: 'logging',
  'tool-code': 'our tool code (invoke, confirmation gate, result mapping)',
  'ocs-round-trip': 'OCS round trip (undici client, its socket I/O, JSON parse)',
  'http-server-sockets': 'inbound HTTP server and socket I/O (node core)',
  gc: 'garbage collection',
  other: 'other (microtask queue, timers, node core)',
};

/** Functions that build or wire the per-request server: anything beneath them is construction cost. */
const CONSTRUCTION = new Set([
  'createOcsMcpServer',
  'registerTool',
  'registerResource',
  'registerPrompt',
  '_createRegisteredTool',
  'McpServer',
  'Server',
  'Protocol',
  'connect',
  'PerRequestHTTPServerTransport',
  'WebStandardStreamableHTTPServerTransport',
]);

/** @param {string} url */
function library(url) {
  if (url.includes('node_modules/pino') || url.includes('node_modules/sonic-boom')) return 'logging';
  if (url.includes('node_modules/zod/') || url.includes('node_modules/ajv')) return 'validation';
  if (url.includes('node_modules/undici/')) return 'ocs';
  if (url.includes('@modelcontextprotocol/node/')) return 'adapter';
  if (url.includes('@modelcontextprotocol/server/') || url.includes('@modelcontextprotocol/core/'))
    return 'sdk';
  // ocs-mcp's own Node adapter converts like the SDK's; its request handler is the HTTP server's front door.
  if (url.includes('/mcp-server/dist/node-adapter.js')) return 'adapter';
  if (url.includes('/mcp-server/dist/http.js')) return 'net';
  if (/\/packages\/(mcp-server|contract|telemetry)\//.test(url) || url.includes('/bench/')) return 'ours';
  if (/node:(_http_|net|internal\/(streams|stream_base_commons|http|net|js_stream))/.test(url)) return 'net';
  if (/node:internal\/(deps\/undici|webstreams|abort_controller|encoding|event_target|url)/.test(url))
    return 'web';
  return undefined;
}

/**
 * @param {Array<{functionName: string, url: string}>} stack leaf first
 * @returns {Stage | undefined} undefined for start-up work (module loading), which is no call's cost
 */
export function stageOf(stack) {
  if (stack.some((f) => f.url.startsWith('node:internal/modules/'))) return undefined;
  const leaf = stack[0]?.functionName;
  if (leaf === '(garbage collector)') return 'gc';
  const libs = stack.map((f) => library(f.url));
  if (libs.includes('logging')) return 'logging';
  const zodAt = libs.indexOf('validation');
  if (zodAt !== -1) {
    for (const frame of stack.slice(zodAt)) {
      if (frame.functionName === 'validateToolInput') return 'input-schema-validation';
      if (frame.functionName === 'validateToolOutput') return 'output-schema-validation';
    }
    const firstOwner = libs.slice(zodAt).find((l) => l === 'ours' || l === 'sdk' || l === 'ocs');
    return firstOwner === 'ours'
      ? 'tool-code'
      : firstOwner === 'ocs'
        ? 'ocs-round-trip'
        : 'jsonrpc-validation';
  }
  if (stack.some((f) => CONSTRUCTION.has(f.functionName) && library(f.url) !== 'net')) {
    return 'per-request-server-transport';
  }
  let sawNet = false;
  for (const lib of libs) {
    if (lib === 'net') sawNet = true;
    else if (lib === 'ocs') return 'ocs-round-trip';
    else if (lib === 'adapter') return sawNet ? 'http-server-sockets' : 'node-web-conversion';
    else if (lib === 'sdk') return 'sdk-dispatch';
    else if (lib === 'ours') {
      // Our OCS client is the caller of undici: its frames count as the OCS leg.
      const frame = stack[libs.indexOf(lib)];
      if (frame?.url.includes('/ocs/')) return 'ocs-round-trip';
      return sawNet ? 'http-server-sockets' : 'tool-code';
    }
  }
  return sawNet ? 'http-server-sockets' : 'other';
}

/**
 * Busy CPU time (idle and program samples excluded) per stage, as shares of the busy total.
 * @param {string} dir directory holding *.cpuprofile files (all are summed)
 * @returns {{busy_ms: number, shares: Record<Stage, number>}}
 */
export function stageBreakdown(dir) {
  /** @type {Record<string, number>} */
  const micros = Object.fromEntries(STAGES.map((s) => [s, 0]));
  let busy = 0;
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'))) {
    const profile = JSON.parse(readFileSync(path.join(dir, file), 'utf8'));
    /** @type {Map<number, ProfileNode>} */
    const nodes = new Map(profile.nodes.map((/** @type {ProfileNode} */ n) => [n.id, n]));
    /** @type {Map<number, number>} */
    const parents = new Map();
    for (const n of nodes.values()) for (const c of n.children ?? []) parents.set(c, n.id);
    /** @type {Map<number, Stage | undefined>} */
    const memo = new Map();
    const samples = /** @type {number[]} */ (profile.samples ?? []);
    const deltas = /** @type {number[]} */ (profile.timeDeltas ?? []);
    samples.forEach((id, index) => {
      if (!memo.has(id)) {
        const leaf = nodes.get(id)?.callFrame.functionName;
        if (leaf === '(idle)' || leaf === '(program)' || leaf === '(root)') memo.set(id, undefined);
        else {
          const stack = [];
          for (let at = /** @type {number | undefined} */ (id); at !== undefined; at = parents.get(at)) {
            const node = nodes.get(at);
            if (node) stack.push(node.callFrame);
          }
          memo.set(id, stageOf(stack));
        }
      }
      const stage = memo.get(id);
      if (stage === undefined) return;
      const us = deltas[index + 1] ?? deltas[index] ?? 0;
      micros[stage] = (micros[stage] ?? 0) + us;
      busy += us;
    });
  }
  const shares = /** @type {Record<Stage, number>} */ (
    Object.fromEntries(STAGES.map((s) => [s, busy > 0 ? (micros[s] ?? 0) / busy : Number.NaN]))
  );
  return { busy_ms: busy / 1000, shares };
}

/** @param {string} url */
function shorten(url) {
  const clean = url.replace(/^file:\/\//, '');
  const index = clean.lastIndexOf('node_modules/');
  if (index !== -1) return clean.slice(index);
  const packages = clean.indexOf('/packages/');
  return packages !== -1 ? clean.slice(packages + 1) : clean;
}

if (process.argv[1] && path.resolve(process.argv[1]) === new URL(import.meta.url).pathname) {
  const dir = process.argv[2];
  if (!dir) {
    process.stderr.write('usage: node bench/profile.mjs <dir with .cpuprofile files> [limit]\n');
    process.exit(1);
  }
  for (const line of topFrames(dir, Number(process.argv[3] ?? 25))) process.stdout.write(`${line}\n`);
}
