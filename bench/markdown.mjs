// Renders bench/results/latest.json into docs/benchmarks.md and the SVG charts under docs/bench/.
// Pure functions of the results object, so the test can render a synthetic result without running anything.

import { STAGE_LABELS, STAGES as STAGE_ORDER } from './profile.mjs';
import { added, ratio, SEQUENTIAL_BLOCK } from './stats.mjs';
import { groupedBarChart, lineChart } from './svg.mjs';

/**
 * @typedef {object} RouterRow
 * @property {'direct' | 'router-ask' | 'router-openai' | 'router-openai-2w' | 'portkey'} path
 *   router-openai-2w is /v1/chat/completions on a router with ROUTER_WORKERS=2
 * @property {boolean} stream
 * @property {number} concurrency
 * @property {number} rps
 * @property {number} p50_ms
 * @property {number} p90_ms
 * @property {number} p99_ms
 * @property {number} [ttft_p50_ms]
 * @property {number} [ttft_p99_ms]
 * @property {number} [cpu_ms_per_req] CPU time the gateway process spent per request (not for direct)
 * @property {number} [errors]
 * @property {string} [error] why the row has no figures
 * @property {number} [ttft_p90_ms]
 * @property {number} [mean_ms]
 * @property {number} [requests]
 * @property {number} [streams]
 * @property {number} [non2xx]
 * @property {boolean} [sequential] one request at a time (concurrency 1), paths in turn in blocks of requests in a row
 */

/**
 * @typedef {object} McpRow
 * @property {'direct-rest' | 'mcp-http' | 'mcp-http-2026' | 'mcp-http-baseline' | 'mcp-stdio' | 'mcp-http-wire' | 'mcp-http-2026-wire' | 'mcp-http-baseline-wire' | 'mcp-http-trusted-wire' | 'mcp-stdio-wire' | 'mcp-stdio-2026-wire' | 'node-floor' | 'stdio-floor' | 'sdk-floor' | 'sdk-floor-2026'} path
 *   mcp-http is a 2025-11-25 SDK client, mcp-http-2026 a 2026-07-28 one; `*-wire` the same calls from a raw
 *   JSON-RPC client; node-floor is node:http + undici making the same OCS calls with no MCP (stdio-floor the same
 *   over stdio); sdk-floor is a
 *   bare SDK server with a constant tool
 * @property {string} operation
 * @property {number} calls_per_s
 * @property {number} p50_ms
 * @property {number} [p90_ms]
 * @property {number} p99_ms
 * @property {number} [mean_ms]
 * @property {number} [iterations]
 * @property {number} [concurrency]
 * @property {number} [server_cpu_ms_per_call] CPU time of the MCP server process per call
 * @property {string} [error]
 */

/**
 * One side of a tracing comparison: the same path on the untraced or the traced process.
 * @typedef {object} TracingSide
 * @property {number} rps
 * @property {number} p50_ms
 * @property {number} p99_ms
 * @property {number} cpu_ms_per_req CPU time of the service process per request
 * @property {number} requests
 */

/**
 * @typedef {object} TracingRow
 * @property {'router' | 'mcp-server'} service
 * @property {'router-openai' | 'router-ask' | 'mcp-get_subscriber'} path
 * @property {number} concurrency
 * @property {TracingSide} untraced tracing off (no OTEL_* variable)
 * @property {TracingSide} traced 100 % sampling, OTLP/HTTP to the harness's sink
 * @property {number} added_p50_ms traced − untraced
 * @property {number} added_p99_ms
 * @property {number} p50_ratio traced / untraced
 * @property {number} p99_ratio
 * @property {number} cpu_ratio
 */

/**
 * @typedef {object} TracingResults
 * @property {TracingRow[]} rows
 * @property {Record<string, {spans: number, requests: number, per_request: number}>} spans what the sink
 *   received from each traced service, against the requests sent to it (warm-ups included)
 */

/**
 * @typedef {object} FootprintRow
 * @property {number} cold_start_ms median
 * @property {number[]} [cold_start_runs_ms]
 * @property {number} rss_idle_mb
 * @property {number} rss_peak_mb
 * @property {number} [rss_peak_file_mb] file-backed part of the peak sample (RssFile)
 * @property {number} [install_size_mb]
 * @property {string} [rss_peak_during]
 * @property {string} [error]
 */

/**
 * @typedef {object} ImageFigures
 * @property {string} [label]
 * @property {string} [note]
 * @property {string} [command]
 * @property {string} [date]
 * @property {number} unpacked_mb
 * @property {number} layers
 * @property {number} node_e_0_ms
 * @property {number} samples_per_service
 * @property {Record<string, number>} start_to_healthy_ms
 * @property {Record<string, number>} start_to_healthy_ratio_to_node_e_0
 * @property {number} [ci_step_seconds]
 * @property {number} [stand_ins_seconds]
 */

/**
 * @typedef {object} BenchResults
 * @property {Record<string, unknown> & {cpu?: string, cores?: number, memory_gb?: number, node?: string, os?: string, date?: string, git_commit?: string}} machine
 * @property {string} [command]
 * @property {Record<string, unknown>} [options]
 * @property {RouterRow[]} router
 * @property {McpRow[]} mcp
 * @property {Record<string, any>} emulator
 * @property {import('./scenarios/mcp-profile.mjs').McpProfileRow[]} [mcp_profile]
 * @property {Record<string, FootprintRow>} footprint
 * @property {TracingResults} [tracing]
 * @property {Record<string, {rss_peak_mb: number, rss_peak_file_mb?: number}>} [footprint_extra] peaks of
 *   processes the footprint scenario does not start (ocs-mcp over stdio, the --mcp-baseline build)
 * @property {import('./processes.mjs').PhaseRss[]} [footprint_phases] idle and peak RSS per service and load phase
 * @property {string[]} [notes]
 * @property {number} [elapsed_s]
 */

const ROUTER_PATHS = /** @type {const} */ ([
  'direct',
  'router-openai',
  'router-openai-2w',
  'router-ask',
  'portkey',
]);
const MCP_PATHS = /** @type {const} */ ([
  'direct-rest',
  'node-floor',
  'mcp-http-baseline-wire',
  'mcp-http-wire',
  'mcp-http-2026-wire',
  'mcp-http-trusted-wire',
  'mcp-stdio-wire',
  'mcp-stdio-2026-wire',
  'stdio-floor',
  'mcp-http-baseline',
  'mcp-http',
  'mcp-http-2026',
  'mcp-stdio',
  'sdk-floor',
  'sdk-floor-2026',
]);

/** @param {number | undefined | null} value @param {number} [digits] */
export function fmt(value, digits = 2) {
  if (value === undefined || value === null || !Number.isFinite(value)) return 'n/a';
  return value.toFixed(digits);
}

/** Signed difference, e.g. "+0.42". @param {number} value */
function signed(value, digits = 2) {
  if (!Number.isFinite(value)) return 'n/a';
  return `${value >= 0 ? '+' : ''}${value.toFixed(digits)}`;
}

/** @param {number} value */
function times(value) {
  return Number.isFinite(value) ? `${value.toFixed(2)}×` : 'n/a';
}

/** @param {string[]} header @param {string[][]} rows */
function table(header, rows) {
  const lines = [
    `| ${header.join(' | ')} |`,
    `|${header.map((_h, i) => (i === 0 ? '---' : '---:')).join('|')}|`,
  ];
  for (const row of rows) lines.push(`| ${row.join(' | ')} |`);
  return lines.join('\n');
}

/**
 * @param {RouterRow[]} rows
 * @param {string} path
 * @param {boolean} stream
 * @param {number} concurrency
 */
function findRouter(rows, path, stream, concurrency) {
  return rows.find(
    (r) => r.path === path && r.stream === stream && r.concurrency === concurrency && !r.error,
  );
}

/**
 * Concurrency levels present for non-streamed rows, ascending.
 * @param {RouterRow[]} rows
 */
function levels(rows) {
  return [...new Set(rows.filter((r) => !r.stream).map((r) => r.concurrency))].sort((a, b) => a - b);
}

/**
 * The concurrency the headline chart and summary use: 50 when measured, else the highest present.
 * @param {RouterRow[]} rows
 */
export function headlineConcurrency(rows) {
  const present = levels(rows);
  return present.includes(50) ? 50 : (present[present.length - 1] ?? 10);
}

/** Concurrency levels present in MCP rows (rows without one are the sequential level, 1). @param {McpRow[]} rows */
function mcpLevels(rows) {
  return [...new Set(rows.map((r) => r.concurrency ?? 1))].sort((a, b) => a - b);
}

/**
 * @param {McpRow[]} rows
 * @param {string} path
 * @param {string} operation
 * @param {number} concurrency
 */
function findMcp(rows, path, operation, concurrency) {
  return rows.find(
    (r) => r.path === path && r.operation === operation && (r.concurrency ?? 1) === concurrency && !r.error,
  );
}

/**
 * The few figures a reader (and the final report) wants first, derived from one results object.
 * @param {BenchResults} results
 */
export function headline(results) {
  const c = headlineConcurrency(results.router);
  const direct = findRouter(results.router, 'direct', false, c);
  const openai = findRouter(results.router, 'router-openai', false, c);
  const ask = findRouter(results.router, 'router-ask', false, c);
  const portkey = findRouter(results.router, 'portkey', false, c);
  // MCP figures at concurrency 10 when measured (the issue's reference level), else the first level present.
  const mcpLevel = mcpLevels(results.mcp).includes(10) ? 10 : (mcpLevels(results.mcp)[0] ?? 10);
  const mcpGet = (/** @type {string} */ path) => findMcp(results.mcp, path, 'get_subscriber', mcpLevel);
  const seq = (/** @type {string} */ path) =>
    results.router.find((r) => r.path === path && r.concurrency === 1 && !r.stream && !r.error);
  return {
    sequential_router_openai_added_p50_ms: added(seq('router-openai')?.p50_ms, seq('direct')?.p50_ms),
    sequential_router_ask_added_p50_ms: added(seq('router-ask')?.p50_ms, seq('direct')?.p50_ms),
    sequential_portkey_added_p50_ms: added(seq('portkey')?.p50_ms, seq('direct')?.p50_ms),
    concurrency: c,
    router_openai_added_p50_ms: added(openai?.p50_ms, direct?.p50_ms),
    router_openai_added_p99_ms: added(openai?.p99_ms, direct?.p99_ms),
    router_ask_added_p50_ms: added(ask?.p50_ms, direct?.p50_ms),
    router_ask_added_p99_ms: added(ask?.p99_ms, direct?.p99_ms),
    portkey_added_p50_ms: added(portkey?.p50_ms, direct?.p50_ms),
    portkey_added_p99_ms: added(portkey?.p99_ms, direct?.p99_ms),
    router_openai_rps_vs_portkey: ratio(openai?.rps, portkey?.rps),
    router_ask_rps_vs_portkey: ratio(ask?.rps, portkey?.rps),
    router_openai_rps_vs_direct: ratio(openai?.rps, direct?.rps),
    router_2_workers_rps: findRouter(results.router, 'router-openai-2w', false, c)?.rps ?? Number.NaN,
    router_2_workers_rps_vs_1: ratio(
      findRouter(results.router, 'router-openai-2w', false, c)?.rps,
      openai?.rps,
    ),
    router_2_workers_rps_vs_portkey: ratio(
      findRouter(results.router, 'router-openai-2w', false, c)?.rps,
      portkey?.rps,
    ),
    router_openai_cpu_ms_per_req: openai?.cpu_ms_per_req ?? Number.NaN,
    router_ask_cpu_ms_per_req: ask?.cpu_ms_per_req ?? Number.NaN,
    portkey_cpu_ms_per_req: portkey?.cpu_ms_per_req ?? Number.NaN,
    portkey_cpu_vs_router_openai: ratio(portkey?.cpu_ms_per_req, openai?.cpu_ms_per_req),
    mcp_concurrency: mcpLevel,
    mcp_http_added_p50_ms_get_subscriber: added(mcpGet('mcp-http')?.p50_ms, mcpGet('direct-rest')?.p50_ms),
    mcp_http_2026_added_p50_ms_get_subscriber: added(
      mcpGet('mcp-http-2026')?.p50_ms,
      mcpGet('direct-rest')?.p50_ms,
    ),
    mcp_stdio_added_p50_ms_get_subscriber: added(mcpGet('mcp-stdio')?.p50_ms, mcpGet('direct-rest')?.p50_ms),
    mcp_http_calls_vs_direct_get_subscriber: ratio(
      mcpGet('mcp-http')?.calls_per_s,
      mcpGet('direct-rest')?.calls_per_s,
    ),
    mcp_http_cpu_ms_per_call_get_subscriber: mcpGet('mcp-http')?.server_cpu_ms_per_call ?? Number.NaN,
    sdk_floor_cpu_ms_per_call: mcpGet('sdk-floor')?.server_cpu_ms_per_call ?? Number.NaN,
    mcp_http_wire_added_p50_ms_get_subscriber: added(
      mcpGet('mcp-http-wire')?.p50_ms,
      mcpGet('direct-rest')?.p50_ms,
    ),
    mcp_http_2026_wire_added_p50_ms_get_subscriber: added(
      mcpGet('mcp-http-2026-wire')?.p50_ms,
      mcpGet('direct-rest')?.p50_ms,
    ),
    mcp_stdio_wire_added_p50_ms_get_subscriber: added(
      mcpGet('mcp-stdio-wire')?.p50_ms,
      mcpGet('direct-rest')?.p50_ms,
    ),
    mcp_http_wire_calls_vs_direct_get_subscriber: ratio(
      mcpGet('mcp-http-wire')?.calls_per_s,
      mcpGet('direct-rest')?.calls_per_s,
    ),
    mcp_http_wire_cpu_ms_per_call_get_subscriber:
      mcpGet('mcp-http-wire')?.server_cpu_ms_per_call ?? Number.NaN,
    node_floor_added_p50_ms_get_subscriber: added(
      mcpGet('node-floor')?.p50_ms,
      mcpGet('direct-rest')?.p50_ms,
    ),
    node_floor_calls_vs_direct_get_subscriber: ratio(
      mcpGet('node-floor')?.calls_per_s,
      mcpGet('direct-rest')?.calls_per_s,
    ),
    node_floor_cpu_ms_per_call: mcpGet('node-floor')?.server_cpu_ms_per_call ?? Number.NaN,
    ...trustHeadline(results.mcp, mcpLevel),
    ...tracingHeadline(results.tracing?.rows ?? []),
  };
}

/**
 * What the trust features (scoped bearer token, audit file, transaction ledger) add to a call: the trusted
 * server's raw-client figures against the plain one's, per operation, at `level`.
 * @param {McpRow[]} rows
 * @param {number} level
 */
function trustHeadline(rows, level) {
  const at = (/** @type {string} */ path, /** @type {string} */ operation) =>
    findMcp(rows, path, operation, level);
  const p50 = (/** @type {string} */ operation) =>
    added(at('mcp-http-trusted-wire', operation)?.p50_ms, at('mcp-http-wire', operation)?.p50_ms);
  const cpu = (/** @type {string} */ operation) =>
    added(
      at('mcp-http-trusted-wire', operation)?.server_cpu_ms_per_call,
      at('mcp-http-wire', operation)?.server_cpu_ms_per_call,
    );
  return {
    trust_added_p50_ms_get_subscriber: p50('get_subscriber'),
    trust_cpu_added_ms_get_subscriber: cpu('get_subscriber'),
    trust_added_p50_ms_create_balance: p50('create_balance'),
    trust_cpu_added_ms_create_balance: cpu('create_balance'),
  };
}

/**
 * What tracing at 100 % sampling adds, at the lightest level measured of each path (NaN when not run).
 * @param {TracingRow[]} rows
 */
function tracingHeadline(rows) {
  /** @param {TracingRow['path']} path */
  const lightest = (path) =>
    rows.filter((r) => r.path === path).sort((a, b) => a.concurrency - b.concurrency)[0];
  const openai = lightest('router-openai');
  const ask = lightest('router-ask');
  const mcp = lightest('mcp-get_subscriber');
  return {
    tracing_router_openai_concurrency: openai?.concurrency ?? Number.NaN,
    tracing_router_openai_added_p50_ms: openai?.added_p50_ms ?? Number.NaN,
    tracing_router_openai_p50_ratio: openai?.p50_ratio ?? Number.NaN,
    tracing_router_openai_cpu_ratio: openai?.cpu_ratio ?? Number.NaN,
    tracing_router_ask_added_p50_ms: ask?.added_p50_ms ?? Number.NaN,
    tracing_router_ask_cpu_ratio: ask?.cpu_ratio ?? Number.NaN,
    tracing_mcp_get_subscriber_concurrency: mcp?.concurrency ?? Number.NaN,
    tracing_mcp_get_subscriber_added_p50_ms: mcp?.added_p50_ms ?? Number.NaN,
    tracing_mcp_get_subscriber_cpu_ratio: mcp?.cpu_ratio ?? Number.NaN,
  };
}

/**
 * All SVG charts for a results object, keyed by file name (written under docs/bench/).
 * @param {BenchResults} results
 * @returns {Record<string, string>}
 */
export function renderCharts(results) {
  /** @type {Record<string, string>} */
  const charts = {};
  const c = headlineConcurrency(results.router);
  const latencyPaths = ROUTER_PATHS.filter((p) => findRouter(results.router, p, false, c));
  charts['router-latency.svg'] = groupedBarChart({
    title: `Chat completion latency at concurrency ${c} (lower is better)`,
    subtitle: 'same fake upstream; direct = no gateway (the physical limit); log scale',
    logScale: true,
    yLabel: 'latency (ms)',
    groups: [...latencyPaths],
    series: ['p50', 'p90', 'p99'],
    values: latencyPaths.map((p) => {
      const row = findRouter(results.router, p, false, c);
      return [row?.p50_ms ?? Number.NaN, row?.p90_ms ?? Number.NaN, row?.p99_ms ?? Number.NaN];
    }),
  });
  // Concurrency 1 is the sequential latency run, not a throughput measurement.
  const xs = levels(results.router).filter((x) => x > 1);
  charts['router-throughput.svg'] = lineChart({
    title: 'Chat completion throughput by concurrency (higher is better)',
    subtitle: 'closed loop, non-streamed, one process per service',
    xLabel: 'concurrent connections',
    yLabel: 'requests per second',
    xValues: xs,
    series: ROUTER_PATHS.map((p) => ({
      name: p,
      points: xs.map((x) => ({ x, y: findRouter(results.router, p, false, x)?.rps ?? Number.NaN })),
    })).filter((s) => s.points.some((pt) => Number.isFinite(pt.y))),
  });
  const cpuPaths = ROUTER_PATHS.filter((p) =>
    results.router.some((r) => r.path === p && !r.stream && r.cpu_ms_per_req !== undefined),
  );
  if (cpuPaths.length > 0) {
    charts['router-cpu.svg'] = groupedBarChart({
      title: 'Gateway CPU time per request (lower is better)',
      subtitle: 'user + system CPU of the gateway process over the measured window / 2xx responses',
      yLabel: 'CPU ms per request',
      groups: [...cpuPaths],
      series: xs.map((x) => `c=${x}`),
      values: cpuPaths.map((p) =>
        xs.map((x) => findRouter(results.router, p, false, x)?.cpu_ms_per_req ?? Number.NaN),
      ),
    });
  }
  const streamRows = results.router.filter((r) => r.stream && !r.error);
  if (streamRows.length > 0) {
    const sc = streamRows[0]?.concurrency ?? 10;
    const streamPaths = ROUTER_PATHS.filter((p) => findRouter(results.router, p, true, sc));
    charts['router-streaming.svg'] = groupedBarChart({
      title: `Streaming at concurrency ${sc}: first and last token (lower is better)`,
      subtitle: 'time from request start; the fake upstream spaces its SSE events evenly',
      yLabel: 'milliseconds',
      groups: [...streamPaths],
      series: ['TTFT p50', 'TTFT p99', 'last token p50', 'last token p99'],
      values: streamPaths.map((p) => {
        const row = findRouter(results.router, p, true, sc);
        return [
          row?.ttft_p50_ms ?? Number.NaN,
          row?.ttft_p99_ms ?? Number.NaN,
          row?.p50_ms ?? Number.NaN,
          row?.p99_ms ?? Number.NaN,
        ];
      }),
    });
  }
  const operations = [...new Set(results.mcp.map((r) => r.operation))];
  if (operations.length > 0) {
    charts['mcp-latency.svg'] = groupedBarChart({
      title: `OCS operation latency at concurrency ${mcpLevels(results.mcp)[0] ?? 1}: p50 (lower is better)`,
      subtitle: 'direct REST to the emulator vs the same operation as an MCP tool call',
      yLabel: 'latency p50 (ms)',
      groups: operations,
      series: [...MCP_PATHS],
      values: operations.map((op) =>
        MCP_PATHS.map(
          (p) => findMcp(results.mcp, p, op, mcpLevels(results.mcp)[0] ?? 1)?.p50_ms ?? Number.NaN,
        ),
      ),
    });
  }
  return charts;
}

/**
 * The whole docs/benchmarks.md page.
 * @param {BenchResults} results
 * @param {{chartDir?: string}} [options] chart path relative to docs/ (default "bench")
 * @returns {string}
 */
export function renderMarkdown(results, options = {}) {
  const chartDir = options.chartDir ?? 'bench';
  const m = results.machine;
  const h = headline(results);
  const out = [];
  out.push('# Benchmarks');
  out.push('');
  out.push(
    '<!-- Generated by bench/run.mjs from bench/results/latest.json; edit the generator, not this file. -->',
  );
  out.push('');
  out.push(
    'Every figure below comes from **one run** of the command shown, on the machine described, with all services on loopback. ' +
      'Absolute numbers depend on the machine; the **ratios and differences against a baseline measured in the same run** are what carries over.',
  );
  out.push('');
  out.push('```sh');
  out.push(String(results.command ?? 'npm run bench'));
  out.push('```');
  out.push('');
  out.push('## Summary');
  out.push('');
  if (Number.isFinite(h.sequential_router_openai_added_p50_ms)) {
    out.push(
      `One request at a time, the router adds **${fmt(h.sequential_router_openai_added_p50_ms)} ms** at p50 on \`/v1/chat/completions\` (\`/ask\`: ${fmt(h.sequential_router_ask_added_p50_ms)} ms) and Portkey adds ${fmt(h.sequential_portkey_added_p50_ms)} ms. For calibration, llm-gateway-bench measured Portkey 1.15.2 at 2.37 ms sequential overhead on a GitHub Actions runner (shared/providers/WIRE.md, source G2).`,
    );
    out.push('');
  }
  out.push(`At ${h.concurrency} concurrent connections, against the same fake upstream:`);
  out.push('');
  out.push(
    `- Router \`/v1/chat/completions\` adds **${fmt(h.router_openai_added_p50_ms)} ms at p50** and **${fmt(h.router_openai_added_p99_ms)} ms at p99** over calling the upstream directly; \`/ask\` adds ${fmt(h.router_ask_added_p50_ms)} ms / ${fmt(h.router_ask_added_p99_ms)} ms.`,
  );
  out.push(
    `- Portkey gateway 1.15.2 adds ${fmt(h.portkey_added_p50_ms)} ms at p50 and ${fmt(h.portkey_added_p99_ms)} ms at p99.`,
  );
  out.push(
    `- Router throughput is **${times(h.router_openai_rps_vs_portkey)} Portkey's** (\`/v1/chat/completions\`; \`/ask\`: ${times(h.router_ask_rps_vs_portkey)}), and ${times(h.router_openai_rps_vs_direct)} of the upstream alone. With \`ROUTER_WORKERS=2\` (\`router-openai-2w\`): ${times(h.router_2_workers_rps_vs_1)} one worker's throughput, ${times(h.router_2_workers_rps_vs_portkey)} Portkey's (the load generator, the fake upstream and both workers share the same cores).`,
  );
  out.push(
    `- CPU per request, the figure least sensitive to a busy machine: router ${fmt(h.router_openai_cpu_ms_per_req, 3)} ms (\`/ask\` ${fmt(h.router_ask_cpu_ms_per_req, 3)} ms), Portkey ${fmt(h.portkey_cpu_ms_per_req, 3)} ms: Portkey spends **${times(h.portkey_cpu_vs_router_openai)}** the router's CPU per request.`,
  );
  out.push(
    `- An MCP tool call over Streamable HTTP, from a raw JSON-RPC client, adds ${fmt(h.mcp_http_wire_added_p50_ms_get_subscriber)} ms at p50 over the same REST call (get_subscriber, ${h.mcp_concurrency} concurrent calls, 2025-11-25; 2026-07-28 ${fmt(h.mcp_http_2026_wire_added_p50_ms_get_subscriber)} ms), runs at ${times(h.mcp_http_wire_calls_vs_direct_get_subscriber)} the direct REST calls/s and costs the MCP server ${fmt(h.mcp_http_wire_cpu_ms_per_call_get_subscriber, 3)} ms of CPU per call. The Node floor (node:http and undici making the same OCS call, no MCP at all) adds ${fmt(h.node_floor_added_p50_ms_get_subscriber)} ms, runs at ${times(h.node_floor_calls_vs_direct_get_subscriber)} and costs ${fmt(h.node_floor_cpu_ms_per_call, 3)} ms; the bare SDK with a constant tool costs ${fmt(h.sdk_floor_cpu_ms_per_call, 3)} ms.`,
  );
  out.push(
    `- From the official SDK client (whose own cost runs in the load generator, on the same cores) the same call adds ${fmt(h.mcp_http_added_p50_ms_get_subscriber)} ms (2026-07-28: ${fmt(h.mcp_http_2026_added_p50_ms_get_subscriber)} ms) at ${times(h.mcp_http_calls_vs_direct_get_subscriber)} the direct calls/s; over stdio ${fmt(h.mcp_stdio_added_p50_ms_get_subscriber)} ms${Number.isFinite(h.mcp_stdio_wire_added_p50_ms_get_subscriber) ? ` (raw client: ${fmt(h.mcp_stdio_wire_added_p50_ms_get_subscriber)} ms)` : ''}.`,
  );
  if (Number.isFinite(h.trust_added_p50_ms_create_balance)) {
    out.push(
      `- The trust features (scoped bearer token, audit file, and for writes the transaction ledger on SQLite) add ${signed(h.trust_added_p50_ms_get_subscriber)} ms at p50 and ${signed(h.trust_cpu_added_ms_get_subscriber, 3)} ms of CPU to a get_subscriber call, ${signed(h.trust_added_p50_ms_create_balance)} ms and ${signed(h.trust_cpu_added_ms_create_balance, 3)} ms to a create_balance (\`mcp-http-trusted-wire\` against \`mcp-http-wire\`, ${h.mcp_concurrency} concurrent calls).`,
    );
  }
  if (Number.isFinite(h.tracing_router_openai_added_p50_ms)) {
    out.push(
      `- Tracing on at 100 % sampling (OTLP/HTTP export) adds ${signed(h.tracing_router_openai_added_p50_ms)} ms at p50 to \`/v1/chat/completions\` (${times(h.tracing_router_openai_p50_ratio)}, CPU per request ${times(h.tracing_router_openai_cpu_ratio)}; concurrency ${h.tracing_router_openai_concurrency}), ${signed(h.tracing_router_ask_added_p50_ms)} ms to \`/ask\` and ${signed(h.tracing_mcp_get_subscriber_added_p50_ms)} ms to an MCP get_subscriber call (concurrency ${h.tracing_mcp_get_subscriber_concurrency}); see [Tracing cost](#tracing-cost).`,
    );
  }
  out.push('');
  out.push('## How to read this');
  out.push('');
  out.push(
    '- **direct** is the fake upstream called with no gateway in between: the physical limit of this machine for the load generator + upstream pair. Everything else is compared with it.',
  );
  out.push(
    "- **added** = path latency − direct latency at the same percentile and concurrency: what the gateway costs. **× Portkey** = our throughput divided by Portkey's in the same run (above 1 is better).",
  );
  out.push(
    '- Loads are closed loops (each connection sends its next request when the previous answer arrives), so at high concurrency latency grows with queueing; read p50/p99 together with requests/s.',
  );
  out.push(
    '- The load generator, the fake upstream and the gateway share the same cores. On a 2-core machine the gateway competes with its own load generator, so throughput is a lower bound; the comparison between paths is fair because every path pays the same.',
  );
  out.push(
    "- Latency percentiles are computed from every response time (float milliseconds), not from autocannon's 1 ms histogram.",
  );
  out.push('');
  out.push('## Machine');
  out.push('');
  out.push(
    table(
      ['', ''],
      [
        ['CPU', String(m.cpu ?? 'n/a')],
        ['Cores', String(m.cores ?? 'n/a')],
        ['Memory', `${fmt(/** @type {number} */ (m.memory_gb), 1)} GB`],
        ['Node', String(m.node ?? 'n/a')],
        ['OS', String(m.os ?? 'n/a')],
        ['Date', String(m.date ?? 'n/a')],
        [
          'Git commit',
          `\`${String(m.git_commit ?? 'n/a')}\`${m.git_dirty ? ' (work tree had uncommitted changes)' : ''}`,
        ],
        [
          'Load average (1/5/15 min) at start → end',
          `${/** @type {number[]} */ (m.load_average_at_start ?? []).join(' / ') || 'n/a'} → ${/** @type {number[]} */ (m.load_average_at_end ?? []).join(' / ') || 'n/a'}`,
        ],
        ['Run time', `${fmt(results.elapsed_s, 0)} s`],
      ],
    ),
  );
  out.push('');
  out.push(...targetsSection(results));
  out.push(...routerSection(results, chartDir));
  out.push(...streamingSection(results, chartDir));
  out.push(...mcpSection(results, chartDir));
  out.push(...tracingSection(results));
  out.push(...emulatorSection(results));
  out.push(...footprintSection(results));
  out.push(...imageSection(results));
  if (results.notes && results.notes.length > 0) {
    out.push('## Notes from this run');
    out.push('');
    for (const note of results.notes) out.push(`- ${note}`);
    out.push('');
  }
  out.push('## Method');
  out.push('');
  out.push(
    '- `bench/run.mjs` starts every service as its own child process (`node packages/<pkg>/dist/bin.js`, Portkey via its published `build/start-server.js --headless`), on free loopback ports, and stops them all at the end. Raw figures: `bench/results/latest.json`.',
  );
  out.push(
    '- Fake upstream (`bench/fake-upstream.mjs`): node:http, a fixed `chat.completion` body; with `"stream": true` a fixed SSE answer (role chunk, 4 text chunks, finish chunk, usage chunk with `choices: []`, `[DONE]`), one event every `--chunk-interval-ms` (default 2 ms). `--upstream-delay-ms` adds a fixed wait before the first byte (default 0, to expose gateway cost).',
  );
  out.push(
    '- Router under test: `LLM_PROVIDER=openai`, `OPENAI_BASE_URL` = the fake upstream, `ROUTER_STORE=memory`, `MCP_CONFIG=none` (no MCP tools, so `/ask` is measured without the tool loop), `LOG_LEVEL=warn` (no per-request log lines; Portkey writes none either).',
  );
  out.push(
    "- Portkey: `@portkey-ai/gateway` 1.15.2, called with `x-portkey-provider: openai` and `x-portkey-custom-host`. As installed (its nested `@hono/node-server` 1.19) its streaming path throws `TypeError: immutable` (Portkey issues #1389/#1550); the harness preloads `bench/portkey-headers-shim.mjs`, which skips Portkey's own response-header additions when the headers are immutable (what the proposed fix in Portkey PR #1390 does). Non-streamed responses take the same path with or without the shim.",
  );
  out.push(
    '- Non-streamed load: autocannon 8 (library), one warm-up period per path and level, then the measured period; the paths are interleaved at each concurrency level so drift hits them alike. Streaming: a closed loop of `undici.request` clients that records time to the first content token and to the end of the stream.',
  );
  out.push(
    '- MCP: one long-lived SDK v2 client per transport (Streamable HTTP to `ocs-mcp --http`, stdio to `ocs-mcp`), the emulator on a temporary SQLite file (WAL). `direct-rest` makes the same OCS calls the tool makes (lookup_subscriber = lookup + get).',
  );
  out.push(
    '- Footprint: cold start = spawn of `node dist/bin.js` until the first 2xx from its health endpoint (median of several spawns); RSS from `/proc/<pid>/status` (VmRSS), idle = after start-up settles, peak = highest sample (every 100 ms) during the load scenarios; install size = production dependency tree from `npm ls --omit=dev --all --parseable`, each file counted once, workspace packages counted by their `dist/` only.',
  );
  out.push('');
  return `${out.join('\n')}`;
}

/**
 * The targets set in shared/providers/WIRE.md ("What this means for us"), checked against this run.
 * Overhead is read at the lightest level measured (closest to the 100 RPS the target names).
 * @param {BenchResults} results
 */
export function targetChecks(results) {
  const present = levels(results.router);
  const light = present[0] ?? 10;
  const direct = findRouter(results.router, 'direct', false, light);
  const openai = findRouter(results.router, 'router-openai', false, light);
  const bestRps = Math.max(
    ...results.router.filter((r) => r.path === 'router-openai' && !r.stream && !r.error).map((r) => r.rps),
  );
  const router = results.footprint?.router;
  /** @type {Array<{target: string, measured: string, met: boolean | undefined}>} */
  const checks = [];
  /** @param {string} target @param {number} value @param {string} unit @param {(v: number) => boolean} ok */
  const check = (target, value, unit, ok) =>
    checks.push({
      target,
      measured: Number.isFinite(value) ? `${fmt(value)} ${unit}` : 'n/a',
      met: Number.isFinite(value) ? ok(value) : undefined,
    });
  check(
    `router added latency p50 < 1 ms (c=${light})`,
    added(openai?.p50_ms, direct?.p50_ms),
    'ms',
    (v) => v < 1,
  );
  check(
    `router added latency p99 < 5 ms (c=${light})`,
    added(openai?.p99_ms, direct?.p99_ms),
    'ms',
    (v) => v < 5,
  );
  check('router ≥ 1,000 req/s on this machine (best level)', bestRps, 'req/s', (v) => v >= 1000);
  check('router cold start < 1 s (target 2 s)', router?.cold_start_ms ?? Number.NaN, 'ms', (v) => v < 1000);
  check('router RSS < 100 MB at peak', router?.rss_peak_mb ?? Number.NaN, 'MB', (v) => v < 100);
  // MCP targets (issue #16): added latency per OCS round trip, throughput against direct REST, CPU per call.
  // Each MCP target is judged on the raw JSON-RPC client (`*-wire`: the server's cost alone); the SDK
  // client's figure (its own cost included) and the Node floor (no MCP at all) stand beside it in brackets.
  for (const concurrency of [1, 10]) {
    for (const operation of ['get_subscriber', 'create_balance']) {
      const direct = findMcp(results.mcp, 'direct-rest', operation, concurrency);
      const addedOn = (/** @type {string} */ path) =>
        added(findMcp(results.mcp, path, operation, concurrency)?.p50_ms, direct?.p50_ms);
      const what = `MCP HTTP adds < 1 ms p50 per OCS round trip, ${operation}, c=${concurrency}`;
      check(`${what} (2025-11-25)`, addedOn('mcp-http-wire'), 'ms', (v) => v < 1);
      check(`${what} (2026-07-28)`, addedOn('mcp-http-2026-wire'), 'ms', (v) => v < 1);
      check(`(${what}: 2025-11-25 SDK client)`, addedOn('mcp-http'), 'ms', (v) => v < 1);
      check(`(${what}: 2026-07-28 SDK client)`, addedOn('mcp-http-2026'), 'ms', (v) => v < 1);
      check(
        `(the Node floor, same OCS call, ${operation}, c=${concurrency})`,
        addedOn('node-floor'),
        'ms',
        (v) => v < 1,
      );
    }
    const directGet = findMcp(results.mcp, 'direct-rest', 'get_subscriber', concurrency);
    const stdio = (/** @type {string} */ path) =>
      added(findMcp(results.mcp, path, 'get_subscriber', concurrency)?.p50_ms, directGet?.p50_ms);
    check(
      `MCP stdio adds < 0.3 ms p50, get_subscriber, c=${concurrency}`,
      stdio('mcp-stdio-wire'),
      'ms',
      (v) => v < 0.3,
    );
    check(
      `(MCP stdio, get_subscriber, c=${concurrency}: SDK client)`,
      stdio('mcp-stdio'),
      'ms',
      (v) => v < 0.3,
    );
    check(
      `(the Node floor over stdio, same OCS call, get_subscriber, c=${concurrency})`,
      stdio('stdio-floor'),
      'ms',
      (v) => v < 0.3,
    );
  }
  const get10 = (/** @type {string} */ path) => findMcp(results.mcp, path, 'get_subscriber', 10);
  const vsDirect = (/** @type {string} */ path) =>
    ratio(get10(path)?.calls_per_s, get10('direct-rest')?.calls_per_s);
  check(
    'MCP HTTP throughput ≥ 0.5× direct REST, get_subscriber, c=10',
    vsDirect('mcp-http-wire'),
    '×',
    (v) => v >= 0.5,
  );
  check(
    '(MCP HTTP throughput, get_subscriber, c=10: SDK client)',
    vsDirect('mcp-http'),
    '×',
    (v) => v >= 0.5,
  );
  check('(the Node floor throughput, get_subscriber, c=10)', vsDirect('node-floor'), '×', (v) => v >= 0.5);
  const cpu = (/** @type {string} */ path) => get10(path)?.server_cpu_ms_per_call ?? Number.NaN;
  check(
    'MCP server CPU ≤ 0.3 ms per HTTP call, get_subscriber, c=10',
    cpu('mcp-http-wire'),
    'ms',
    (v) => v <= 0.3,
  );
  check(
    '(the Node floor: node:http + undici, same OCS call, CPU per call, c=10)',
    cpu('node-floor'),
    'ms',
    (v) => v <= 0.3,
  );
  check(
    '(the SDK floor: bare SDK server, constant tool, CPU per HTTP call, c=10)',
    cpu('sdk-floor'),
    'ms',
    (v) => v <= 0.3,
  );
  for (const name of ['mcp-server', 'emulator']) {
    const f = results.footprint?.[name];
    check(`${name} RSS < 100 MB at peak`, f?.rss_peak_mb ?? Number.NaN, 'MB', (v) => v < 100);
  }
  return checks;
}

/** @param {BenchResults} results */
function targetsSection(results) {
  const checks = targetChecks(results);
  const out = ['## Against the targets', ''];
  out.push(
    'Router targets from `shared/providers/WIRE.md` ("What this means for us", set to beat Portkey); MCP and memory targets from issue #16. A target missed on a loaded 2-core machine may still be met on a quiet one; the ratios in the tables below are the machine-independent part.',
  );
  out.push('');
  out.push(
    table(
      ['target', 'measured', 'met'],
      checks.map((c) => [c.target, c.measured, c.met === undefined ? 'n/a' : c.met ? 'yes' : '**no**']),
    ),
  );
  out.push('');
  return out;
}

/** @param {BenchResults} results @param {string} chartDir */
function routerSection(results, chartDir) {
  const out = ['## Router overhead', ''];
  out.push(
    'Non-streamed `POST /v1/chat/completions` (router: also `POST /ask`, which validates the envelope, builds the prompt and maps the answer) at fixed concurrency.',
  );
  out.push('');
  for (const c of levels(results.router)) {
    const direct = findRouter(results.router, 'direct', false, c);
    const portkey = findRouter(results.router, 'portkey', false, c);
    out.push(
      c === 1
        ? `### Concurrency 1 (one request at a time; the paths take turns in blocks of ${SEQUENTIAL_BLOCK} requests in a row; req/s = 1 / mean latency)`
        : `### Concurrency ${c}`,
    );
    out.push('');
    const rows = ROUTER_PATHS.map((p) => {
      const row = results.router.find((r) => r.path === p && !r.stream && r.concurrency === c);
      if (!row) return null;
      if (row.error) return [p, `failed: ${row.error}`, '', '', '', '', '', '', '', ''];
      return [
        `**${p}**`,
        fmt(row.rps, 0),
        fmt(row.p50_ms),
        fmt(row.p90_ms),
        fmt(row.p99_ms),
        p === 'direct' ? '—' : signed(added(row.p50_ms, direct?.p50_ms)),
        p === 'direct' ? '—' : signed(added(row.p99_ms, direct?.p99_ms)),
        times(ratio(row.rps, direct?.rps)),
        p === 'direct' || p === 'portkey' ? '—' : times(ratio(row.rps, portkey?.rps)),
        row.cpu_ms_per_req === undefined ? '—' : fmt(row.cpu_ms_per_req, 3),
      ];
    }).filter((r) => r !== null);
    out.push(
      table(
        [
          'path',
          'req/s',
          'p50 ms',
          'p90 ms',
          'p99 ms',
          'added p50 ms',
          'added p99 ms',
          '× direct req/s',
          '× Portkey req/s',
          'gateway CPU ms/req',
        ],
        /** @type {string[][]} */ (rows),
      ),
    );
    out.push('');
  }
  out.push(`![Latency by path](${chartDir}/router-latency.svg)`);
  out.push('');
  out.push(`![Throughput by concurrency](${chartDir}/router-throughput.svg)`);
  out.push('');
  out.push(`![Gateway CPU per request](${chartDir}/router-cpu.svg)`);
  out.push('');
  return out;
}

/** @param {BenchResults} results @param {string} chartDir */
function streamingSection(results, chartDir) {
  const streamRows = results.router.filter((r) => r.stream);
  if (streamRows.length === 0) return [];
  const sc = streamRows[0]?.concurrency ?? 10;
  const direct = findRouter(results.router, 'direct', true, sc);
  const portkeyStream = findRouter(results.router, 'portkey', true, sc);
  const out = ['## Streaming: time to first and last token', ''];
  out.push(
    `SSE answers at concurrency ${sc}. TTFT = request start to the first content token; last = request start to the end of the stream. A gateway that buffered the stream would show a TTFT close to its last-token time.`,
  );
  out.push('');
  const rows = ROUTER_PATHS.map((p) => {
    const row = streamRows.find((r) => r.path === p);
    if (!row) return null;
    if (row.error) return [p, `failed: ${row.error}`, '', '', '', '', '', '', ''];
    return [
      `**${p}**`,
      fmt(row.rps, 0),
      fmt(row.ttft_p50_ms),
      fmt(row.ttft_p99_ms),
      fmt(row.p50_ms),
      fmt(row.p99_ms),
      p === 'direct' ? '—' : signed(added(row.ttft_p50_ms, direct?.ttft_p50_ms)),
      p === 'direct' ? '—' : signed(added(row.p50_ms, direct?.p50_ms)),
      p === 'direct' || p === 'portkey' ? '—' : times(ratio(row.rps, portkeyStream?.rps)),
    ];
  }).filter((r) => r !== null);
  out.push(
    table(
      [
        'path',
        'streams/s',
        'TTFT p50 ms',
        'TTFT p99 ms',
        'last p50 ms',
        'last p99 ms',
        'added TTFT p50 ms',
        'added last p50 ms',
        '× Portkey streams/s',
      ],
      /** @type {string[][]} */ (rows),
    ),
  );
  out.push('');
  // The upstream spreads its events over (last - TTFT) of the direct path; a gateway whose spread collapses
  // delivered the events together: it was behind the upstream (busy) or held them back (buffered).
  const directSpread = (direct?.p50_ms ?? Number.NaN) - (direct?.ttft_p50_ms ?? Number.NaN);
  for (const p of ROUTER_PATHS) {
    const row = findRouter(results.router, p, true, sc);
    if (!row || p === 'direct' || !Number.isFinite(directSpread) || directSpread <= 0) continue;
    const spread = row.p50_ms - (row.ttft_p50_ms ?? Number.NaN);
    if (spread < directSpread * 0.25) {
      out.push(
        `- **${p}**: first and last token arrive ${fmt(spread)} ms apart at p50, against ${fmt(directSpread)} ms straight from the upstream: at this load it forwards the events in one burst (it falls behind the upstream's ${String(results.options?.chunk_interval_ms ?? 2)} ms spacing, or buffers), so its TTFT is in effect its full answer time. Rerun with a larger \`--chunk-interval-ms\` to tell the two apart.`,
      );
      out.push('');
    }
  }
  out.push(`![Streaming TTFT](${chartDir}/router-streaming.svg)`);
  out.push('');
  return out;
}

/** @param {BenchResults} results @param {string} chartDir */
function mcpSection(results, chartDir) {
  if (results.mcp.length === 0) return [];
  const out = ['## MCP overhead', ''];
  const mcpRounds = Number(/** @type {{rounds?: number} | undefined} */ (results.options?.mcp)?.rounds ?? 1);
  out.push(
    `The same OCS operation as direct REST calls to the emulator and as an MCP tool call, at each concurrency level in one run. At concurrency 1 the latency comes from a loop in which the paths take turns in blocks of ${SEQUENTIAL_BLOCK} calls in a row` +
      ' (so each server is as warm as for one client calling it back to back, and drift lands on every path alike); above it, from closed loops' +
      (mcpRounds > 1
        ? ` in which the paths take turns in ${mcpRounds} rounds (the order reversed every other round, each path's rounds merged), so drift again lands on every path alike.`
        : ' of each path in turn.') +
      ' The `*-wire` paths send the tools/call as raw JSON-RPC POSTs (stdio: JSON lines) from the same undici pool as the direct REST calls: they measure what the server adds. `mcp-http`, `mcp-http-2026` and `mcp-stdio` are the official SDK client (one long-lived client per transport): they add what that client costs, which runs in the load generator\'s process on the same two cores. `mcp-http` is a 2025-11-25 client (served statelessly), `mcp-http-2026` a 2026-07-28 client. `mcp-http-trusted-wire` is a second ocs-mcp with the trust features on, to price them: a scoped bearer token from `MCP_AUTH_TOKENS_FILE` (authentication and the scope gate), `MCP_AUDIT_FILE` (one hash-chained line written synchronously per call) and, since each of its `create_balance` calls carries a fresh `transaction_id`, the transaction ledger on the SQLite `MCP_STATE_FILE` (a claim and a settle per write). **node-floor** (`bench/node-floor.mjs`) is node:http reading the JSON-RPC body and one undici pool making the same OCS calls, answering as the 2025 transport does, with no MCP SDK, schema or check at all: the least any Node server can add on this machine; **stdio-floor** is the same script with `--stdio`, answering the same calls as JSON lines on stdin and stdout (the least a stdio server can add). **sdk-floor** is a bare SDK v2 server wired as the SDK documents (`createMcpHandler` + `toNodeHandler`) whose tool returns a constant: it makes no OCS call, so its whole latency is what the SDK alone adds, and its "added" column shows that latency. `mcp-http-baseline` (when present) is the MCP server built from an older revision (`--mcp-baseline`). `lookup_subscriber` makes two OCS calls on every path: the OCS lookup answers only `{"subscriberId"}` (BEHAVIOUR.md §4.4), so the record needs the second GET. Every path sends the OCS the same requests, each with an X-Transaction-ID as ocs-mcp sends one per tool call: a POST that carries one costs the emulator a replay record (its deduplication), so a direct call without it would be the cheaper request (`bench/test/same-ocs-requests.test.ts`).',
  );
  out.push('');
  const operations = [...new Set(results.mcp.map((r) => r.operation))];
  const rows = [];
  for (const concurrency of mcpLevels(results.mcp)) {
    for (const op of operations) {
      const base = findMcp(results.mcp, 'direct-rest', op, concurrency);
      for (const p of MCP_PATHS) {
        const row = results.mcp.find(
          (r) => r.path === p && r.operation === op && ((r.concurrency ?? 1) === concurrency || r.error),
        );
        if (!row) continue;
        if (row.error) {
          if (concurrency === mcpLevels(results.mcp)[0])
            rows.push([String(concurrency), op, p, `failed: ${row.error}`, '', '', '', '', '', '']);
          continue;
        }
        // The SDK floor makes no OCS call: its latency is shown whole, in brackets, not as "added".
        const floor = p.startsWith('sdk-floor');
        rows.push([
          String(concurrency),
          op,
          `**${p}**`,
          fmt(row.p50_ms),
          fmt(row.p99_ms),
          p === 'direct-rest'
            ? '—'
            : floor
              ? `(${fmt(row.p50_ms)})`
              : signed(added(row.p50_ms, base?.p50_ms)),
          p === 'direct-rest'
            ? '—'
            : floor
              ? `(${fmt(row.p99_ms)})`
              : signed(added(row.p99_ms, base?.p99_ms)),
          fmt(row.calls_per_s, 0),
          p === 'direct-rest' ? '—' : times(ratio(row.calls_per_s, base?.calls_per_s)),
          row.server_cpu_ms_per_call === undefined ? '—' : fmt(row.server_cpu_ms_per_call, 3),
        ]);
      }
    }
  }
  out.push(
    table(
      [
        'concurrency',
        'operation',
        'path',
        'p50 ms',
        'p99 ms',
        'added p50 ms',
        'added p99 ms',
        'calls/s',
        '× direct calls/s',
        'MCP server CPU ms/call',
      ],
      rows,
    ),
  );
  out.push('');
  out.push(`![MCP latency](${chartDir}/mcp-latency.svg)`);
  out.push('');
  out.push(...mcpProfileSection(results));
  return out;
}

/** @param {BenchResults} results */
function mcpProfileSection(results) {
  const profiles = (results.mcp_profile ?? []).filter((r) => !r.error);
  if (profiles.length === 0) return [];
  const out = ["### Where an MCP call's CPU goes", ''];
  out.push(
    'Each server process ran alone under `node --cpu-prof` on `get_subscriber` (raw 2025-11-25 JSON-RPC POSTs over Streamable HTTP) at concurrency 1 and 10. Every busy sample is charged to one stage by its stack (`stageBreakdown` in `bench/profile.mjs`: logging and schema validation wherever they sit, then the per-request server construction, then the first library frame); start-up samples are left out. The shares are scaled to the CPU time per call measured from `/proc` over the same loop, so each column sums to that figure. **node-floor** is node:http + undici making the same OCS call with no MCP at all; **sdk-floor** is the bare SDK with a constant tool (no OCS call); `ocs-mcp-baseline` is the older build given with `--mcp-baseline` (the before column).',
  );
  out.push('');
  const columns = profiles.map((r) => `${r.server} c=${r.concurrency}`);
  const body = STAGE_ORDER.map((stage) => [
    STAGE_LABELS[stage],
    ...profiles.map((r) => fmt(r.stages_ms_per_call[stage], 3)),
  ]);
  body.push(['**CPU per call (ms)**', ...profiles.map((r) => `**${fmt(r.cpu_ms_per_call, 3)}**`)]);
  body.push(['calls/s in the profiled loop', ...profiles.map((r) => fmt(r.calls_per_s, 0))]);
  out.push(table(['stage (ms of CPU per call)', ...columns], body));
  out.push('');
  const at10 = (/** @type {string} */ server) =>
    profiles.find((r) => r.server === server && r.concurrency === 10)?.cpu_ms_per_call;
  const ours = at10('ocs-mcp');
  const floor = at10('sdk-floor');
  const before = at10('ocs-mcp-baseline');
  if (ours !== undefined && floor !== undefined) {
    out.push(
      `At concurrency 10 the bare SDK costs ${fmt(floor, 3)} ms of CPU per call, ${times(ratio(floor, ours))} of ocs-mcp's ${fmt(ours, 3)} ms${before === undefined ? '' : ` (${fmt(before, 3)} ms before: ${times(ratio(ours, before))})`}: ${ours < floor ? "ocs-mcp now spends less on a real tool than the SDK does on a constant one, because its tools/call no longer goes through the SDK's per-request server (the fast path, see below); what it spends is its OCS round trip, its tool and Node's HTTP server." : 'the SDK is the floor of an MCP call over HTTP, and what ocs-mcp adds above it is its OCS round trip and its tool.'}`,
    );
    out.push('');
  }
  out.push(
    "What the SDK does per call that a server cannot opt out of (read from `@modelcontextprotocol/server` 2.4): it builds a McpServer, its Protocol and a transport for every request in both eras; it runs the same JSON-RPC message through several zod guards (`isJSONRPCRequest`, `isJSONRPCResultResponse`, `isJSONRPCErrorResponse`) and validates the `CallToolResult` against the wire schema after the tool's own output schema; `Protocol._onclose` builds an `SdkError` with a stack trace on every close; a 2025-11-25 request is answered over SSE through a re-wrapped `ReadableStream`. None of it is patched in the SDK: a `patch-package` patch would only reach this repository, not users who install the server from npm, so the fix belongs upstream. Instead ocs-mcp answers a plain stateless `tools/call` itself (`packages/mcp-server/src/http-fast-path.ts`, and `stdio-fast-path.ts` on a stdio connection of either era, reading stdin itself): the era is the SDK classifier's (a plain 2025 request, with no envelope claim, is decided without running it, since its guards put the whole body through zod as a result and as an error response first; a differential test holds that decision to the classifier's), the SDK's pre-dispatch gates are checked (exact standard headers, Accept, protocol version), then the tool's own zod schemas, the same tool-call code as the SDK path (scopes, ledger, confirmation, audit, redaction, metrics, span) and the SDK's wire shape. Everything else (initialize, tools/list, resources, prompts, elicitation rounds, every rejection) still goes through the SDK, behind a Node adapter that hands it the parsed body; a differential test holds both paths to the same status and bytes (design in `packages/mcp-server/README.md`, \"The tools/call fast path\").",
  );
  out.push('');
  return out;
}

/** @type {Record<TracingRow['path'], string>} */
const TRACING_PATH_LABELS = {
  'router-openai': 'router `/v1/chat/completions`',
  'router-ask': 'router `/ask`',
  'mcp-get_subscriber': 'MCP server get_subscriber (Streamable HTTP)',
};

/** @param {BenchResults} results */
function tracingSection(results) {
  const rows = results.tracing?.rows ?? [];
  if (rows.length === 0) return [];
  const spans = results.tracing?.spans ?? {};
  const out = ['## Tracing cost', ''];
  out.push(
    'Each service runs twice in the same run: **untraced** (no `OTEL_*` variable: tracing off, nothing of OpenTelemetry loaded) and **traced** at 100 % sampling (`OTEL_TRACES_SAMPLER=always_on`, OTLP/HTTP to a sink in the harness that answers 200 and counts the spans). The two take turns under the same load; **added** = traced − untraced, **×** = traced / untraced. The router paths have no MCP tools (as above); the MCP server calls the emulator, which is not traced.',
  );
  out.push('');
  out.push(
    table(
      [
        'path',
        'concurrency',
        'p50 ms untraced → traced',
        'added p50',
        'p99 ms untraced → traced',
        'added p99',
        'CPU ms/req untraced → traced',
        'CPU ×',
      ],
      rows.map((r) => [
        `**${TRACING_PATH_LABELS[r.path] ?? r.path}**`,
        String(r.concurrency),
        `${fmt(r.untraced.p50_ms)} → ${fmt(r.traced.p50_ms)}`,
        `${signed(r.added_p50_ms)} ms (${times(r.p50_ratio)})`,
        `${fmt(r.untraced.p99_ms)} → ${fmt(r.traced.p99_ms)}`,
        `${signed(r.added_p99_ms)} ms (${times(r.p99_ratio)})`,
        `${fmt(r.untraced.cpu_ms_per_req, 3)} → ${fmt(r.traced.cpu_ms_per_req, 3)}`,
        times(r.cpu_ratio),
      ]),
    ),
  );
  out.push('');
  const exported = Object.entries(spans).filter(([, s]) => s && s.requests > 0);
  if (exported.length > 0) {
    out.push(
      `Spans the sink received: ${exported.map(([service, s]) => `${service} ${s.spans} for ${s.requests} requests (${fmt(s.per_request, 2)} per request)`).join('; ')}.`,
    );
    out.push('');
  }
  return out;
}

/** @param {BenchResults} results */
function emulatorSection(results) {
  const e = results.emulator ?? {};
  const kinds = Object.entries(e).filter(
    ([, v]) => v && typeof v === 'object' && 'rps' in /** @type {object} */ (v),
  );
  if (kinds.length === 0) return [];
  const out = ['## Emulator', ''];
  out.push(
    `OCS emulator on its default storage: ${String(e.storage ?? 'SQLite file (WAL)')}, ${String(e.seeded_subscribers ?? '?')} seeded subscribers, autocannon at concurrency ${String(e.concurrency ?? '?')}.`,
  );
  out.push('');
  out.push(
    table(
      ['operation', 'request', 'req/s', 'p50 ms', 'p90 ms', 'p99 ms', 'non-2xx'],
      kinds.map(([name, v]) => [
        `**${name}**`,
        `\`${String(v.request ?? '')}\``,
        fmt(v.rps, 0),
        fmt(v.p50_ms),
        fmt(v.p90_ms),
        fmt(v.p99_ms),
        String(v.non2xx ?? 0),
      ]),
    ),
  );
  out.push('');
  return out;
}

/** @param {BenchResults} results */
/**
 * The container image, from `npm run image` (scripts/image.sh): its size and each service's start
 * from the image root, against `node -e 0` in the same run and, when recorded, the image before.
 * @param {BenchResults & {image?: ImageFigures, image_before?: ImageFigures}} results
 */
function imageSection(results) {
  const image = results.image;
  if (!image) return [];
  const before = results.image_before;
  const out = ['## Container image', ''];
  out.push(
    `Built from the unchanged Dockerfile by \`${image.command ?? 'npm run image'}\` (buildah, local stand-ins for the base images) and started from its root file system as compose.yaml starts each service, on ${image.date?.slice(0, 10) ?? 'n/a'}. Start-to-healthy: spawn until the health endpoint first answers 2xx, median of ${image.samples_per_service} starts; the ratio is to a bare \`node -e 0\` from the same image in the same run.`,
  );
  out.push('');
  out.push(
    table(
      ['', 'this image', ...(before ? [before.label ?? 'before'] : [])],
      [
        ['unpacked MB', fmt(image.unpacked_mb, 1), ...(before ? [fmt(before.unpacked_mb, 1)] : [])],
        ['layers', String(image.layers), ...(before ? [String(before.layers)] : [])],
        ['`node -e 0` ms', fmt(image.node_e_0_ms, 1), ...(before ? [fmt(before.node_e_0_ms, 1)] : [])],
        ...Object.entries(image.start_to_healthy_ms).map(([service, ms]) => [
          `**${service}** start-to-healthy ms (x node -e 0)`,
          `${fmt(ms, 0)} (${fmt(image.start_to_healthy_ratio_to_node_e_0[service], 1)}x)`,
          ...(before
            ? [
                `${fmt(before.start_to_healthy_ms[service], 0)} (${fmt(before.start_to_healthy_ratio_to_node_e_0[service], 1)}x)`,
              ]
            : []),
        ]),
      ],
    ),
  );
  out.push('');
  for (const figures of [image, before])
    if (figures?.note) out.push(`- ${figures.label ?? 'this image'}: ${figures.note}`);
  if (image.note || before?.note) out.push('');
  if (image.ci_step_seconds) {
    out.push(
      `The image step of \`.ci/run\` (stand-ins from the cache, build, start and checks) took ${fmt(image.ci_step_seconds, 0)} s here; making the stand-ins on a fresh machine adds about ${fmt(image.stand_ins_seconds, 0)} s.`,
    );
    out.push('');
  }
  return out;
}

/**
 * RSS per service and load phase: each service's idle row (as its load scenario began), then for each phase
 * the RSS it started from and the highest sample during it.
 * @param {BenchResults} results
 */
export function phaseRssTable(results) {
  const rows = results.footprint_phases ?? [];
  if (rows.length === 0) return [];
  return [
    '### RSS per scenario',
    '',
    'Each service as its load scenario found it (*idle*: started, healthy, not yet loaded), then per phase of that scenario the RSS the phase started from and the highest sample (every 100 ms) while it ran; rounds of the same phase are merged (first start, highest peak). A phase loads only the service it names; RSS seldom falls back between phases, so a later phase starts where the previous peak left it.',
    '',
    table(
      ['service', 'load', 'RSS at start MB', 'RSS peak MB', 'of which file-backed MB', 'peak < 100 MB'],
      rows.map((row) => [
        `**${row.service}**`,
        row.phase,
        fmt(row.rss_start_mb, 1),
        row.phase === 'idle' ? '' : fmt(row.rss_peak_mb, 1),
        fmt(row.rss_peak_file_mb, 1),
        Number.isFinite(row.rss_peak_mb) ? (row.rss_peak_mb < 100 ? 'yes' : 'no') : 'n/a',
      ]),
    ),
    '',
  ];
}

/** @param {BenchResults} results */
function footprintSection(results) {
  const entries = Object.entries(results.footprint ?? {});
  if (entries.length === 0) return [];
  const out = ['## Footprint', ''];
  out.push(
    'Cold start: spawn to the first healthy response (median of the runs listed), and as a ratio to spawning a bare `node -e 0` until it exits, in the same run. RSS: resident memory of the service process (VmRSS, what the targets count); *of which file-backed* is the part of the peak that is mapped from files (RssFile: mostly the code and read-only data of the node binary, shared by every node process on the machine and reclaimable by the kernel), so RSS peak minus it is what the process holds privately.',
  );
  out.push('');
  out.push(
    table(
      [
        'service',
        'cold start ms (median)',
        '× node -e 0',
        'runs ms',
        'RSS idle MB',
        'RSS peak MB',
        'of which file-backed MB',
        'peak measured during',
        'install size MB',
      ],
      entries.map(([name, f]) =>
        f.error
          ? [name, `failed: ${f.error}`, '', '', '', '', '', '', '']
          : [
              `**${name}**`,
              fmt(f.cold_start_ms, 0),
              name === 'node -e 0'
                ? '1×'
                : times(ratio(f.cold_start_ms, results.footprint['node -e 0']?.cold_start_ms)),
              (f.cold_start_runs_ms ?? []).map((v) => v.toFixed(0)).join(', '),
              fmt(f.rss_idle_mb, 1),
              fmt(f.rss_peak_mb, 1),
              f.rss_peak_file_mb === undefined ? 'n/a' : fmt(f.rss_peak_file_mb, 1),
              f.rss_peak_during ?? 'n/a',
              fmt(f.install_size_mb, 1),
            ],
      ),
    ),
  );
  out.push('');
  const baseline = results.footprint_extra?.['mcp-server-baseline'];
  const stdio = results.footprint_extra?.['mcp-server-stdio'];
  if (baseline || stdio) {
    out.push(
      `Under the same MCP load: ${[
        stdio ? `ocs-mcp over stdio peaked at ${fmt(stdio.rss_peak_mb, 1)} MB` : '',
        baseline
          ? `the \`--mcp-baseline\` build over HTTP at ${fmt(baseline.rss_peak_mb, 1)} MB (file-backed ${baseline.rss_peak_file_mb === undefined ? 'n/a' : fmt(baseline.rss_peak_file_mb, 1)} MB)`
          : '',
      ]
        .filter(Boolean)
        .join('; ')}.`,
    );
    out.push('');
  }
  out.push(...phaseRssTable(results));
  out.push(
    "Where the memory goes (heap snapshots and `process.memoryUsage()` sampled at peak, router at 200 connections): about 45 MB of every service's RSS is file-backed, the pages of the node binary itself (a bare `node -e 0` idles at 39 MB, 31 MB of it the binary). What is live in the router's heap at peak is ~23 MB (mostly compiled code and strings); what grew was garbage: with V8's default heap growth the old space reached ~75 MB before a major GC, and the young generation takes 32 MB (two 16 MB semi-spaces). The router therefore bounds old-generation growth to 10% per major GC (`v8.setFlagsFromString('--heap-growing-percent=10')` in its bin): in paired runs peak RSS fell from 167-170 to 126-131 MB with the same requests/s and CPU per request. The same A/B on the emulator (115-121 vs 118-126 MB) showed no gain, so it does not set it; the MCP server sets it too since its per-call AbortSignals are gone (below). Bounded pools were checked too: the router's upstream pool opens at most 128 connections and the MCP server's OCS pool 16, neither buffering bodies.",
  );
  out.push('');
  out.push(
    "A second look at the peaks (issue #16, memory): each process's `/proc/<pid>/smaps` split at its highest sample (file-backed, V8 heap pages, malloc arenas, brk heap), `process.memoryUsage()` with `v8.getHeapSpaceStatistics()` every 20 ms, and `node --heapsnapshot-signal=SIGUSR2` snapshots taken at peak.",
  );
  out.push('');
  out.push(
    [
      "- **Emulator: what grew was requests' AbortSignals.** A snapshot after ~15,000 requests held 10,800 pending `FinalizationRegistry` entries, each with a `WeakRef`, an `AbortSignal`, its listener and an `abort` closure: the registration undici makes for a `Request` built with a `signal`. Hono's `bodyLimit` reads `c.req.raw.body` on every request, GETs included, which makes `@hono/node-server` build that full `Request` instead of its lightweight one. V8's scavenger keeps the targets of weak cells alive, so every such request was promoted: old space 79.5 MB (76.6 MB used) at peak, against ~26 MB live after a full GC. The emulator now judges a body by its `Content-Length` and never looks at a GET's (`packages/emulator/src/http/body-limit.ts`; a chunked body still goes through `bodyLimit`), and compiles each SQL statement once per database instead of on every query. Two emulators side by side, phases alternated, 10 connections, on the shared machine: peak RSS 161 → 90 MB, reads 998 → 1,916 req/s, lookups 1,849 → 3,245 req/s, writes (bound by fsync) 118 → 130 per s.",
      '- **MCP server: the same registration, once per call.** Its Node adapter (`packages/mcp-server/src/node-adapter.ts`) builds `new Request(url, { method, headers, signal })` for every message; without the `signal` undici registers nothing. Live heap after a full GC at peak: ~25 MB, 7 MB of it strings (mostly module source).',
      "- **Router and MCP server: a malloc arena from the optimising compiler.** At the first loaded seconds a glibc arena of up to 36 MB resident appears beside the V8 heap; it is gone with `--no-opt` and unchanged with `--single-threaded-gc`, so it is TurboFan compiling on V8's worker threads. V8's own zone statistics never show more than ~7 MB of compiler memory at once: the rest is freed memory the arena does not hand back. Only launch flags or the allocator's environment reach it, none of which the bins can set for themselves: with glibc's thresholds fixed (`MALLOC_MMAP_THRESHOLD_=131072 MALLOC_TRIM_THRESHOLD_=131072`, so that large freed blocks go back at once) the arena stayed under 2 MB and the router peaked at 111.5 MB at 200 connections; with `--max-semi-space-size=8` as well, at 101-106 MB against 131-135 MB beside it. The thresholds are now set for every service by the image and the bench (next point); the semi-space cap is not.",
      "- **MCP server: every AbortSignal is promoted.** On Node 20 every `new AbortController().signal` survives the young generation (200,000 of them promoted 73-77 MB; as many plain objects or bare `EventTarget`s, 0.2 MB), and whatever its listeners reference is promoted with it. A tools/call made two, one in the HTTP fast path and one in the OCS client: about half of what a call promoted. Both are now a plain `Cancellation` (`packages/mcp-server/src/cancellation.ts`: the part of AbortSignal that undici, cockatiel and the OCS client read; the stdio fast path uses it too), and the bin bounds old-generation growth to 10 % per major GC as the router does. With the fast path's other cuts (no copy of a result by the redactor, no failing zod guards), a paired run of raw `get_subscriber` calls at 10 and 50 connections took the peak from 183-187 to 113-114 MB, CPU per call 0.70 → 0.52-0.56 ms and calls/s 1.2-1.4× (`bench/node-floor.mjs`'s bare proxy peaks at 80-87 MB under the same load). After a full GC at peak the live heap is 25-30 MB and a snapshot holds no per-call object; what stands between the peak and 100 MB is the 32 MB young generation, which V8 grows while calls survive scavenges. Capping it (`--semi-space-growth-factor=1` at run time, or a 4 MB semi-space) held the peak at 93-96 MB but halved throughput at 50 connections (CPU per call 0.79 → 1.5 ms), so it is not set.",
      "- **Router at 200 connections: the young generation and what each request keeps alive.** One `/v1/chat/completions` allocates about 106 KB (allocation sampling that counts collected objects; the largest allocators are zod's parsing of the body ~8 KB, the retry and fallback wrapper ~6 KB, prom-client's histogram observe 3 KB and hono's validator 3 KB). With 200 of them waiting on the upstream at once, every scavenge copies their objects and V8 grows the young generation to its 32 MB maximum: at peak the new space is 30 MB of a 57 MB heap, the old space 22 MB, the malloc arenas 2-9 MB and the file-backed pages 44 MB. Capping the young generation lowers the peak but costs CPU: in paired runs `--max-semi-space-size=8` took it from 137.6 to 123.0 MB with 31 % more CPU per request and 22-34 % fewer requests/s, 4 MB reached 105-109 MB with 30-57 % more CPU, and the same cap set by the bin at run time (`--semi-space-growth-factor=1`, which V8 honours after start) cost as much; a smaller upstream pool changed nothing. What the image and the bench now set are glibc's malloc thresholds (`MALLOC_MMAP_THRESHOLD_=131072 MALLOC_TRIM_THRESHOLD_=131072`, one list in `bench/service-launch.mjs` that the Dockerfile must match, `bench/test/service-launch.test.ts`): paired, the router's peak at 200 connections fell from 138.3 to 127.8 MB with requests/s and CPU per request within the rounds' spread. Under 100 MB at 200 connections needs a router that allocates and holds less per request in flight; no launch flag does it without the CPU.",
      "- **Emulator writes: SQLite's page cache.** better-sqlite3 builds SQLite with a 16 MB page cache (`SQLITE_DEFAULT_CACHE_SIZE=-16000`) instead of SQLite's 2 MB, and the emulator's native heap grew with the database under writes (10 → 20 MB over 15 s at ~1,400 writes/s). The emulator now sets `cache_size = -2000` (`packages/emulator/test/page-cache.test.ts`); paired, database on tmpfs (~1,000-1,400 writes/s), its write-phase peak fell from 98-100 to 85-88 MB with requests/s within the rounds' spread (`TMPDIR=/dev/shm node bench/ab-launch-emulator.mjs`).",
      "- **Router: smaller semi-spaces are not enough.** `--max-semi-space-size` (command line only: V8 sizes the young generation when the heap is created, so the bin cannot set it at run time) lowered the router's peak at 200 connections from 136 to 129 MB at 8 MB and from 138 to 124 MB at 4 MB in paired runs, short of 100 MB either way; the throughput of those runs could not be compared (load average 16-23 from other work on the machine), so no launch flag changed.",
      "- **All three: the first-call spike was WebAssembly, and the young generation is now bounded from inside the process (this round).** RSS sampled every 2 ms showed the MCP server going 80 → 111-124 MB for ~150 ms right after its first tools/call, and the router 20 requests after start the same way (peak 124.5-125.4 MB). `perf record -g` during the rise: a V8 worker thread in `wasm::BackgroundCompileJob` → `ExecuteTurbofanWasmCompilation`, TurboFan recompiling undici's HTTP parser (llhttp, WebAssembly) and malloc'ing its compiler memory; unchanged with `--no-opt` (JavaScript's TurboFan only), gone with `--liftoff-only` (MCP server 90 MB, router 89.7-90.1 MB). Every bin now sets `--liftoff-only` before its first request (`keepWasmOnLiftoff`, `packages/telemetry/src/wasm-tiering.ts`; `packages/telemetry/test/wasm-tiering.test.ts`); the router at 200 connections, paired: CPU per request 1.235 → 1.085 ms (`/v1/chat/completions`). What the young generation's 32 MB maximum cost can be bounded at run time after all: the maximum is read when the heap is created, but the growth factor at every growth, so `boundYoungGeneration` (`packages/telemetry/src/young-generation.ts`) sets `--semi-space-growth-factor` to 1 after a GC when the next doubling would pass the bound and back to 2 below it (`packages/telemetry/test/young-generation.test.ts`, `packages/mcp-server/test/young-generation-bound.test.ts`). The MCP server and the emulator hold two 4 MB semi-spaces: five paired runs of raw get_subscriber calls on a shared machine, peak 114-122 → 82-92 MB, CPU per call ratio c=10 median 0.98, c=50 median 1.04; emulator 88.2 → 81.0 MB. The router does not set it: at 200 connections two 8 MB semi-spaces took its peak to 112-113 MB for 19-59 % more CPU per request, so the router still needs to hold less per request in flight (its first provider try now runs outside cockatiel's retry policy: ~89 → ~79 KB allocated and 3.0-3.2 → 2.0-2.3 KB promoted per request).",
    ].join('\n'),
  );
  out.push('');
  out.push(
    'Cold start, what is loaded before the first healthy answer (ES and CommonJS modules, node built-ins excluded, counted by a `module.register` load hook and the CommonJS cache: `test/support/module-probe.mjs`): emulator 228 (unchanged), router 465 → 392 (yaml is loaded only for a `.yaml`/`.yml` `ROUTER_KEYS_FILE`: `packages/router/test/lazy-yaml.test.ts`), MCP server 337 → 291 (jose on the first JWT to verify: `packages/mcp-server/test/lazy-jose.test.ts`). The router loads better-sqlite3 only with `ROUTER_STORE=sqlite` (`packages/router/test/lazy-sqlite.test.ts`). The router no longer loads prom-client and the `@opentelemetry/api` it requires at start: its metrics load with the first measurement (the end of the first answered request) or the first `/metrics`, and what was measured before waits for them (`packages/router/test/lazy-prom-client.test.ts`); when it starts listening it has loaded 29 CommonJS modules instead of 110 (`bench/cjs-at-listening.mjs`). The MCP server loads its prom-client after it listens.',
  );
  out.push('');
  return out;
}
