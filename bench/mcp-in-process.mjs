// What ocs-mcp's own JavaScript costs per tools/call, apart from sockets and the OCS: the HTTP fast path's serve()
// called in-process on a fake request and response, with the runtime's OCS client answering a real subscriber
// record (fetched once from an emulator) from memory. CPU time per call (process.cpuUsage) over many calls, for
// this checkout's build and, with --mcp-baseline=REV, the MCP server as of REV, run alternately in child
// processes, each figure also as a ratio to the first. It is the cheapest figure to compare two builds by: one
// process, no load generator, no network, so another process on the machine moves it far less than a load test.
// Usage: npm run build && node bench/mcp-in-process.mjs [--mcp-baseline=REV] [--calls=N] [--rounds=R]

import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildMcpBaseline } from './baseline.mjs';
import { inProcessFastPath } from './in-process-fast-path.mjs';
import { seed, startEmulatorProcess } from './scenarios/emulator.mjs';
import { median } from './stats.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * One measurement, in this process: `dist` is a packages/mcp-server/dist directory.
 * @param {string} dist
 * @param {Record<string, unknown>} record the OCS's answer to GET /subscribers/{id}
 * @param {number} calls
 * @returns {Promise<number>} µs of CPU per call
 */
async function measure(dist, record, calls) {
  const serve = await inProcessFastPath(dist, { LOG_LEVEL: 'warn' }, { status: 200, body: record });
  const text = (/** @type {number} */ id) =>
    `{"jsonrpc":"2.0","id":${id},"method":"tools/call","params":{"name":"get_subscriber","arguments":{"subscriberId":${JSON.stringify(record.subscriberId)}}}}`;
  const one = async (/** @type {number} */ id) => {
    const body = await serve(JSON.parse(text(id)));
    if (!body.includes('"structuredContent"') || body.includes('"isError"'))
      throw new Error(`get_subscriber was not answered on the fast path: ${body.slice(0, 300)}`);
  };
  for (let i = 0; i < Math.min(20_000, calls); i += 1) await one(i);
  const before = process.cpuUsage();
  for (let i = 0; i < calls; i += 1) await one(i);
  const used = process.cpuUsage(before);
  return (used.user + used.system) / calls;
}

/** @param {string} name */
function flag(name) {
  return process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
}

if (process.argv[2] === '--child') {
  const [dist, recordJson, calls] = process.argv.slice(3);
  const us = await measure(String(dist), JSON.parse(String(recordJson)), Number(calls));
  process.stdout.write(`${us}\n`);
  process.exit(0);
} else {
  const calls = Number(flag('calls') ?? 100_000);
  const rounds = Number(flag('rounds') ?? 3);
  const revision = flag('mcp-baseline');
  const emulator = await startEmulatorProcess(root);
  let record;
  try {
    const [first] = await seed(emulator.url, 1);
    record = await (await fetch(`${emulator.url}/subscribers/${first?.subscriberId}`)).json();
  } finally {
    await emulator.stop();
  }
  const baseline = revision ? buildMcpBaseline(root, revision) : undefined;
  /** @type {Array<[string, string]>} */
  const builds = [['this checkout', path.join(root, 'packages/mcp-server/dist')]];
  if (baseline && revision) builds.push([`as of ${revision}`, path.dirname(baseline.bin)]);
  try {
    /** @type {Map<string, number[]>} */
    const figures = new Map(builds.map(([name]) => [name, []]));
    for (let round = 0; round < rounds; round += 1) {
      for (const [name, dist] of round % 2 ? [...builds].reverse() : builds) {
        const out = execFileSync(
          process.execPath,
          [fileURLToPath(import.meta.url), '--child', dist, JSON.stringify(record), String(calls)],
          { cwd: root, encoding: 'utf8' },
        );
        figures.get(name)?.push(Number(out.trim()));
      }
    }
    const first = median(figures.get(builds[0]?.[0] ?? '') ?? []);
    for (const [name, xs] of figures) {
      const us = median(xs);
      process.stdout.write(
        `${name}: ${us.toFixed(1)} µs of CPU per get_subscriber tools/call (median of ${xs.length} rounds of ${calls}: ${xs.map((x) => x.toFixed(1)).join(', ')}), ${(us / first).toFixed(2)}× this checkout\n`,
      );
    }
  } finally {
    baseline?.remove();
  }
}
