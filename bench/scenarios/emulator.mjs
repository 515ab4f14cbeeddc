// The OCS emulator as a child process on a temporary SQLite file (its default storage, WAL), plus seeding and
// the emulator's own read/write throughput.

import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runHttpLoad } from '../load.mjs';
import { freePort, rssByPhase, rssMb, sampleRss, spawnService, waitForHealthy } from '../processes.mjs';
import { round } from '../stats.mjs';

/**
 * @typedef {object} EmulatorProcess
 * @property {string} url base URL including /ocs/prov/v1
 * @property {import('../processes.mjs').Service} service
 * @property {() => Promise<void>} stop stops the process and deletes the temporary database
 */

/**
 * @param {string} root repository root
 * @param {{nodeArgs?: string[], env?: Record<string, string>, name?: string, imageEnv?: boolean}} [launch]
 *   extra node flags and environment for the child, and whether it gets the image's environment (default
 *   yes); bench/ab-launch-emulator.mjs compares launches this way
 * @returns {Promise<EmulatorProcess>}
 */
export async function startEmulatorProcess(root, launch = {}) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ocs-bench-'));
  const port = await freePort();
  const service = spawnService(
    launch.name ?? 'emulator',
    process.execPath,
    [...(launch.nodeArgs ?? []), path.join(root, 'packages/emulator/dist/bin.js')],
    {
      cwd: root,
      env: {
        OCS_EMULATOR_HOST: '127.0.0.1',
        OCS_EMULATOR_PORT: String(port),
        OCS_EMULATOR_DB: path.join(dir, 'ocs.sqlite'),
        LOG_LEVEL: 'warn',
        ...launch.env,
      },
      imageEnv: launch.imageEnv,
    },
  );
  const url = `http://127.0.0.1:${port}/ocs/prov/v1`;
  try {
    await waitForHealthy(`${url}/health-check`, { service });
  } catch (error) {
    await service.stop();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    url,
    service,
    stop: async () => {
      await service.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * @param {string} url
 * @param {'GET' | 'POST'} method
 * @param {unknown} [body]
 * @returns {Promise<any>}
 */
async function call(url, method, body) {
  const response = await fetch(url, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${url} -> ${response.status}: ${text.slice(0, 200)}`);
  return text ? JSON.parse(text) : null;
}

/** MSISDN of the i-th seeded subscriber (13 digits, valid international format). */
export const seededMsisdn = (/** @type {number} */ i) => `43664${String(1_000_000 + i).padStart(8, '0')}`;

/**
 * @typedef {object} SeededSubscriber
 * @property {string} msisdn
 * @property {string} subscriberId
 * @property {string} subscriptionId
 */

/**
 * Creates `count` subscribers, each with one subscription to offer 1000, through the public API.
 * @param {string} url emulator base URL
 * @param {number} count
 * @returns {Promise<SeededSubscriber[]>}
 */
export async function seed(url, count) {
  /** @type {SeededSubscriber[]} */
  const out = [];
  for (let i = 0; i < count; i += 1) {
    const msisdn = seededMsisdn(i);
    const subscriber = await call(`${url}/subscribers`, 'POST', {
      msisdn,
      personalInfo: { firstName: 'Bench', lastName: `Subscriber${i}` },
    });
    const subscriberId = String(subscriber?.subscriberId ?? subscriber?.id ?? '');
    if (!subscriberId)
      throw new Error(`POST /subscribers returned no subscriberId: ${JSON.stringify(subscriber)}`);
    const subscription = await call(`${url}/subscribers/${subscriberId}/subscriptions`, 'POST', {
      offerId: '1000',
    });
    const subscriptionId = String(subscription?.subscriptionId ?? subscription?.id ?? '');
    if (!subscriptionId) {
      throw new Error(
        `POST /subscribers/{id}/subscriptions returned no subscriptionId: ${JSON.stringify(subscription)}`,
      );
    }
    out.push({ msisdn, subscriberId, subscriptionId });
  }
  return out;
}

/** The balance every write creates: small, valid, no dates (the emulator fills them in). */
export const BALANCE_BODY = { unitType: 'SECONDS', balanceAmount: 600, balanceAvailable: 600 };

/**
 * @typedef {object} EmulatorScenarioOptions
 * @property {string} root
 * @property {number} concurrency
 * @property {number} durationS
 * @property {number} warmupS
 * @property {number} subscribers how many to seed
 * @property {(line: string) => void} log
 */

/**
 * Reads (GET subscriber by id, lookup by MSISDN) and writes (POST balance) against the SQLite file store.
 * @param {EmulatorScenarioOptions} options
 */
export async function benchEmulator(options) {
  const emulator = await startEmulatorProcess(options.root);
  try {
    // Idle and peak RSS per phase (seeding, reads, lookups, writes), beside the peak over the whole scenario.
    const phases = rssByPhase({ emulator: emulator.service.pid });
    phases.idle();
    const rss = sampleRss(emulator.service.pid);
    const subscribers = await phases.measure('seeding', () => seed(emulator.url, options.subscribers));
    const basePath = new URL(emulator.url).pathname;
    let next = 0;
    const pick = () => {
      next = (next + 1) % subscribers.length;
      return /** @type {SeededSubscriber} */ (subscribers[next]);
    };
    const common = {
      url: emulator.url,
      connections: options.concurrency,
      durationS: options.durationS,
      warmupS: options.warmupS,
    };
    const read = await phases.measure(`GET /subscribers/{id} c=${options.concurrency}`, () =>
      runHttpLoad({
        ...common,
        nextRequest: () => ({ method: 'GET', path: `${basePath}/subscribers/${pick().subscriberId}` }),
      }),
    );
    options.log(`  emulator read   ${read.rps} req/s p50 ${read.p50_ms} ms p99 ${read.p99_ms} ms`);
    const lookup = await phases.measure(`GET /subscribers/lookup c=${options.concurrency}`, () =>
      runHttpLoad({
        ...common,
        nextRequest: () => ({
          method: 'GET',
          path: `${basePath}/subscribers/lookup?msisdn=${pick().msisdn}`,
        }),
      }),
    );
    options.log(`  emulator lookup ${lookup.rps} req/s p50 ${lookup.p50_ms} ms p99 ${lookup.p99_ms} ms`);
    const body = JSON.stringify(BALANCE_BODY);
    const write = await phases.measure(`POST /subscriptions/{id}/balances c=${options.concurrency}`, () =>
      runHttpLoad({
        ...common,
        nextRequest: () => ({
          method: 'POST',
          path: `${basePath}/subscriptions/${pick().subscriptionId}/balances`,
          body,
          headers: { 'content-type': 'application/json' },
        }),
      }),
    );
    options.log(`  emulator write  ${write.rps} req/s p50 ${write.p50_ms} ms p99 ${write.p99_ms} ms`);
    rss.stop();
    const pickResult = (
      /** @type {import('../load.mjs').HttpLoadResult} */ r,
      /** @type {string} */ request,
    ) => ({
      request,
      rps: r.rps,
      p50_ms: r.p50_ms,
      p90_ms: r.p90_ms,
      p99_ms: r.p99_ms,
      non2xx: r.non2xx,
      errors: r.errors,
    });
    return {
      emulator: {
        storage: 'SQLite file in a temporary directory (WAL journal), the default backend',
        seeded_subscribers: subscribers.length,
        concurrency: options.concurrency,
        reads_per_s: read.rps,
        writes_per_s: write.rps,
        read: pickResult(read, 'GET /subscribers/{id}'),
        lookup: pickResult(lookup, 'GET /subscribers/lookup?msisdn='),
        write: pickResult(write, 'POST /subscriptions/{id}/balances'),
      },
      phases: phases.rows(),
      footprint: {
        rss_peak_mb: round(rss.peak(), 1),
        rss_peak_file_mb: round(rss.peakFile(), 1),
        rss_after_load_mb: round(rssMb(emulator.service.pid), 1),
      },
    };
  } finally {
    await emulator.stop();
  }
}
