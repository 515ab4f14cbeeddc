// `npm run bench` entry point: runs every scenario in one process tree, writes bench/results/latest.json,
// renders docs/benchmarks.md and docs/bench/*.svg. `--quick` is the smoke variant (under a minute) and writes
// bench/results/quick.json only, and `--only=...` writes bench/results/partial.json, so neither overwrites the
// committed full-run figures (add --docs to render docs from them anyway).
//
// Flags: --quick, --only=router,mcp,mcp-profile,emulator,footprint,tracing, --upstream-delay-ms=N, --chunk-interval-ms=N,
//        --duration=S (seconds per measured router run), --no-portkey, --docs (render docs for a quick run),
//        --profile-router=DIR (node --cpu-prof on the router child; prints its top frames),
//        --render=FILE (no measuring: re-render docs/benchmarks.md and the charts from a results JSON),
//        --mcp-baseline=REV (also build and measure the MCP server as of git revision REV: before/after).

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildMcpBaseline } from './baseline.mjs';
import { describeMachine } from './machine.mjs';
import { headline, renderCharts, renderMarkdown } from './markdown.mjs';
import { stopAll } from './processes.mjs';
import { topFrames } from './profile.mjs';
import { benchEmulator } from './scenarios/emulator.mjs';
import { benchFootprint } from './scenarios/footprint.mjs';
import { benchMcp } from './scenarios/mcp.mjs';
import { benchMcpProfile } from './scenarios/mcp-profile.mjs';
import { benchRouter } from './scenarios/router.mjs';
import { benchTracing } from './scenarios/tracing.mjs';
import { nowMs, round } from './stats.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SCENARIOS = ['router', 'mcp', 'mcp-profile', 'emulator', 'footprint', 'tracing'];

/**
 * @param {string[]} argv
 */
export function parseArgs(argv) {
  /** @param {string} name */
  const value = (name) => {
    const arg = argv.find((a) => a === `--${name}` || a.startsWith(`--${name}=`));
    if (arg === undefined) return undefined;
    if (arg.includes('=')) return arg.slice(arg.indexOf('=') + 1);
    const next = argv[argv.indexOf(arg) + 1];
    return next !== undefined && !next.startsWith('--') ? next : 'true';
  };
  /** @param {string} name @param {number} fallback */
  const number = (name, fallback) => {
    const raw = value(name);
    if (raw === undefined) return fallback;
    const parsed = Number(raw);
    if (!Number.isFinite(parsed) || parsed < 0)
      throw new Error(`--${name} must be a non-negative number, got ${raw}`);
    return parsed;
  };
  const known = [
    'quick',
    'only',
    'upstream-delay-ms',
    'chunk-interval-ms',
    'duration',
    'no-portkey',
    'docs',
    'profile-router',
    'render',
    'mcp-baseline',
  ];
  for (const arg of argv) {
    if (!arg.startsWith('--')) continue;
    const name = arg.slice(2).split('=')[0] ?? '';
    if (!known.includes(name))
      throw new Error(`unknown flag --${name}; known: ${known.map((k) => `--${k}`).join(' ')}`);
  }
  const quick = value('quick') !== undefined;
  const only = (value('only') ?? SCENARIOS.join(','))
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const s of only)
    if (!SCENARIOS.includes(s))
      throw new Error(`--only: unknown scenario ${s}; choose from ${SCENARIOS.join(', ')}`);
  const profileRouter = value('profile-router');
  const render = value('render');
  const mcpBaseline = value('mcp-baseline');
  return {
    mcpBaseline: mcpBaseline === undefined || mcpBaseline === 'true' ? undefined : mcpBaseline,
    render: render === undefined || render === 'true' ? undefined : path.resolve(render),
    quick,
    only,
    portkey: value('no-portkey') === undefined,
    // Only a complete, full-length run replaces the committed figures; anything else writes aside.
    docs: (!quick && only.length === SCENARIOS.length) || value('docs') !== undefined,
    partial: only.length !== SCENARIOS.length,
    upstreamDelayMs: number('upstream-delay-ms', 0),
    chunkIntervalMs: number('chunk-interval-ms', 2),
    profileRouter:
      profileRouter === undefined || profileRouter === 'true' ? undefined : path.resolve(profileRouter),
    router: {
      concurrency: quick ? [10] : [10, 50, 200],
      durationS: number('duration', quick ? 1 : 6),
      warmupS: quick ? 0.3 : 1,
      rounds: quick ? 1 : 2,
      sequentialRequests: quick ? 100 : 500,
      streamConcurrency: 10,
      streamDurationS: quick ? 0.7 : 5,
    },
    mcp: quick
      ? { iterations: 30, warmup: 3, concurrency: [10], durationS: 0.3, rounds: 1 }
      : { iterations: 300, warmup: 30, concurrency: [1, 10, 50], durationS: 2, rounds: 4 },
    mcpProfile: quick ? { durationS: 0.5, warmup: 20 } : { durationS: 3, warmup: 200 },
    emulator: quick
      ? { concurrency: 10, durationS: 1, warmupS: 0.3, subscribers: 20 }
      : { concurrency: 10, durationS: 5, warmupS: 1, subscribers: 200 },
    footprint: quick ? { runs: 1, settleMs: 200 } : { runs: 5, settleMs: 1000 },
    tracing: quick
      ? {
          concurrency: [10],
          durationS: number('duration', 1),
          rounds: 1,
          warmupS: 0.3,
          mcp: { batches: 30, warmup: 3, concurrency: [1, 10] },
        }
      : {
          concurrency: [10, 50],
          durationS: number('duration', 6),
          rounds: 2,
          warmupS: 1,
          mcp: { batches: 300, warmup: 30, concurrency: [1, 10] },
        },
  };
}

/** @param {string} line */
const log = (line) => process.stdout.write(`${line}\n`);

/**
 * Writes docs/benchmarks.md and docs/bench/*.svg.
 * @param {import('./markdown.mjs').BenchResults} results
 */
function writeDocs(results) {
  const chartDir = path.join(ROOT, 'docs/bench');
  mkdirSync(chartDir, { recursive: true });
  for (const [file, svg] of Object.entries(renderCharts(results)))
    writeFileSync(path.join(chartDir, file), svg);
  writeFileSync(path.join(ROOT, 'docs/benchmarks.md'), renderMarkdown(results));
  log('bench: wrote docs/benchmarks.md and docs/bench/*.svg');
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  if (options.render) {
    writeDocs(JSON.parse(readFileSync(options.render, 'utf8')));
    return;
  }
  const started = nowMs();
  // A hard ceiling so a hung service can never keep the run (and its children) alive.
  const ceilingMs = (options.quick ? 180 : 1200) * 1000;
  const watchdog = setTimeout(() => {
    log(`bench: exceeded ${ceilingMs / 1000} s, stopping every service`);
    void stopAll().finally(() => process.exit(2));
  }, ceilingMs);
  watchdog.unref();

  const command = `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;
  log(`bench: ${command}`);
  const machine = describeMachine(ROOT);
  log(
    `bench: ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}, load ${machine.load_average_at_start.join(' ')}`,
  );

  /** @type {import('./markdown.mjs').BenchResults & Record<string, unknown>} */
  const results = {
    machine,
    command,
    options: {
      quick: options.quick,
      upstream_delay_ms: options.upstreamDelayMs,
      chunk_interval_ms: options.chunkIntervalMs,
      router: options.router,
      mcp: options.mcp,
      mcp_profile: options.mcpProfile,
      mcp_baseline: options.mcpBaseline,
      emulator: options.emulator,
      footprint: options.footprint,
      tracing: options.tracing,
    },
    router: [],
    mcp: [],
    mcp_profile: [],
    emulator: {},
    footprint: {},
    footprint_phases: [],
    notes: [],
  };
  const phaseRows = /** @type {import('./processes.mjs').PhaseRss[]} */ (results.footprint_phases);
  /** @type {Record<string, Record<string, unknown>>} */
  const peaks = {};
  const notes = /** @type {string[]} */ (results.notes);

  /** @param {string} name @param {() => Promise<void>} body */
  const scenario = async (name, body) => {
    if (!options.only.includes(name)) return;
    const t0 = nowMs();
    log(`bench: ${name}`);
    try {
      await body();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      notes.push(`${name} scenario failed: ${message.split('\n')[0]}`);
      log(`bench: ${name} FAILED: ${message}`);
      await stopAll();
    }
    log(`bench: ${name} done in ${((nowMs() - t0) / 1000).toFixed(1)} s`);
  };

  /** @type {{bin: string, remove: () => void} | undefined} */
  let baseline;
  try {
    await scenario('router', async () => {
      const out = await benchRouter({
        root: ROOT,
        ...options.router,
        upstreamDelayMs: options.upstreamDelayMs,
        chunkIntervalMs: options.chunkIntervalMs,
        routerLogLevel: 'warn',
        portkey: options.portkey,
        log,
        ...(options.profileRouter
          ? { cpuProfileArgs: ['--cpu-prof', `--cpu-prof-dir=${options.profileRouter}`] }
          : {}),
      });
      results.router = out.rows;
      phaseRows.push(...out.phases);
      notes.push(...out.notes);
      for (const [name, f] of Object.entries(out.footprint))
        peaks[name] = { ...f, rss_peak_during: 'router load' };
      if (options.profileRouter) {
        log('bench: router CPU profile, top self-time frames:');
        for (const frame of topFrames(options.profileRouter, 25)) log(`  ${frame}`);
      }
    });
    const needsBaseline =
      options.mcpBaseline !== undefined &&
      (options.only.includes('mcp') || options.only.includes('mcp-profile'));
    baseline = needsBaseline ? buildMcpBaseline(ROOT, String(options.mcpBaseline)) : undefined;
    const baselineBin = baseline?.bin;
    await scenario('mcp', async () => {
      const out = await benchMcp({ root: ROOT, ...options.mcp, baselineBin, log });
      results.mcp = out.rows;
      phaseRows.push(...out.phases);
      notes.push(...out.notes);
      for (const [name, f] of Object.entries(out.footprint))
        peaks[name] = { ...f, rss_peak_during: 'MCP load' };
    });
    await scenario('mcp-profile', async () => {
      results.mcp_profile = await benchMcpProfile({ root: ROOT, ...options.mcpProfile, baselineBin, log });
    });
    await scenario('emulator', async () => {
      const out = await benchEmulator({ root: ROOT, ...options.emulator, log });
      results.emulator = out.emulator;
      phaseRows.push(...out.phases);
      peaks.emulator = { ...out.footprint, rss_peak_during: 'emulator load' };
    });
    await scenario('tracing', async () => {
      const out = await benchTracing({ root: ROOT, ...options.tracing, log });
      results.tracing = { rows: out.rows, spans: out.spans };
      notes.push(...out.notes);
    });
    await scenario('footprint', async () => {
      results.footprint = /** @type {any} */ (
        await benchFootprint({ root: ROOT, ...options.footprint, log })
      );
    });
  } finally {
    await stopAll();
    baseline?.remove();
  }

  // Peak RSS comes from the load scenarios; cold start, idle RSS and install size from the footprint scenario.
  for (const name of ['router', 'mcp-server', 'emulator', 'portkey']) {
    const f = /** @type {Record<string, unknown>} */ (results.footprint[name] ?? {});
    const peak = peaks[name] ?? {};
    if (Object.keys(f).length === 0 && Object.keys(peak).length === 0) continue;
    results.footprint[name] = /** @type {any} */ ({
      cold_start_ms: Number.NaN,
      rss_idle_mb: Number.NaN,
      rss_peak_mb: Number.NaN,
      ...f,
      ...peak,
    });
  }
  // Peaks of processes the footprint scenario does not start: ocs-mcp over stdio, the --mcp-baseline build.
  const extra = /** @type {NonNullable<typeof results.footprint_extra>} */ (
    Object.fromEntries(
      ['mcp-server-stdio', 'mcp-server-baseline']
        .filter((name) => peaks[name])
        .map((name) => [name, peaks[name]]),
    )
  );
  if (Object.keys(extra).length > 0) results.footprint_extra = extra;
  results.elapsed_s = round((nowMs() - started) / 1000, 1);
  Object.assign(results.machine, { load_average_at_end: os.loadavg().map((v) => round(v, 2)) });
  results.summary = headline(results);

  const resultsDir = path.join(ROOT, 'bench/results');
  mkdirSync(resultsDir, { recursive: true });
  const jsonPath = path.join(
    resultsDir,
    options.quick ? 'quick.json' : options.partial ? 'partial.json' : 'latest.json',
  );
  // The container image figures come from `npm run image`, not from this run: keep them.
  if (existsSync(jsonPath)) {
    const previous = JSON.parse(readFileSync(jsonPath, 'utf8'));
    for (const key of ['image', 'image_before']) if (previous[key]) results[key] = previous[key];
  }
  writeFileSync(jsonPath, `${JSON.stringify(results, jsonNumbers, 2)}\n`);
  log(`bench: wrote ${path.relative(ROOT, jsonPath)}`);
  if (options.docs) writeDocs(results);
  log(`bench: summary ${JSON.stringify(results.summary, jsonNumbers)}`);
  log(`bench: finished in ${results.elapsed_s} s`);
  clearTimeout(watchdog);
}

/**
 * JSON has no NaN: a figure that could not be measured is written as null.
 * @param {string} _key
 * @param {unknown} value
 */
function jsonNumbers(_key, value) {
  return typeof value === 'number' && !Number.isFinite(value) ? null : value;
}

const stopAndExit = (/** @type {number} */ code) => {
  void stopAll().finally(() => process.exit(code));
};
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.on('SIGINT', () => stopAndExit(130));
  process.on('SIGTERM', () => stopAndExit(143));
  main().then(
    () => process.exit(0),
    (error) => {
      process.stderr.write(`bench: ${error instanceof Error ? error.stack : String(error)}\n`);
      stopAndExit(1);
    },
  );
}
