import { type ChildProcess, execFileSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { RunningEmulator } from '@ocsai/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeReport } from '../../../test/support/probe-report.js';
import { startTestEmulator } from './helpers.js';
import { spawnProbedHttpBin } from './support/spawned-http-bin.js';

/**
 * The built bin, started as users start it, holds V8's young generation at two 4 MB semi-spaces through
 * start-up and concurrent tool calls (packages/telemetry/test/young-generation.test.ts proves the mechanism
 * and that the same kind of load grows an unbounded one to 32 MB; unbounded, this bin's start-up alone
 * grows it to 16 MB). A preloaded probe reports the largest size it saw after any GC.
 */

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const PROBE = pathToFileURL(
  fileURLToPath(new URL('./support/young-generation-probe.mjs', import.meta.url)),
).href;
const MiB = 1024 * 1024;

let emulator: RunningEmulator;
let child: ChildProcess | undefined;

beforeAll(async () => {
  execFileSync('npx', ['tsc', '-b', 'packages/mcp-server/tsconfig.build.json'], { cwd: ROOT, stdio: 'pipe' });
  emulator = await startTestEmulator();
}, 60_000);
afterAll(async () => {
  if (child?.exitCode === null) child.kill('SIGKILL');
  await emulator?.close();
});

describe('ocs-mcp --http bounds its young generation', () => {
  it('stays within two 4 MB semi-spaces through start-up and 2,000 tool calls, 50 at a time', async () => {
    const spawned = await spawnProbedHttpBin({ probe: PROBE, ocsUrl: emulator.url });
    child = spawned.child;
    const { url } = spawned;
    // get_subscriber of an unknown id: a whole tools/call with its OCS round trip, answered as a tool error.
    const call = async (id: number) => {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          'mcp-protocol-version': '2025-11-25',
        },
        body: JSON.stringify({
          jsonrpc: '2.0',
          id,
          method: 'tools/call',
          params: { name: 'get_subscriber', arguments: { subscriberId: `unknown-${id}` } },
        }),
      });
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('"isError":true');
    };
    for (let wave = 0; wave < 40; wave++)
      await Promise.all(Array.from({ length: 50 }, (_, k) => call(wave * 50 + k)));
    const seen = spawned.stderr().length;
    child.kill('SIGUSR2');
    const largest = Number(await probeReport(spawned.stderr, /young-generation-largest=(\d+)/, seen));
    expect(largest).toBeGreaterThan(0);
    expect(largest).toBeLessThanOrEqual(8 * MiB);
  }, 90_000);
});
