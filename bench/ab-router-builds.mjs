// Two (or more) builds of the router side by side, launches alternated round by round with a bare
// `node -e 0` in every round, so a start-up change is judged against its baseline in one run:
//
//   node bench/ab-router-builds.mjs [--rounds=15] [--settle=1000] [--workers=1] -- BIN_A BIN_B [...]
//
// Each BIN is a router bin (packages/router/dist/bin.js of a work tree; build each first). Per build:
// start-to-healthy (spawn to the first 2xx /health, polled every 2 ms), its ratio to `node -e 0` and to
// the first build (also per round, paired), the CPU the process used to get there (steadier than wall
// time on a loaded machine), RSS at the first healthy answer and after --settle ms idle, and (one extra launch,
// not timed, with bench/cjs-at-listening.mjs preloaded) the CommonJS modules it had loaded when it
// started listening. --workers=N starts ROUTER_WORKERS=N on a SQLite store (healthy = first worker;
// RSS is the primary's).

import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { launchArguments } from './launch-words.mjs';
import { cpuTimeMs, freePort, rssMb, spawnService, waitForHealthy } from './processes.mjs';
import { bareNodeMs, routerStartEnv } from './scenarios/footprint.mjs';
import { median, nowMs, round } from './stats.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { option, launches: bins } = launchArguments(
  process.argv.slice(2),
  'node bench/ab-router-builds.mjs [--rounds=15] [--settle=1000] [--workers=1] -- BIN_A BIN_B [...]',
);
const rounds = Number(option('rounds', '15'));
const settleMs = Number(option('settle', '1000'));
const workers = Number(option('workers', '1'));
const dir = mkdtempSync(path.join(os.tmpdir(), 'ocs-bench-builds-'));

/** @param {number} port @param {Record<string, string>} [extra] */
const routerEnv = (port, extra = {}) => ({
  ...routerStartEnv(port),
  ...(workers > 1
    ? {
        ROUTER_WORKERS: String(workers),
        ROUTER_STORE: 'sqlite',
        ROUTER_DB: path.join(dir, `r-${port}.sqlite`),
      }
    : {}),
  ...extra,
});

/** @param {string} bin */
async function launch(bin) {
  const port = await freePort();
  const startedAt = nowMs();
  const service = spawnService(`router ${bin}`, process.execPath, [bin], { cwd: ROOT, env: routerEnv(port) });
  try {
    const ms = await waitForHealthy(`http://127.0.0.1:${port}/health`, { service, startedAt, intervalMs: 2 });
    const cpu = cpuTimeMs(service.pid);
    const atHealthy = rssMb(service.pid);
    await new Promise((resolve) => setTimeout(resolve, settleMs));
    return { ms, cpu, atHealthy, idle: rssMb(service.pid) };
  } finally {
    await service.stop();
  }
}

/** @param {string} bin */
async function modulesAtListening(bin) {
  const port = await freePort();
  const probe = pathToFileURL(path.join(ROOT, 'bench/cjs-at-listening.mjs')).href;
  const service = spawnService(`router ${bin}`, process.execPath, [bin], {
    cwd: ROOT,
    env: routerEnv(port, { NODE_OPTIONS: `--import=${probe}` }),
  });
  try {
    await waitForHealthy(`http://127.0.0.1:${port}/health`, { service });
    const found = /cjs-at-listening=(\{.*\})/.exec(service.output());
    return found?.[1] ? JSON.parse(found[1]) : undefined;
  } finally {
    await service.stop();
  }
}

try {
  console.log(
    `load before: ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')} (${os.cpus().length} cores)`,
  );
  /** @type {number[]} */
  const bare = [];
  const results = bins.map(() => ({
    ms: /** @type {number[]} */ ([]),
    cpu: /** @type {number[]} */ ([]),
    atHealthy: /** @type {number[]} */ ([]),
    idle: /** @type {number[]} */ ([]),
  }));
  for (let r = 0; r < rounds; r += 1) {
    bare.push(await bareNodeMs());
    const order = bins.map((_, i) => i);
    if (r % 2 === 1) order.reverse();
    for (const i of order) {
      const one = await launch(/** @type {string} */ (bins[i]));
      results[i]?.ms.push(one.ms);
      results[i]?.cpu.push(one.cpu);
      results[i]?.atHealthy.push(one.atHealthy);
      results[i]?.idle.push(one.idle);
    }
  }
  const bareMs = median(bare);
  const firstMs = median(results[0]?.ms ?? []);
  console.log(`node -e 0: ${round(bareMs, 1)} ms (median of ${rounds})`);
  for (const [i, bin] of bins.entries()) {
    const res = results[i];
    if (!res) continue;
    const ms = median(res.ms);
    // Paired: this build's time over the first build's in the same round, then the median of those.
    const paired = median(res.ms.map((v, r) => v / (results[0]?.ms[r] ?? Number.NaN)));
    const pairedCpu = median(res.cpu.map((v, r) => v / (results[0]?.cpu[r] ?? Number.NaN)));
    const modules = await modulesAtListening(bin);
    console.log(
      [
        `${bin}${workers > 1 ? ` (ROUTER_WORKERS=${workers})` : ''}`,
        `  start-to-healthy ${round(ms, 1)} ms median = ${round(ms / bareMs, 2)}x node -e 0, ${round(ms / firstMs, 3)}x the first build`,
        `  per-round ratio to the first build: start-to-healthy ${round(paired, 3)}, CPU to healthy ${round(pairedCpu, 3)} (medians)`,
        `  runs ${res.ms.map((v) => round(v, 0)).join(' ')}`,
        `  CPU (user+system) used to the first healthy answer ${round(median(res.cpu), 0)} ms median`,
        `  RSS at first healthy ${round(median(res.atHealthy), 1)} MB, idle after ${settleMs} ms ${round(median(res.idle), 1)} MB (medians)`,
        `  CommonJS modules loaded when it listened: ${modules ? `${modules.all}, of which prom-client and @opentelemetry/api ${modules.metrics}` : 'not reported'}`,
      ].join('\n'),
    );
  }
  console.log(
    `load after: ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
