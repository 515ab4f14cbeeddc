// Where an MCP tool call's CPU goes: ocs-mcp --http (and optionally a baseline build), the Node floor and the SDK
// floor, each run under `node --cpu-prof` on get_subscriber at concurrency 1 and 10, one server process per run,
// driven by raw JSON-RPC POSTs (the load generator's own MCP client would compete for the same cores). The
// profile's busy samples are charged to stages (bench/profile.mjs stageBreakdown) and scaled to the CPU time
// per call measured from /proc over the same loop.

import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Agent } from 'undici';
import { concurrentThroughput } from '../load.mjs';
import { cpuTimeMs, freePort, spawnService, waitForHealthy } from '../processes.mjs';
import { STAGES, stageBreakdown } from '../profile.mjs';
import { round } from '../stats.mjs';
import { seed, startEmulatorProcess } from './emulator.mjs';
import { mcpHttpEnv, wireHttpClient } from './mcp.mjs';

/**
 * @typedef {object} McpProfileRow
 * @property {string} server 'ocs-mcp' | 'ocs-mcp-baseline' | 'node-floor' | 'sdk-floor'
 * @property {number} concurrency
 * @property {number} calls_per_s
 * @property {number} cpu_ms_per_call CPU time of the server process per call (from /proc)
 * @property {Record<string, number>} stages_ms_per_call that CPU time split by stage
 * @property {string} [error]
 */

/**
 * @param {{root: string, baselineBin?: string, durationS: number, warmup: number, log: (line: string) => void}} options
 * @returns {Promise<McpProfileRow[]>}
 */
export async function benchMcpProfile(options) {
  const { root, log } = options;
  const emulator = await startEmulatorProcess(root);
  /** @type {McpProfileRow[]} */
  const rows = [];
  try {
    const subscribers = await seed(emulator.url, 20);
    const args = (/** @type {number} */ i) => ({
      subscriberId: /** @type {{subscriberId: string}} */ (subscribers[i % subscribers.length]).subscriberId,
    });
    /** @type {Array<[string, string]>} */
    const servers = [
      ['ocs-mcp', path.join(root, 'packages/mcp-server/dist/bin.js')],
      ...(options.baselineBin
        ? [/** @type {[string, string]} */ (['ocs-mcp-baseline', options.baselineBin])]
        : []),
      ['node-floor', path.join(root, 'bench/node-floor.mjs')],
      ['sdk-floor', path.join(root, 'bench/sdk-floor.mjs')],
    ];
    for (const [server, bin] of servers) {
      for (const concurrency of [1, 10]) {
        const dir = mkdtempSync(path.join(os.tmpdir(), 'ocs-bench-prof-'));
        const port = await freePort();
        const service = spawnService(
          server,
          process.execPath,
          ['--cpu-prof', `--cpu-prof-dir=${dir}`, bin, '--http'],
          {
            cwd: root,
            env: mcpHttpEnv(emulator.url, port),
          },
        );
        const dispatcher = new Agent({ connections: 16 });
        try {
          await waitForHealthy(`http://127.0.0.1:${port}/healthz`, { service });
          const callTool = wireHttpClient(new URL(`http://127.0.0.1:${port}/mcp`), '2025-11-25', dispatcher);
          let i = 0;
          const call = () => callTool('get_subscriber', args(i++));
          for (let w = 0; w < options.warmup; w += 1) await call();
          const cpuBefore = cpuTimeMs(service.pid);
          const loop = await concurrentThroughput(call, { concurrency, durationS: options.durationS });
          const cpuPerCall = (cpuTimeMs(service.pid) - cpuBefore) / Math.max(1, loop.completed);
          await service.stop();
          await waitForProfile(dir);
          const { shares } = stageBreakdown(dir);
          rows.push({
            server,
            concurrency,
            calls_per_s: loop.calls_per_s,
            cpu_ms_per_call: round(cpuPerCall, 3),
            stages_ms_per_call: Object.fromEntries(
              STAGES.map((stage) => [stage, round((shares[stage] ?? Number.NaN) * cpuPerCall, 3)]),
            ),
          });
          log(`  mcp-profile ${server.padEnd(16)} c=${concurrency} CPU ${round(cpuPerCall, 3)} ms/call`);
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          rows.push({
            server,
            concurrency,
            calls_per_s: Number.NaN,
            cpu_ms_per_call: Number.NaN,
            stages_ms_per_call: {},
            error: message,
          });
        } finally {
          await dispatcher.close().catch(() => undefined);
          await service.stop();
          rmSync(dir, { recursive: true, force: true });
        }
      }
    }
    return rows;
  } finally {
    await emulator.stop();
  }
}

/** The profile is written as the process exits; give the file system a moment. @param {string} dir */
async function waitForProfile(dir) {
  for (let i = 0; i < 100; i += 1) {
    if (readdirSync(dir).some((f) => f.endsWith('.cpuprofile'))) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('no .cpuprofile written');
}
