// The emulator's counterpart of ab-launch.mjs: two or more launches of the emulator side by side, each on
// its own temporary SQLite file (WAL), each seeded alike, then reads, lookups and writes at 10 connections
// with the rounds alternated between the launches, so a launch flag or allocator setting is judged on
// memory and throughput in the same run:
//
//   node bench/ab-launch-emulator.mjs [--rounds=3] [--duration=3] [--connections=10] -- 'A' 'B' ['C' ...]
//
// Launch words as in ab-launch.mjs (node flags, NAME=value environment settings, --bare for the launch
// without the image's environment). Prints, per launch
// and phase, requests/s and emulator CPU ms per request of every round and the peak RSS. Builds nothing:
// run `npm run build` first.

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchArguments, launchOf } from './launch-words.mjs';
import { runHttpLoad } from './load.mjs';
import { cpuTimeMs, rssMb, sampleRss } from './processes.mjs';
import { BALANCE_BODY, seed, startEmulatorProcess } from './scenarios/emulator.mjs';
import { median } from './stats.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { option, launches } = launchArguments(
  process.argv.slice(2),
  "node bench/ab-launch-emulator.mjs [--rounds=3] [--duration=3] [--connections=10] -- 'A' 'B' ['C' ...]",
);
const rounds = Number(option('rounds', '3'));
const durationS = Number(option('duration', '3'));
const connections = Number(option('connections', '10'));

/**
 * @typedef {object} Launch
 * @property {string} launch
 * @property {import('./scenarios/emulator.mjs').EmulatorProcess} emulator
 * @property {number} idle
 * @property {import('./scenarios/emulator.mjs').SeededSubscriber[]} subscribers
 * @property {number} next
 * @property {Record<string, {rps: number[], cpu: number[], peak: number, failed: number}>} results
 */
/** @type {Launch[]} */
const emulators = [];
try {
  for (const launch of launches) {
    const { nodeArgs, env, imageEnv } = launchOf(launch);
    const process_ = await startEmulatorProcess(ROOT, {
      name: `emulator ${launch}`,
      nodeArgs,
      env,
      imageEnv,
    });
    emulators.push({
      launch: launch || '(as it is)',
      emulator: process_,
      idle: 0,
      subscribers: [],
      next: 0,
      results: {},
    });
  }
  await new Promise((resolve) => setTimeout(resolve, 1000));
  for (const entry of emulators) entry.idle = rssMb(entry.emulator.service.pid);
  for (const entry of emulators) entry.subscribers = await seed(entry.emulator.url, 200);
  const body = JSON.stringify(BALANCE_BODY);
  /** @type {[string, (e: Launch, base: string) => {method: 'GET' | 'POST', path: string, body?: string, headers?: Record<string, string>}][]} */
  const phases = [
    [
      'GET /subscribers/{id}',
      (e, base) => ({ method: 'GET', path: `${base}/subscribers/${pick(e).subscriberId}` }),
    ],
    [
      'GET /subscribers/lookup',
      (e, base) => ({ method: 'GET', path: `${base}/subscribers/lookup?msisdn=${pick(e).msisdn}` }),
    ],
    [
      'POST /subscriptions/{id}/balances',
      (e, base) => ({
        method: 'POST',
        path: `${base}/subscriptions/${pick(e).subscriptionId}/balances`,
        body,
        headers: { 'content-type': 'application/json' },
      }),
    ],
  ];
  for (let round = 0; round < rounds; round += 1) {
    for (const [phase, request] of phases) {
      // The order flips every round, so no launch always runs first.
      for (const entry of round % 2 === 0 ? emulators : [...emulators].reverse()) {
        const { pid } = entry.emulator.service;
        const base = new URL(entry.emulator.url).pathname;
        const rss = sampleRss(pid, 50);
        const cpuBefore = cpuTimeMs(pid);
        const result = await runHttpLoad({
          url: entry.emulator.url,
          connections,
          durationS,
          nextRequest: () => request(entry, base),
        });
        const cpuMs = cpuTimeMs(pid) - cpuBefore;
        rss.stop();
        const key = `${phase} c=${connections}`;
        entry.results[key] ??= { rps: [], cpu: [], peak: 0, failed: 0 };
        const row = entry.results[key];
        row.rps.push(result.rps);
        row.failed += result.non2xx + result.errors;
        row.cpu.push(cpuMs / Math.max(1, result.requests));
        row.peak = Math.max(row.peak, rss.peak());
      }
    }
  }
  for (const entry of emulators) {
    process.stdout.write(`${entry.launch}: idle RSS ${entry.idle.toFixed(1)} MB\n`);
    for (const [phase, row] of Object.entries(entry.results)) {
      process.stdout.write(
        `  ${phase.padEnd(40)} req/s ${row.rps.join(' / ')} (median ${median(row.rps).toFixed(0)}), CPU ms/req median ${median(row.cpu).toFixed(3)}, peak RSS ${row.peak.toFixed(1)} MB${row.failed ? `, ${row.failed} failed or non-2xx` : ''}\n`,
      );
    }
  }
} finally {
  await Promise.all(emulators.map((entry) => entry.emulator.stop()));
}

/** The next seeded subscriber of one emulator, round robin. */
function pick(/** @type {Launch} */ entry) {
  entry.next = (entry.next + 1) % entry.subscribers.length;
  return /** @type {import('./scenarios/emulator.mjs').SeededSubscriber} */ (entry.subscribers[entry.next]);
}
