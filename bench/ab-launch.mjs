// Two or more launches of the router side by side on one fake upstream, load rounds alternated between
// them, so a launch flag or allocator setting is judged on memory and throughput in the same run:
//
//   node bench/ab-launch.mjs [--rounds=3] [--duration=3] [--levels=50,200] -- 'A' 'B' ['C' ...]
//
// Each launch is a space-separated list of node flags (--max-semi-space-size=8) and environment settings
// (MALLOC_ARENA_MAX=2); '' is the launch as the container image makes it (bench/service-launch.mjs), and
// the word --bare drops the image's environment (a bare `node dist/bin.js`). Prints, per launch, endpoint
// and level, the requests/s and router CPU ms per request of every round and the peak RSS. Builds nothing:
// run `npm run build` first.

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchArguments, launchOf } from './launch-words.mjs';
import { runHttpLoad } from './load.mjs';
import {
  cpuTimeMs,
  firstJsonLine,
  freePort,
  rssMb,
  sampleRss,
  spawnService,
  waitForHealthy,
} from './processes.mjs';
import { median } from './stats.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { option, launches } = launchArguments(
  process.argv.slice(2),
  "node bench/ab-launch.mjs [--rounds=3] [--duration=3] [--levels=50,200] -- 'A' 'B' ['C' ...]",
);
const rounds = Number(option('rounds', '3'));
const durationS = Number(option('duration', '3'));
const levels = option('levels', '50,200').split(',').map(Number);

const upstream = spawnService('fake-upstream', process.execPath, [
  path.join(ROOT, 'bench/fake-upstream.mjs'),
]);
const { url: upstreamUrl } = /** @type {{url: string}} */ (await firstJsonLine(upstream));
const routers = [];
try {
  for (const launch of launches) {
    const { nodeArgs: flags, env, imageEnv } = launchOf(launch);
    const port = await freePort();
    const service = spawnService(
      `router ${launch}`,
      process.execPath,
      [...flags, path.join(ROOT, 'packages/router/dist/bin.js')],
      {
        cwd: ROOT,
        env: {
          ROUTER_HOST: '127.0.0.1',
          ROUTER_PORT: String(port),
          ROUTER_STORE: 'memory',
          MCP_CONFIG: 'none',
          LLM_PROVIDER: 'openai',
          OPENAI_BASE_URL: upstreamUrl,
          OPENAI_API_KEY: 'bench-key',
          OPENAI_MODEL: 'bench-model',
          LOG_LEVEL: 'warn',
          ...env,
        },
        imageEnv,
      },
    );
    await waitForHealthy(`http://127.0.0.1:${port}/health`, { service });
    routers.push({
      launch: launch || '(as it is)',
      service,
      url: `http://127.0.0.1:${port}`,
      idle: 0,
      results:
        /** @type {Record<string, {rps: number[], cpu: number[], peak: number, failed: number}>} */ ({}),
    });
  }
  await new Promise((resolve) => setTimeout(resolve, 1000));
  for (const router of routers) router.idle = rssMb(router.service.pid);
  const question = 'How many active balances does subscriber 4712345678 have?';
  const endpoints = [
    [
      '/v1/chat/completions',
      JSON.stringify({ model: 'bench-model', messages: [{ role: 'user', content: question }] }),
    ],
    ['/ask', JSON.stringify({ message: question, provider: 'openai' })],
  ];
  const headers = { 'content-type': 'application/json' };
  for (const router of routers)
    for (const [endpoint, body] of endpoints)
      await runHttpLoad({
        url: `${router.url}${endpoint}`,
        method: 'POST',
        headers,
        body,
        connections: 10,
        durationS: 1,
      });
  for (const connections of levels) {
    for (let round = 0; round < rounds; round += 1) {
      for (const [endpoint, body] of endpoints) {
        // The order flips every round, so neither launch always runs first.
        for (const router of round % 2 === 0 ? routers : [...routers].reverse()) {
          const rss = sampleRss(router.service.pid, 50);
          const cpuBefore = cpuTimeMs(router.service.pid);
          const result = await runHttpLoad({
            url: `${router.url}${endpoint}`,
            method: 'POST',
            headers,
            body,
            connections,
            durationS,
          });
          const cpuMs = cpuTimeMs(router.service.pid) - cpuBefore;
          rss.stop();
          const key = `${endpoint} c=${connections}`;
          router.results[key] ??= { rps: [], cpu: [], peak: 0, failed: 0 };
          const entry = router.results[key];
          entry.rps.push(result.rps);
          if (result.non2xx + result.errors > 0)
            entry.failed = (entry.failed ?? 0) + result.non2xx + result.errors;
          entry.cpu.push(cpuMs / Math.max(1, result.requests));
          entry.peak = Math.max(entry.peak, rss.peak());
        }
      }
    }
  }
  for (const router of routers) {
    process.stdout.write(`${router.launch}: idle RSS ${router.idle.toFixed(1)} MB\n`);
    for (const [phase, entry] of Object.entries(router.results)) {
      process.stdout.write(
        `  ${phase.padEnd(28)} req/s ${entry.rps.join(' / ')} (median ${median(entry.rps).toFixed(0)}), CPU ms/req median ${median(entry.cpu).toFixed(3)}, peak RSS ${entry.peak.toFixed(1)} MB${entry.failed ? `, ${entry.failed} failed or non-2xx` : ''}\n`,
      );
    }
  }
} finally {
  await Promise.all([...routers.map((router) => router.service.stop()), upstream.stop()]);
}
