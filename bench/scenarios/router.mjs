// Router overhead: one fake upstream, hit directly, through our router (two endpoints) and through Portkey.
// All three servers are child processes, so each one's RSS and CPU time are its own.

import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Agent, request } from 'undici';
import { interleavedBlocks, runHttpLoad, runStreamLoad } from '../load.mjs';
import {
  cpuTimeMs,
  firstJsonLine,
  freePort,
  rssByPhase,
  rssMb,
  sampleRss,
  spawnService,
  treeCpuTimeMs,
  waitForHealthy,
} from '../processes.mjs';
import { round, summarize } from '../stats.mjs';

/** @typedef {import('../markdown.mjs').RouterRow} RouterRow */

/**
 * @typedef {object} RouterScenarioOptions
 * @property {string} root repository root
 * @property {number[]} concurrency levels for the non-streamed runs
 * @property {number} durationS measured seconds per path and level (split over `rounds`)
 * @property {number} rounds turns each path takes at each level
 * @property {number} warmupS
 * @property {number} sequentialRequests requests per path in the one-at-a-time run, paths in turn in blocks (0 = skip)
 * @property {number} streamConcurrency
 * @property {number} streamDurationS
 * @property {number} upstreamDelayMs
 * @property {number} chunkIntervalMs
 * @property {string} routerLogLevel
 * @property {boolean} portkey include the Portkey gateway
 * @property {string[]} [cpuProfileArgs] extra node flags for the router child (e.g. --cpu-prof)
 * @property {(line: string) => void} log
 */

const CHAT_BODY = JSON.stringify({
  model: 'bench-model',
  messages: [{ role: 'user', content: 'How many active balances does subscriber 4712345678 have?' }],
});
const CHAT_STREAM_BODY = JSON.stringify({
  model: 'bench-model',
  stream: true,
  stream_options: { include_usage: true },
  messages: [{ role: 'user', content: 'How many active balances does subscriber 4712345678 have?' }],
});
const ASK_BODY = JSON.stringify({
  message: 'How many active balances does subscriber 4712345678 have?',
  provider: 'openai',
});
const ASK_STREAM_BODY = JSON.stringify({
  message: 'How many active balances does subscriber 4712345678 have?',
  provider: 'openai',
  stream: true,
});
const JSON_HEADERS = { 'content-type': 'application/json' };
/** The first streamed content token of the fake upstream, whatever framing the gateway puts around it. */
const FIRST_TOKEN = 'Subscriber';

/**
 * A row that could not be measured: its figures are NaN and `error` says why.
 * @param {RouterRow} row
 * @param {string} error
 * @returns {RouterRow}
 */
const unmeasured = (row, error) => ({
  ...row,
  rps: Number.NaN,
  p50_ms: Number.NaN,
  p90_ms: Number.NaN,
  p99_ms: Number.NaN,
  error,
});

/**
 * @param {RouterScenarioOptions} options
 * @returns {Promise<{rows: RouterRow[], footprint: Record<string, {rss_peak_mb: number}>, phases: import('../processes.mjs').PhaseRss[], notes: string[]}>}
 */
export async function benchRouter(options) {
  const { root, log } = options;
  /** @type {string[]} */
  const notes = [];
  const upstream = spawnService('fake-upstream', process.execPath, [
    path.join(root, 'bench/fake-upstream.mjs'),
    `--upstream-delay-ms=${options.upstreamDelayMs}`,
    `--chunk-interval-ms=${options.chunkIntervalMs}`,
  ]);
  const { url: upstreamUrl } = /** @type {{url: string}} */ (await firstJsonLine(upstream));

  // Every router under test: the fake upstream as its only provider, and no MCP tools, so that the
  // gateway path itself is measured and a ./mcp.json in the work tree is never picked up.
  const gatewayEnv = {
    MCP_CONFIG: 'none',
    LLM_PROVIDER: 'openai',
    OPENAI_BASE_URL: upstreamUrl,
    OPENAI_API_KEY: 'bench-key',
    OPENAI_MODEL: 'bench-model',
    LOG_LEVEL: options.routerLogLevel,
  };
  const routerPort = await freePort();
  const router = spawnService(
    'router',
    process.execPath,
    [...(options.cpuProfileArgs ?? []), path.join(root, 'packages/router/dist/bin.js')],
    {
      cwd: root,
      env: {
        ROUTER_HOST: '127.0.0.1',
        ROUTER_PORT: String(routerPort),
        ROUTER_STORE: 'memory',
        ...gatewayEnv,
      },
    },
  );
  const routerUrl = `http://127.0.0.1:${routerPort}`;
  await waitForHealthy(`${routerUrl}/health`, { service: router });

  // The same router with ROUTER_WORKERS=2 (node:cluster), which needs a shared store: SQLite in a temp dir.
  const workersDir = mkdtempSync(path.join(os.tmpdir(), 'ocs-bench-workers-'));
  const workersPort = await freePort();
  const routerWorkers = spawnService(
    'router-2-workers',
    process.execPath,
    [path.join(root, 'packages/router/dist/bin.js')],
    {
      cwd: root,
      env: {
        ROUTER_HOST: '127.0.0.1',
        ROUTER_PORT: String(workersPort),
        ROUTER_WORKERS: '2',
        ROUTER_STORE: 'sqlite',
        ROUTER_DB: path.join(workersDir, 'router.sqlite'),
        ...gatewayEnv,
      },
    },
  );
  const workersUrl = `http://127.0.0.1:${workersPort}`;
  await waitForHealthy(`${workersUrl}/health`, { service: routerWorkers });

  /** @type {import('../processes.mjs').Service | undefined} */
  let portkey;
  let portkeyUrl = '';
  if (options.portkey) {
    const portkeyPort = await freePort();
    portkey = spawnService(
      'portkey',
      process.execPath,
      [
        '--import',
        path.join(root, 'bench/portkey-headers-shim.mjs'),
        path.join(root, 'node_modules/@portkey-ai/gateway/build/start-server.js'),
        `--port=${portkeyPort}`,
        '--headless',
      ],
      { cwd: root },
    );
    portkeyUrl = `http://127.0.0.1:${portkeyPort}`;
    await waitForHealthy(`${portkeyUrl}/`, { service: portkey });
  }

  /** @type {Record<string, {url: string, headers: Record<string, string>, body: string, streamBody: string, pid?: number, tree?: boolean}>} */
  const paths = {
    direct: {
      url: `${upstreamUrl}/chat/completions`,
      headers: JSON_HEADERS,
      body: CHAT_BODY,
      streamBody: CHAT_STREAM_BODY,
    },
    'router-openai': {
      url: `${routerUrl}/v1/chat/completions`,
      headers: JSON_HEADERS,
      body: CHAT_BODY,
      streamBody: CHAT_STREAM_BODY,
      pid: router.pid,
    },
    'router-openai-2w': {
      url: `${workersUrl}/v1/chat/completions`,
      headers: JSON_HEADERS,
      body: CHAT_BODY,
      streamBody: CHAT_STREAM_BODY,
      pid: routerWorkers.pid,
      tree: true,
    },
    'router-ask': {
      url: `${routerUrl}/ask`,
      headers: JSON_HEADERS,
      body: ASK_BODY,
      streamBody: ASK_STREAM_BODY,
      pid: router.pid,
    },
  };
  if (portkey) {
    paths.portkey = {
      url: `${portkeyUrl}/v1/chat/completions`,
      headers: {
        ...JSON_HEADERS,
        'x-portkey-provider': 'openai',
        'x-portkey-custom-host': upstreamUrl,
        authorization: 'Bearer bench-key',
      },
      body: CHAT_BODY,
      streamBody: CHAT_STREAM_BODY,
      pid: portkey.pid,
    };
  }

  // Idle and peak RSS per endpoint and concurrency level, for the router and the peer (same load each).
  const phases = rssByPhase({ router: router.pid, ...(portkey ? { portkey: portkey.pid } : {}) });
  phases.idle();

  // A path that cannot answer correctly is reported as failed instead of being measured at error speed.
  /** @type {Record<string, string>} */
  const broken = {};
  for (const [name, p] of Object.entries(paths)) {
    const problem = await checkPath(p.url, p.headers, p.body, false);
    if (problem) broken[`${name}:json`] = problem;
    const streamProblem = await checkPath(p.url, p.headers, p.streamBody, true);
    if (streamProblem) broken[`${name}:stream`] = streamProblem;
  }
  for (const [key, problem] of Object.entries(broken))
    notes.push(`${key} answered wrongly before load: ${problem}`);

  const routerRss = sampleRss(router.pid);
  const portkeyRss = portkey ? sampleRss(portkey.pid) : undefined;
  // The process whose RSS a path loads; the ROUTER_WORKERS=2 router is a tree (its primary only supervises), so none.
  /** @param {string} name */
  const serviceOf = (name) => (name === 'portkey' ? 'portkey' : name === 'router-openai-2w' ? '' : 'router');
  /** @param {string} name */
  const endpointOf = (name) => (name === 'router-ask' ? '/ask' : '/v1/chat/completions');
  /** @type {RouterRow[]} */
  const rows = [];
  try {
    // One extra warm-up per path before anything is measured, so the first path measured does not pay for
    // the gateway's JIT compilation and first connections alone.
    for (const [name, p] of Object.entries(paths)) {
      if (broken[`${name}:json`] || options.warmupS <= 0) continue;
      const service = serviceOf(name);
      const warmUp = (/** @type {() => Promise<any>} */ body) =>
        p.pid && service ? phases.measure('warm-up, 10 connections', body, [service]) : body();
      await warmUp(() =>
        runHttpLoad({
          url: p.url,
          method: 'POST',
          headers: p.headers,
          body: p.body,
          connections: 10,
          durationS: options.warmupS,
        }),
      );
    }
    if (options.sequentialRequests > 0) {
      rows.push(
        ...(await phases.measure('one request at a time, paths in turn', () =>
          sequentialOverhead(paths, broken, options.sequentialRequests),
        )),
      );
      for (const row of rows) {
        log(`  router ${row.path.padEnd(13)} c=  1 p50 ${row.p50_ms} ms p99 ${row.p99_ms} ms (sequential)`);
      }
    }
    for (const concurrency of options.concurrency) {
      // Paths take turns in short rounds, so a burst of background load lands on all of them alike.
      /** @type {Record<string, {samples: number[], seconds: number, non2xx: number, errors: number, cpuMs: number}>} */
      const totals = {};
      for (let roundIndex = 0; roundIndex < options.rounds; roundIndex += 1) {
        for (const [name, p] of Object.entries(paths)) {
          if (broken[`${name}:json`]) continue;
          const load = {
            url: p.url,
            method: /** @type {const} */ ('POST'),
            headers: p.headers,
            body: p.body,
            connections: concurrency,
          };
          const service = serviceOf(name);
          const phase = `${endpointOf(name)} c=${concurrency}`;
          /** @param {() => Promise<any>} body */
          const sampled = (body) => (p.pid && service ? phases.measure(phase, body, [service]) : body());
          if (roundIndex === 0 && options.warmupS > 0)
            await sampled(() => runHttpLoad({ ...load, durationS: options.warmupS }));
          const cpu = (/** @type {number} */ pid) => (p.tree ? treeCpuTimeMs(pid) : cpuTimeMs(pid));
          const cpuBefore = p.pid ? cpu(p.pid) : Number.NaN;
          const result = await sampled(() =>
            runHttpLoad({ ...load, durationS: options.durationS / options.rounds }),
          );
          const cpuAfter = p.pid ? cpu(p.pid) : Number.NaN;
          totals[name] ??= { samples: [], seconds: 0, non2xx: 0, errors: 0, cpuMs: 0 };
          const total = totals[name];
          for (const sample of result.samples) total.samples.push(sample);
          total.seconds += result.duration_s;
          total.non2xx += result.non2xx;
          total.errors += result.errors;
          total.cpuMs += cpuAfter - cpuBefore;
        }
      }
      for (const name of Object.keys(paths)) {
        const row = /** @type {RouterRow} */ ({ path: name, stream: false, concurrency });
        const problem = broken[`${name}:json`];
        const total = totals[name];
        if (problem || !total) {
          rows.push(unmeasured(row, problem ?? 'not measured'));
          continue;
        }
        const summary = summarize(total.samples);
        const rps = round(total.samples.length / Math.max(total.seconds, 1e-9), 1);
        log(
          `  router ${name.padEnd(13)} c=${String(concurrency).padStart(3)} ${rps} req/s p50 ${summary.p50_ms} ms p99 ${summary.p99_ms} ms`,
        );
        rows.push({
          ...row,
          rps,
          p50_ms: summary.p50_ms,
          p90_ms: summary.p90_ms,
          p99_ms: summary.p99_ms,
          mean_ms: summary.mean_ms,
          requests: total.samples.length,
          non2xx: total.non2xx,
          errors: total.errors,
          // CPU time of the gateway process over the measured windows, per 2xx response.
          ...(paths[name]?.pid
            ? { cpu_ms_per_req: round(total.cpuMs / Math.max(1, total.samples.length), 4) }
            : {}),
        });
      }
    }
    for (const [name, p] of Object.entries(paths)) {
      const row = /** @type {RouterRow} */ ({
        path: name,
        stream: true,
        concurrency: options.streamConcurrency,
      });
      const problem = broken[`${name}:stream`];
      if (problem) {
        rows.push(unmeasured(row, problem));
        continue;
      }
      const service = serviceOf(name);
      /** @param {() => Promise<any>} body */
      const sampled = (body) =>
        p.pid && service
          ? phases.measure(`${endpointOf(name)} streamed c=${options.streamConcurrency}`, body, [service])
          : body();
      const result = await sampled(() =>
        runStreamLoad({
          url: p.url,
          headers: { ...p.headers, accept: 'text/event-stream' },
          body: p.streamBody,
          concurrency: options.streamConcurrency,
          durationS: options.streamDurationS,
          warmupS: Math.min(1, options.warmupS),
          isFirstToken: (text) => text.includes(FIRST_TOKEN),
        }),
      );
      log(
        `  stream ${name.padEnd(13)} c=${options.streamConcurrency} ${result.rps} streams/s TTFT p50 ${result.ttft_p50_ms} ms last p50 ${result.p50_ms} ms`,
      );
      rows.push({
        ...row,
        rps: result.rps,
        p50_ms: result.p50_ms,
        p90_ms: result.p90_ms,
        p99_ms: result.p99_ms,
        ttft_p50_ms: result.ttft_p50_ms,
        ttft_p90_ms: result.ttft_p90_ms,
        ttft_p99_ms: result.ttft_p99_ms,
        streams: result.streams,
        errors: result.failures,
      });
    }
  } finally {
    routerRss.stop();
    portkeyRss?.stop();
  }
  /** @type {Record<string, {rss_peak_mb: number, rss_peak_file_mb?: number, rss_after_load_mb: number}>} */
  const footprint = {
    router: {
      rss_peak_mb: round(routerRss.peak(), 1),
      rss_peak_file_mb: round(routerRss.peakFile(), 1),
      rss_after_load_mb: round(rssMb(router.pid), 1),
    },
  };
  if (portkey && portkeyRss) {
    footprint.portkey = {
      rss_peak_mb: round(portkeyRss.peak(), 1),
      rss_peak_file_mb: round(portkeyRss.peakFile(), 1),
      rss_after_load_mb: round(rssMb(portkey.pid), 1),
    };
  }
  await Promise.all([router.stop(), routerWorkers.stop(), portkey?.stop(), upstream.stop()]);
  rmSync(workersDir, { recursive: true, force: true });
  return { rows, footprint, phases: phases.rows(), notes };
}

/**
 * One request; returns a problem description, or undefined when the answer carries the expected text.
 * @param {string} url
 * @param {Record<string, string>} headers
 * @param {string} body
 * @param {boolean} stream
 */
async function checkPath(url, headers, body, stream) {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: stream ? { ...headers, accept: 'text/event-stream' } : headers,
      body,
      signal: AbortSignal.timeout(10_000),
    });
    const text = await response.text();
    if (!response.ok) return `HTTP ${response.status}: ${text.slice(0, 160)}`;
    if (!text.includes(FIRST_TOKEN)) return `answer lacks the upstream text: ${text.slice(0, 160)}`;
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/**
 * One request at a time, the paths taking turns in blocks of requests in a row (interleavedBlocks): the cleanest
 * view of what a gateway adds (no queueing), comparable with published sequential overhead figures.
 * @param {Record<string, {url: string, headers: Record<string, string>, body: string}>} paths
 * @param {Record<string, string>} broken
 * @param {number} count requests per path
 * @returns {Promise<RouterRow[]>}
 */
async function sequentialOverhead(paths, broken, count) {
  const dispatcher = new Agent({ connections: 1, keepAliveTimeout: 30_000 });
  const live = Object.entries(paths).filter(([name]) => !broken[`${name}:json`]);
  let failures = 0;
  /** @type {Array<[string, () => Promise<void>]>} */
  const calls = live.map(([name, p]) => [
    name,
    async () => {
      const response = await request(p.url, { method: 'POST', headers: p.headers, body: p.body, dispatcher });
      await response.body.text();
      if (response.statusCode >= 300) throw new Error(`HTTP ${response.statusCode}`);
    },
  ]);
  /** @type {Map<string, number[]>} */
  let samples = new Map();
  try {
    // Unmeasured: each path's first calls (JIT, the connection), then the measured blocks.
    await interleavedBlocks(calls, { iterations: Math.min(50, count), block: 50 });
    samples = await interleavedBlocks(calls, {
      iterations: count,
      onError: () => {
        failures += 1;
      },
    });
  } finally {
    await dispatcher.close();
  }
  return live.map(([name]) => {
    const summary = summarize(samples.get(name) ?? []);
    return /** @type {RouterRow} */ ({
      path: name,
      stream: false,
      concurrency: 1,
      rps: round(1000 / summary.mean_ms, 1),
      p50_ms: summary.p50_ms,
      p90_ms: summary.p90_ms,
      p99_ms: summary.p99_ms,
      mean_ms: summary.mean_ms,
      requests: summary.count,
      errors: failures,
      sequential: true,
    });
  });
}
