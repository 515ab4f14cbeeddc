// MCP overhead: the same OCS operations as direct REST calls to the emulator, as MCP tool calls over
// Streamable HTTP (ocs-mcp --http) with a 2025-11-25 and a 2026-07-28 client and over stdio (ocs-mcp), one
// long-lived SDK client per transport, and the same calls as raw JSON-RPC POSTs (`*-wire`); beside them the SDK's
// floor (bench/sdk-floor.mjs: a bare SDK server with a constant tool), the Node floor (bench/node-floor.mjs: the
// same OCS calls behind node:http with no MCP at all) and optionally a baseline build of ocs-mcp, all in one run,
// at each concurrency level.

import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { Agent, request } from 'undici';
import { interleavedBlocks, interleavedThroughput } from '../load.mjs';
import {
  cpuTimeMs,
  freePort,
  rssByPhase,
  rssMb,
  sampleRss,
  spawnService,
  waitForHealthy,
} from '../processes.mjs';
import { serviceEnv } from '../service-launch.mjs';
import { round, summarize } from '../stats.mjs';
import { startStdioWire } from '../stdio-wire.mjs';
import { BALANCE_BODY, seed, startEmulatorProcess } from './emulator.mjs';

/** @typedef {import('../markdown.mjs').McpRow} McpRow */

/**
 * @typedef {object} McpScenarioOptions
 * @property {string} root
 * @property {number} iterations sequential calls per path and operation (latency percentiles), the paths taking turns in blocks
 * @property {number} warmup unmeasured sequential calls first
 * @property {number[]} concurrency worker counts of the calls/s loops (1 = one call at a time)
 * @property {number} durationS seconds of each path's calls/s loop at each level, over all its rounds
 * @property {number} [rounds] rounds the calls/s loops are split into, the paths taking turns (default 1)
 * @property {string} [baselineBin] an older build of the MCP server's bin.js, measured as `mcp-http-baseline`
 * @property {(line: string) => void} log
 */

/**
 * @typedef {object} Operation
 * @property {string} name the MCP tool name
 * @property {(i: number) => Promise<unknown>} rest the same OCS calls the tool makes, over plain HTTP
 * @property {(i: number) => Record<string, unknown>} args tool arguments for the i-th call
 */

/**
 * The environment of an MCP server under test over HTTP on a loopback port, in front of `ocsApiUrl`.
 * @param {string} ocsApiUrl
 * @param {number} port
 */
export function mcpHttpEnv(ocsApiUrl, port) {
  return {
    OCS_API_URL: ocsApiUrl,
    MCP_HTTP_HOST: '127.0.0.1',
    MCP_HTTP_PORT: String(port),
    LOG_LEVEL: 'warn',
  };
}

/**
 * The service each path loads, whose RSS its rounds sample as a phase: only that one is under load; the others
 * are sampled in their own turns.
 */
const LOADED_BY = /** @type {Record<string, string | undefined>} */ ({
  'mcp-http': 'mcp-server',
  'mcp-http-2026': 'mcp-server',
  'mcp-http-wire': 'mcp-server',
  'mcp-http-2026-wire': 'mcp-server',
  'mcp-http-trusted-wire': 'mcp-server-trusted',
  'mcp-stdio': 'mcp-server-stdio',
  'mcp-stdio-wire': 'mcp-server-stdio-wire',
  'mcp-http-baseline': 'mcp-server-baseline',
  'mcp-http-baseline-wire': 'mcp-server-baseline',
});

/**
 * The operations the MCP scenario measures: each tool's arguments for the i-th call, and the same OCS calls the
 * tool makes as direct REST calls to `ocsUrl`, headers included. Every direct call carries an X-Transaction-ID
 * as the tool's does (ocs-mcp sends one per tool call, the same on each of its OCS calls): on a POST the emulator
 * then keeps a replay record in the write's transaction (its deduplication), which costs it ~0.1 ms at one write
 * at a time and ~15 % of its write throughput at 10. Without the header the direct call would be a cheaper
 * request than the tool's, and the difference would be counted as the MCP server's.
 * @param {string} ocsUrl the OCS base URL (…/ocs/prov/v1)
 * @param {import('undici').Dispatcher} dispatcher
 * @param {(i: number) => import('./emulator.mjs').SeededSubscriber} at the subscriber of the i-th call
 * @returns {Operation[]}
 */
export function mcpOperations(ocsUrl, dispatcher, at) {
  /**
   * @param {'GET' | 'POST'} method
   * @param {string} pathAndQuery relative to the OCS base URL
   * @param {string} transactionId
   * @param {unknown} [body]
   */
  const rest = async (method, pathAndQuery, transactionId, body) => {
    /** @type {Record<string, string>} */
    const headers = { 'x-transaction-id': transactionId };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await request(`${ocsUrl}${pathAndQuery}`, {
      method,
      dispatcher,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = await response.body.json();
    if (response.statusCode >= 300) throw new Error(`${method} ${pathAndQuery} -> ${response.statusCode}`);
    return /** @type {any} */ (json);
  };
  return [
    {
      name: 'lookup_subscriber',
      // The tool resolves the MSISDN to an id, then fetches the subscriber: two OCS calls.
      rest: async (i) => {
        const transactionId = randomUUID();
        const found = await rest('GET', `/subscribers/lookup?msisdn=${at(i).msisdn}`, transactionId);
        return rest('GET', `/subscribers/${found.subscriberId}`, transactionId);
      },
      args: (i) => ({ msisdn: at(i).msisdn }),
    },
    {
      name: 'get_subscriber',
      rest: (i) => rest('GET', `/subscribers/${at(i).subscriberId}`, randomUUID()),
      args: (i) => ({ subscriberId: at(i).subscriberId }),
    },
    {
      name: 'create_balance',
      rest: (i) =>
        rest('POST', `/subscriptions/${at(i).subscriptionId}/balances`, randomUUID(), BALANCE_BODY),
      args: (i) => ({ subscriptionId: at(i).subscriptionId, ...BALANCE_BODY }),
    },
  ];
}

/**
 * @param {McpScenarioOptions} options
 * @returns {Promise<{rows: McpRow[], footprint: Record<string, Record<string, number>>, phases: import('../processes.mjs').PhaseRss[], notes: string[]}>}
 */
export async function benchMcp(options) {
  const { root, log } = options;
  /** @type {string[]} */
  const notes = [];
  const emulator = await startEmulatorProcess(root);
  /** @type {Array<() => Promise<unknown>>} */
  const cleanups = [];
  try {
    const subscribers = await seed(emulator.url, 20);
    const at = (/** @type {number} */ i) =>
      /** @type {import('./emulator.mjs').SeededSubscriber} */ (subscribers[i % subscribers.length]);
    const dispatcher = new Agent({ connections: Math.max(...options.concurrency) + 4 });
    cleanups.push(() => dispatcher.close());
    const operations = mcpOperations(emulator.url, dispatcher, at);

    // Streamable HTTP servers, each its own process: ocs-mcp, the SDK floor, and optionally a baseline build.
    /**
     * @param {string} name
     * @param {string} bin
     * @param {Record<string, string>} [env] added to the server's environment
     */
    const startHttp = async (name, bin, env = {}) => {
      const port = await freePort();
      const service = spawnService(name, process.execPath, [bin, '--http'], {
        cwd: root,
        env: { ...mcpHttpEnv(emulator.url, port), ...env },
      });
      cleanups.push(() => service.stop());
      await waitForHealthy(`http://127.0.0.1:${port}/healthz`, { service });
      return { service, url: new URL(`http://127.0.0.1:${port}/mcp`) };
    };
    /**
     * @param {URL} url
     * @param {'2025-11-25' | '2026-07-28'} era
     */
    const connectHttp = async (url, era) => {
      const client = new Client(
        { name: 'ocs-bench', version: '1.0.0' },
        era === '2026-07-28' ? { versionNegotiation: { mode: { pin: '2026-07-28' } } } : {},
      );
      await client.connect(new StreamableHTTPClientTransport(url, { fetch: fetchWithOwnSignal }));
      cleanups.push(() => client.close());
      return client;
    };
    const mcpHttp = await startHttp('mcp-server', path.join(root, 'packages/mcp-server/dist/bin.js'));
    // The same server with the trust features on, to price them: a scoped bearer token (authentication and
    // the scope gate), the tamper-evident audit file (a hash-chained, synchronously written line per call)
    // and, for writes given a transaction_id, the transaction ledger on its SQLite state file.
    const trustDir = mkdtempSync(path.join(os.tmpdir(), 'ocs-bench-trust-'));
    cleanups.push(async () => rmSync(trustDir, { recursive: true, force: true }));
    writeFileSync(
      path.join(trustDir, 'tokens.json'),
      JSON.stringify([
        { token: TRUSTED_TOKEN, subject: 'bench-operator', scopes: ['ocs:read', 'ocs:write'] },
      ]),
    );
    const trusted = await startHttp(
      'mcp-server-trusted',
      path.join(root, 'packages/mcp-server/dist/bin.js'),
      {
        MCP_AUTH_TOKENS_FILE: path.join(trustDir, 'tokens.json'),
        MCP_AUDIT_FILE: path.join(trustDir, 'audit.jsonl'),
        MCP_STATE_FILE: path.join(trustDir, 'state.sqlite'),
      },
    );
    const floor = await startHttp('sdk-floor', path.join(root, 'bench/sdk-floor.mjs'));
    const nodeFloor = await startHttp('node-floor', path.join(root, 'bench/node-floor.mjs'));
    const baseline = options.baselineBin
      ? await startHttp('mcp-server-baseline', options.baselineBin)
      : undefined;
    const httpClient = await connectHttp(mcpHttp.url, '2025-11-25');
    const httpModernClient = await connectHttp(mcpHttp.url, '2026-07-28');
    const floorClient = await connectHttp(floor.url, '2025-11-25');
    const floorModernClient = await connectHttp(floor.url, '2026-07-28');
    const baselineClient = baseline ? await connectHttp(baseline.url, '2025-11-25') : undefined;

    const stdioBin = path.join(root, 'packages/mcp-server/dist/bin.js');
    // Launched as the image launches it (the stdio clients spawn it, not spawnService).
    const stdioEnv = serviceEnv([stdioBin], {
      PATH: process.env.PATH ?? '',
      OCS_API_URL: emulator.url,
      LOG_LEVEL: 'warn',
    });
    const stdioTransport = new StdioClientTransport({
      command: process.execPath,
      args: [stdioBin],
      cwd: root,
      env: stdioEnv,
      stderr: 'ignore',
    });
    // The same stdio server as raw JSON lines, one process per era (bench/stdio-wire.mjs).
    /** @param {'2025-11-25' | '2026-07-28'} era */
    const startStdioWireServer = async (era) => {
      const wire = await startStdioWire({
        command: process.execPath,
        args: [stdioBin],
        cwd: root,
        env: stdioEnv,
        era,
      });
      cleanups.push(() => wire.close());
      return wire;
    };
    const stdioWire = await startStdioWireServer('2025-11-25');
    const stdioModernWire = await startStdioWireServer('2026-07-28');
    // The Node floor over stdio: the same JSON lines answered by node-floor.mjs --stdio (no MCP at all).
    const stdioFloor = await startStdioWire({
      command: process.execPath,
      args: [path.join(root, 'bench/node-floor.mjs'), '--stdio'],
      cwd: root,
      env: { PATH: process.env.PATH ?? '', OCS_API_URL: emulator.url },
    });
    cleanups.push(() => stdioFloor.close());
    const stdioClient = new Client({ name: 'ocs-bench', version: '1.0.0' });
    await stdioClient.connect(stdioTransport);
    cleanups.push(() => stdioClient.close());
    const stdioPid = stdioTransport.pid ?? -1;

    // The same tools/call as raw JSON-RPC POSTs on the load generator's undici pool, exactly as the
    // direct REST calls are made: what the server adds, without the SDK client's own cost (which runs in
    // this process, on the same cores, and is what an SDK user pays on their side).
    const httpWire = wireHttpClient(mcpHttp.url, '2025-11-25', dispatcher);
    const httpModernWire = wireHttpClient(mcpHttp.url, '2026-07-28', dispatcher);
    const nodeFloorWire = wireHttpClient(nodeFloor.url, '2025-11-25', dispatcher);
    const baselineWire = baseline ? wireHttpClient(baseline.url, '2025-11-25', dispatcher) : undefined;
    const trustedWire = wireHttpClient(trusted.url, '2025-11-25', dispatcher, { token: TRUSTED_TOKEN });
    let transactions = 0;
    // A write carries a fresh transaction_id, so the ledger claims and settles one entry per call.
    const withTransaction = (/** @type {string} */ name, /** @type {Record<string, unknown>} */ args) =>
      name === 'create_balance' ? { ...args, transaction_id: `bench-${++transactions}` } : args;

    const tools = await httpClient.listTools();
    const toolNames = new Set(tools.tools.map((t) => t.name));
    /**
     * @param {Client} client
     * @param {string} name
     * @param {Record<string, unknown>} args
     */
    const callTool = async (client, name, args) => {
      const result = await client.callTool({ name, arguments: args });
      if (result.isError) {
        const first = Array.isArray(result.content) ? result.content[0] : undefined;
        throw new Error(
          `${name} returned isError: ${first && 'text' in first ? String(first.text).slice(0, 200) : ''}`,
        );
      }
      return result;
    };

    const httpRss = sampleRss(mcpHttp.service.pid);
    const stdioRss = sampleRss(stdioPid);
    // The baseline build's peak under the same load, so a memory change is compared within one run.
    const baselineRss = baseline ? sampleRss(baseline.service.pid) : undefined;
    // Idle and peak RSS per tool and concurrency level, for ocs-mcp over HTTP and over stdio.
    const phases = rssByPhase({
      'mcp-server': mcpHttp.service.pid,
      'mcp-server-stdio': stdioPid,
      'mcp-server-stdio-wire': stdioWire.pid,
      ...(baseline ? { 'mcp-server-baseline': baseline.service.pid } : {}),
    });
    phases.idle();
    /** @type {McpRow[]} */
    const rows = [];
    for (const op of operations) {
      /** @type {Array<[McpRow['path'], (i: number) => Promise<unknown>, number]>} path, one call, server pid */
      const variants = [
        ['direct-rest', op.rest, -1],
        ['mcp-http', (i) => callTool(httpClient, op.name, op.args(i)), mcpHttp.service.pid],
        ['mcp-http-2026', (i) => callTool(httpModernClient, op.name, op.args(i)), mcpHttp.service.pid],
        ['mcp-http-wire', (i) => httpWire(op.name, op.args(i)), mcpHttp.service.pid],
        ['mcp-http-2026-wire', (i) => httpModernWire(op.name, op.args(i)), mcpHttp.service.pid],
        [
          'mcp-http-trusted-wire',
          (i) => trustedWire(op.name, withTransaction(op.name, op.args(i))),
          trusted.service.pid,
        ],
        ['mcp-stdio', (i) => callTool(stdioClient, op.name, op.args(i)), stdioPid],
        ['mcp-stdio-wire', (i) => stdioWire.call(op.name, op.args(i)), stdioWire.pid],
        ['mcp-stdio-2026-wire', (i) => stdioModernWire.call(op.name, op.args(i)), stdioModernWire.pid],
        ['sdk-floor', (i) => callTool(floorClient, op.name, op.args(i)), floor.service.pid],
        ['sdk-floor-2026', (i) => callTool(floorModernClient, op.name, op.args(i)), floor.service.pid],
        ['node-floor', (i) => nodeFloorWire(op.name, op.args(i)), nodeFloor.service.pid],
        ['stdio-floor', (i) => stdioFloor.call(op.name, op.args(i)), stdioFloor.pid],
      ];
      if (baseline && baselineClient)
        variants.push([
          'mcp-http-baseline',
          (i) => callTool(baselineClient, op.name, op.args(i)),
          baseline.service.pid,
        ]);
      if (baseline && baselineWire)
        variants.push([
          'mcp-http-baseline-wire',
          (i) => baselineWire(op.name, op.args(i)),
          baseline.service.pid,
        ]);
      /** @type {Map<McpRow['path'], string>} */
      const failed = new Map();
      for (const [pathName, run] of variants) {
        if ((pathName.startsWith('mcp-') || pathName.endsWith('-floor')) && !toolNames.has(op.name)) {
          failed.set(pathName, `tool ${op.name} not listed by tools/list`);
          continue;
        }
        try {
          // A wrong answer fails here, before anything is measured; the rest warms the path up.
          for (let w = 0; w < Math.max(1, options.warmup); w += 1) await run(w);
        } catch (error) {
          failed.set(pathName, error instanceof Error ? error.message : String(error));
        }
      }
      const live = variants.filter(([pathName]) => !failed.has(pathName));
      // Sequential latency: one call at a time, the paths taking turns in blocks of calls in a row, so each
      // server is warm as it is for one client (see interleavedBlocks) and drift still lands on every path alike.
      /** @type {Map<McpRow['path'], number[]>} */
      let samples = new Map();
      await phases.measure(`${op.name} one call at a time, paths in turn`, async () => {
        samples = await interleavedBlocks(
          live.map(([pathName, run]) => [pathName, run]),
          {
            iterations: options.iterations,
            onError: (pathName, error) => {
              if (!failed.has(pathName))
                failed.set(pathName, error instanceof Error ? error.message : String(error));
            },
          },
        );
      });
      for (const [pathName] of variants) {
        const problem = failed.get(pathName);
        if (!problem) continue;
        notes.push(`${pathName} ${op.name} failed: ${problem}`);
        rows.push(failedRow(pathName, op.name, problem));
      }
      const measuredPaths = live.filter(([name]) => !failed.has(name));
      for (const concurrency of options.concurrency) {
        // CPU time of each path's MCP server process over its rounds of the loop (its own process only).
        /** @type {Map<McpRow['path'], number>} */
        const cpuMs = new Map();
        const serverOf = new Map(measuredPaths.map(([name, , pid]) => [name, pid]));
        const loops = await interleavedThroughput(
          measuredPaths.map(([pathName, run]) => {
            let i = 0;
            return [pathName, () => run(++i)];
          }),
          {
            concurrency,
            durationS: options.durationS,
            rounds: options.rounds ?? 1,
            around: async (pathName, round) => {
              const pid = serverOf.get(pathName) ?? 0;
              const before = pid > 0 ? cpuTimeMs(pid) : Number.NaN;
              const loaded = LOADED_BY[pathName];
              if (loaded) await phases.measure(`${op.name} c=${concurrency}`, round, [loaded]);
              else await round();
              if (pid > 0) cpuMs.set(pathName, (cpuMs.get(pathName) ?? 0) + cpuTimeMs(pid) - before);
            },
          },
        );
        for (const [pathName, , serverPid] of measuredPaths) {
          const throughput = loops.get(pathName);
          if (!throughput) continue;
          if (throughput.failures > 0) {
            notes.push(
              `${pathName} ${op.name} c=${concurrency}: ${throughput.failures} failed calls in the calls/s loop`,
            );
          }
          // One call at a time, the block-interleaved loop is the fairer latency; under load, the loop's own.
          const latency = concurrency === 1 ? summarize(samples.get(pathName) ?? []) : throughput.latency;
          log(
            `  mcp c=${String(concurrency).padEnd(3)} ${pathName.padEnd(17)} ${op.name.padEnd(17)} p50 ${latency.p50_ms} ms p99 ${latency.p99_ms} ms ${throughput.calls_per_s} calls/s`,
          );
          rows.push({
            path: pathName,
            operation: op.name,
            calls_per_s: throughput.calls_per_s,
            p50_ms: latency.p50_ms,
            p90_ms: latency.p90_ms,
            p99_ms: latency.p99_ms,
            mean_ms: latency.mean_ms,
            iterations: latency.count,
            concurrency,
            ...(serverPid > 0
              ? {
                  server_cpu_ms_per_call: round(
                    (cpuMs.get(pathName) ?? Number.NaN) / Math.max(1, throughput.completed),
                    3,
                  ),
                }
              : {}),
          });
        }
      }
    }
    httpRss.stop();
    stdioRss.stop();
    baselineRss?.stop();
    return {
      rows,
      phases: phases.rows(),
      footprint: {
        'mcp-server': {
          rss_peak_mb: round(httpRss.peak(), 1),
          rss_peak_file_mb: round(httpRss.peakFile(), 1),
          rss_after_load_mb: round(rssMb(mcpHttp.service.pid), 1),
        },
        'mcp-server-stdio': { rss_peak_mb: round(stdioRss.peak(), 1) },
        ...(baseline && baselineRss
          ? {
              'mcp-server-baseline': {
                rss_peak_mb: round(baselineRss.peak(), 1),
                rss_peak_file_mb: round(baselineRss.peakFile(), 1),
                rss_after_load_mb: round(rssMb(baseline.service.pid), 1),
              },
            }
          : {}),
      },
      notes,
    };
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    await emulator.stop();
  }
}

/** The bearer token of the trusted MCP server under test (its tokens file lives in a temporary directory). */
const TRUSTED_TOKEN = 'bench-operator-token-0123456789abcdef';

/** The 2026-07-28 per-request envelope a raw client puts in `_meta` (SEP-2243 / the 2026 spec). */
const MODERN_ENVELOPE = {
  'io.modelcontextprotocol/protocolVersion': '2026-07-28',
  'io.modelcontextprotocol/clientCapabilities': {},
  'io.modelcontextprotocol/clientInfo': { name: 'ocs-bench', version: '1.0.0' },
};

/**
 * A raw Streamable HTTP client for tools/call: one POST per call on `dispatcher`, as a 2025-11-25 client
 * sends it statelessly (answered with one SSE `message` event) or as a 2026-07-28 client does (standard
 * headers, the envelope in `_meta`, a JSON answer). It throws on anything but a successful tool result, so a
 * wrong answer fails the warm-up instead of being measured.
 * @param {URL} url
 * @param {'2025-11-25' | '2026-07-28'} era
 * @param {import('undici').Dispatcher} dispatcher
 * @param {{token?: string}} [options] a bearer token to send
 * @returns {(name: string, args: Record<string, unknown>) => Promise<unknown>}
 */
export function wireHttpClient(url, era, dispatcher, options = {}) {
  let id = 0;
  const modern = era === '2026-07-28';
  return async (name, args) => {
    id += 1;
    const params = modern ? { name, arguments: args, _meta: MODERN_ENVELOPE } : { name, arguments: args };
    const response = await request(url, {
      method: 'POST',
      dispatcher,
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'mcp-protocol-version': era,
        ...(modern ? { 'mcp-method': 'tools/call', 'mcp-name': name } : {}),
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      },
      body: JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params }),
    });
    const text = await response.body.text();
    if (response.statusCode !== 200)
      throw new Error(`tools/call ${name} -> ${response.statusCode}: ${text.slice(0, 200)}`);
    const data = modern ? text : text.slice(text.indexOf('data: ') + 6);
    const message = JSON.parse(data);
    if (message.error || !message.result || message.result.isError)
      throw new Error(`${name} failed: ${JSON.stringify(message.error ?? message.result).slice(0, 200)}`);
    return message.result;
  };
}

/**
 * The SDK's HTTP transport hands its one long-lived AbortSignal to every fetch; undici drops the abort
 * listener it adds only when each Request is garbage-collected, so a fast, long-lived client piles up
 * listeners (MaxListenersExceededWarning after 1,500 calls). A per-request signal linked to the transport's
 * keeps the count flat; the link is removed once the response arrives (the harness never aborts mid-body).
 * @param {string | URL} url
 * @param {RequestInit} [init]
 */
export function fetchWithOwnSignal(url, init) {
  const outer = init?.signal ?? undefined;
  if (!outer) return fetch(url, init);
  // Up to one listener per call in flight (50 at the highest level): not a leak, so no warning.
  setMaxListeners(1000, outer);
  const own = new AbortController();
  const forward = () => own.abort(outer.reason);
  if (outer.aborted) forward();
  else outer.addEventListener('abort', forward, { once: true });
  return fetch(url, { ...init, signal: own.signal }).finally(() =>
    outer.removeEventListener('abort', forward),
  );
}

/**
 * @param {McpRow['path']} pathName
 * @param {string} operation
 * @param {string} error
 * @returns {McpRow}
 */
function failedRow(pathName, operation, error) {
  return {
    path: pathName,
    operation,
    calls_per_s: Number.NaN,
    p50_ms: Number.NaN,
    p99_ms: Number.NaN,
    error,
  };
}
