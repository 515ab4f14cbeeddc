// Tracing cost: the router and the MCP server each run twice in one run, untraced (no OTEL_* variable, so
// tracing is off and nothing of OpenTelemetry is loaded) and traced at 100 % sampling (OTLP/HTTP to the
// harness's own sink, bench/otlp-sink.mjs, OTEL_TRACES_SAMPLER=always_on). The two take turns under the same
// load, and each row reports what tracing adds: latency at p50 and p99, and CPU per request, as ratios.

import path from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { runHttpLoad } from '../load.mjs';
import { startOtlpSink } from '../otlp-sink.mjs';
import { cpuTimeMs, firstJsonLine, freePort, spawnService, waitForHealthy } from '../processes.mjs';
import { added, nowMs, ratio, round, summarize } from '../stats.mjs';
import { seed, startEmulatorProcess } from './emulator.mjs';
import { fetchWithOwnSignal, mcpHttpEnv } from './mcp.mjs';

/** @typedef {import('../markdown.mjs').TracingRow} TracingRow */
/** @typedef {import('../markdown.mjs').TracingSide} TracingSide */
/** @typedef {import('../markdown.mjs').TracingResults} TracingResults */

/**
 * @typedef {object} TracingScenarioOptions
 * @property {string} root repository root
 * @property {number[]} concurrency autocannon connections for the router paths
 * @property {number} durationS measured seconds per router path, variant and level (split over `rounds`)
 * @property {number} rounds turns each router variant takes at each level
 * @property {number} warmupS
 * @property {{batches: number, warmup: number, concurrency: number[]}} mcp get_subscriber calls: `batches`
 *   batches of `concurrency` calls per server, the two servers taking turns batch by batch
 * @property {(line: string) => void} log
 */

/** Service names the traced processes export under, so the sink's counts are theirs. */
const TRACED_NAMES = { router: 'ocs-router-bench', 'mcp-server': 'ocs-mcp-bench' };

const CHAT_BODY = JSON.stringify({
  model: 'bench-model',
  messages: [{ role: 'user', content: 'How many active balances does subscriber 4712345678 have?' }],
});
const ASK_BODY = JSON.stringify({
  message: 'How many active balances does subscriber 4712345678 have?',
  provider: 'openai',
});
const JSON_HEADERS = { 'content-type': 'application/json' };
/** Text of the fake upstream's answer: a path that does not return it is broken, not fast. */
const UPSTREAM_TEXT = 'Subscriber';

/**
 * @param {string} endpoint the sink's base URL
 * @param {string} serviceName
 */
const tracedEnv = (endpoint, serviceName) => ({
  OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
  OTEL_TRACES_SAMPLER: 'always_on',
  OTEL_SERVICE_NAME: serviceName,
});

/**
 * @param {{samples: number[], cpuMs: number, seconds: number, requests: number}} total
 * @returns {TracingSide}
 */
function side(total) {
  const summary = summarize(total.samples);
  return {
    rps: round(total.samples.length / Math.max(total.seconds, 1e-9), 1),
    p50_ms: summary.p50_ms,
    p99_ms: summary.p99_ms,
    cpu_ms_per_req: round(total.cpuMs / Math.max(1, total.requests), 4),
    requests: total.requests,
  };
}

/**
 * @param {Omit<TracingRow, 'added_p50_ms' | 'added_p99_ms' | 'p50_ratio' | 'p99_ratio' | 'cpu_ratio'>} row
 * @returns {TracingRow}
 */
function compare(row) {
  const { untraced: u, traced: t } = row;
  return {
    ...row,
    added_p50_ms: round(added(t.p50_ms, u.p50_ms)),
    added_p99_ms: round(added(t.p99_ms, u.p99_ms)),
    p50_ratio: round(ratio(t.p50_ms, u.p50_ms), 3),
    p99_ratio: round(ratio(t.p99_ms, u.p99_ms), 3),
    cpu_ratio: round(ratio(t.cpu_ms_per_req, u.cpu_ms_per_req), 3),
  };
}

/**
 * Waits until the sink's count for `serviceName` has not moved for a while (the batch processor exports
 * every second), so spans per request are read after the last export.
 * @param {import('../otlp-sink.mjs').OtlpSink} sink
 * @param {string} serviceName
 */
async function settled(sink, serviceName) {
  let last = -1;
  let stableSince = nowMs();
  const deadline = nowMs() + 10_000;
  while (nowMs() < deadline) {
    const now = sink.spans(serviceName);
    if (now !== last) {
      last = now;
      stableSince = nowMs();
    } else if (nowMs() - stableSince > 2500) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return last;
}

/**
 * @param {TracingScenarioOptions} options
 * @returns {Promise<TracingResults & {notes: string[]}>}
 */
export async function benchTracing(options) {
  const sink = await startOtlpSink();
  /** @type {string[]} */
  const notes = [];
  try {
    const router = await routerTracing(options, sink, notes);
    const mcp = await mcpTracing(options, sink, notes);
    if (sink.rejected() > 0) notes.push(`tracing: the OTLP sink refused ${sink.rejected()} export requests`);
    return {
      rows: [...router.rows, ...mcp.rows],
      spans: { router: router.spans, 'mcp-server': mcp.spans },
      notes,
    };
  } finally {
    await sink.close();
  }
}

/**
 * @param {TracingScenarioOptions} options
 * @param {import('../otlp-sink.mjs').OtlpSink} sink
 * @param {string[]} notes
 */
async function routerTracing(options, sink, notes) {
  const { root, log } = options;
  const upstream = spawnService('fake-upstream', process.execPath, [
    path.join(root, 'bench/fake-upstream.mjs'),
  ]);
  const { url: upstreamUrl } = /** @type {{url: string}} */ (await firstJsonLine(upstream));
  /** @param {string} name @param {Record<string, string>} env */
  const start = async (name, env) => {
    const port = await freePort();
    const service = spawnService(name, process.execPath, [path.join(root, 'packages/router/dist/bin.js')], {
      cwd: root,
      env: {
        ROUTER_HOST: '127.0.0.1',
        ROUTER_PORT: String(port),
        ROUTER_STORE: 'memory',
        // No MCP tools (the gateway path itself), as in the router scenario.
        MCP_CONFIG: 'none',
        LLM_PROVIDER: 'openai',
        OPENAI_BASE_URL: upstreamUrl,
        OPENAI_API_KEY: 'bench-key',
        OPENAI_MODEL: 'bench-model',
        LOG_LEVEL: 'warn',
        ...env,
      },
    });
    await waitForHealthy(`http://127.0.0.1:${port}/health`, { service });
    return { service, url: `http://127.0.0.1:${port}` };
  };
  const variants = {
    untraced: await start('router-untraced', {}),
    traced: await start('router-traced', tracedEnv(sink.endpoint, TRACED_NAMES.router)),
  };
  const paths = [
    { path: /** @type {const} */ ('router-openai'), suffix: '/v1/chat/completions', body: CHAT_BODY },
    { path: /** @type {const} */ ('router-ask'), suffix: '/ask', body: ASK_BODY },
  ];
  /** @type {TracingRow[]} */
  const rows = [];
  let tracedRequests = 0;
  try {
    for (const p of paths) {
      for (const [variant, { url }] of Object.entries(variants)) {
        const response = await fetch(`${url}${p.suffix}`, {
          method: 'POST',
          headers: JSON_HEADERS,
          body: p.body,
        });
        const text = await response.text();
        if (!response.ok || !text.includes(UPSTREAM_TEXT))
          throw new Error(
            `${p.path} (${variant}) answered wrongly: HTTP ${response.status} ${text.slice(0, 160)}`,
          );
        if (variant === 'traced') tracedRequests += 1;
      }
    }
    for (const concurrency of options.concurrency) {
      /** @type {Map<string, {samples: number[], cpuMs: number, seconds: number, requests: number}>} */
      const totals = new Map();
      for (let roundIndex = 0; roundIndex < options.rounds; roundIndex += 1) {
        // The variants swap places every round, so neither always runs first.
        const order = /** @type {Array<'untraced' | 'traced'>} */ (
          roundIndex % 2 === 0 ? ['untraced', 'traced'] : ['traced', 'untraced']
        );
        for (const p of paths) {
          for (const variant of order) {
            const { service, url } = variants[variant];
            const load = {
              url: `${url}${p.suffix}`,
              method: /** @type {const} */ ('POST'),
              headers: JSON_HEADERS,
              body: p.body,
              connections: concurrency,
            };
            if (roundIndex === 0 && options.warmupS > 0) {
              const warm = await runHttpLoad({ ...load, durationS: options.warmupS });
              if (variant === 'traced') tracedRequests += warm.requests + warm.non2xx;
            }
            const cpuBefore = cpuTimeMs(service.pid);
            const result = await runHttpLoad({ ...load, durationS: options.durationS / options.rounds });
            const cpuMs = cpuTimeMs(service.pid) - cpuBefore;
            if (variant === 'traced') tracedRequests += result.requests + result.non2xx;
            if (result.non2xx + result.errors > 0)
              notes.push(
                `tracing ${p.path} (${variant}) c=${concurrency}: ${result.non2xx} non-2xx, ${result.errors} errors`,
              );
            const key = `${p.path}:${variant}`;
            const total = totals.get(key) ?? { samples: [], cpuMs: 0, seconds: 0, requests: 0 };
            for (const sample of result.samples) total.samples.push(sample);
            total.cpuMs += cpuMs;
            total.seconds += result.duration_s;
            total.requests += result.requests;
            totals.set(key, total);
          }
        }
      }
      for (const p of paths) {
        const untraced = totals.get(`${p.path}:untraced`);
        const traced = totals.get(`${p.path}:traced`);
        if (!untraced || !traced) continue;
        const row = compare({
          service: 'router',
          path: p.path,
          concurrency,
          untraced: side(untraced),
          traced: side(traced),
        });
        log(
          `  tracing ${p.path.padEnd(18)} c=${String(concurrency).padStart(3)} p50 ${row.untraced.p50_ms} -> ${row.traced.p50_ms} ms (${row.p50_ratio}x) p99 ${row.untraced.p99_ms} -> ${row.traced.p99_ms} ms CPU/req ${row.cpu_ratio}x`,
        );
        rows.push(row);
      }
    }
  } finally {
    // A traced router flushes its last spans on SIGTERM, so the count read after stop is complete.
    await Promise.all([variants.untraced.service.stop(), variants.traced.service.stop()]);
    await upstream.stop();
  }
  const spans = await settled(sink, TRACED_NAMES.router);
  return {
    rows,
    spans: { spans, requests: tracedRequests, per_request: round(spans / Math.max(1, tracedRequests), 2) },
  };
}

/**
 * @param {TracingScenarioOptions} options
 * @param {import('../otlp-sink.mjs').OtlpSink} sink
 * @param {string[]} notes
 */
async function mcpTracing(options, sink, notes) {
  const { root, log } = options;
  const emulator = await startEmulatorProcess(root);
  /** @type {Array<() => Promise<unknown>>} */
  const cleanups = [];
  /** @type {TracingRow[]} */
  const rows = [];
  let tracedCalls = 0;
  try {
    const subscribers = await seed(emulator.url, 20);
    /** @param {string} name @param {Record<string, string>} env */
    const start = async (name, env) => {
      const port = await freePort();
      const service = spawnService(
        name,
        process.execPath,
        [path.join(root, 'packages/mcp-server/dist/bin.js'), '--http'],
        {
          cwd: root,
          env: { ...mcpHttpEnv(emulator.url, port), ...env },
        },
      );
      cleanups.push(() => service.stop());
      await waitForHealthy(`http://127.0.0.1:${port}/healthz`, { service });
      const client = new Client({ name: 'ocs-bench', version: '1.0.0' });
      await client.connect(
        new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${port}/mcp`), {
          fetch: fetchWithOwnSignal,
        }),
      );
      cleanups.push(() => client.close());
      return { service, client };
    };
    const variants = {
      untraced: await start('mcp-server-untraced', {}),
      traced: await start('mcp-server-traced', tracedEnv(sink.endpoint, TRACED_NAMES['mcp-server'])),
    };
    let i = 0;
    /** @param {'untraced' | 'traced'} variant */
    const getSubscriber = async (variant) => {
      i += 1;
      const subscriber = /** @type {import('./emulator.mjs').SeededSubscriber} */ (
        subscribers[i % subscribers.length]
      );
      const t0 = nowMs();
      const result = await variants[variant].client.callTool({
        name: 'get_subscriber',
        arguments: { subscriberId: subscriber.subscriberId },
      });
      const elapsed = nowMs() - t0;
      if (variant === 'traced') tracedCalls += 1;
      if (result.isError) throw new Error(`get_subscriber (${variant}) returned isError`);
      return elapsed;
    };
    for (const concurrency of options.mcp.concurrency) {
      /** @type {Record<'untraced' | 'traced', {samples: number[], cpuMs: number, seconds: number, requests: number}>} */
      const totals = {
        untraced: { samples: [], cpuMs: 0, seconds: 0, requests: 0 },
        traced: { samples: [], cpuMs: 0, seconds: 0, requests: 0 },
      };
      for (let b = -options.mcp.warmup; b < options.mcp.batches; b += 1) {
        const order = /** @type {Array<'untraced' | 'traced'>} */ (
          b % 2 === 0 ? ['untraced', 'traced'] : ['traced', 'untraced']
        );
        for (const variant of order) {
          const pid = variants[variant].service.pid;
          const cpuBefore = cpuTimeMs(pid);
          const t0 = nowMs();
          const latencies = await Promise.all(
            Array.from({ length: concurrency }, () => getSubscriber(variant)),
          );
          if (b < 0) continue;
          const total = totals[variant];
          total.seconds += (nowMs() - t0) / 1000;
          total.cpuMs += cpuTimeMs(pid) - cpuBefore;
          total.requests += latencies.length;
          total.samples.push(...latencies);
        }
      }
      const row = compare({
        service: 'mcp-server',
        path: 'mcp-get_subscriber',
        concurrency,
        untraced: side(totals.untraced),
        traced: side(totals.traced),
      });
      log(
        `  tracing ${row.path.padEnd(18)} c=${String(concurrency).padStart(3)} p50 ${row.untraced.p50_ms} -> ${row.traced.p50_ms} ms (${row.p50_ratio}x) p99 ${row.untraced.p99_ms} -> ${row.traced.p99_ms} ms CPU/call ${row.cpu_ratio}x`,
      );
      rows.push(row);
    }
  } catch (error) {
    notes.push(
      `tracing: MCP get_subscriber not measured: ${error instanceof Error ? error.message : String(error)}`,
    );
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    await emulator.stop();
  }
  const spans = await settled(sink, TRACED_NAMES['mcp-server']);
  return {
    rows,
    spans: { spans, requests: tracedCalls, per_request: round(spans / Math.max(1, tracedCalls), 2) },
  };
}
