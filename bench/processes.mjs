// Child processes under test: spawn, wait until healthy, sample memory from /proc, stop.
// Every service is measured as its own process so its RSS and CPU are its own, not the harness's.

import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { serviceEnv } from './service-launch.mjs';
import { nowMs } from './stats.mjs';

/** @typedef {import('node:child_process').ChildProcess} ChildProcess */

/**
 * @typedef {object} Service
 * @property {ChildProcess} child
 * @property {number} pid
 * @property {string} name
 * @property {() => string} output last lines of stdout+stderr, for error messages
 * @property {() => Promise<void>} stop SIGTERM, then SIGKILL after a grace period
 */

/** Every service the harness started and has not stopped yet; stopAll() runs on exit paths. */
const running = new Set();

/** @returns {Promise<number>} a free TCP port on loopback */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Spawns `node <args>` (or any command) with a clean, explicit environment. One of our services' bins gets
 * the environment the container image gives it (bench/service-launch.mjs) unless `imageEnv` is false.
 * @param {string} name label used in errors
 * @param {string} command
 * @param {string[]} args
 * @param {{env?: Record<string, string>, cwd?: string, stdio?: 'pipe' | 'ignore', imageEnv?: boolean}} [options]
 * @returns {Service}
 */
export function spawnService(name, command, args, options = {}) {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      ...serviceEnv(args, options.env ?? {}, options.imageEnv),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  /** @type {string[]} */
  const tail = [];
  const keep = (/** @type {Buffer} */ chunk) => {
    tail.push(chunk.toString('utf8'));
    if (tail.length > 40) tail.shift();
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  /** @type {Service} */
  const service = {
    child,
    pid: child.pid ?? -1,
    name,
    output: () => tail.join('').slice(-4000),
    stop: () => stopChild(service),
  };
  running.add(service);
  return service;
}

/** @param {Service} service */
function stopChild(service) {
  running.delete(service);
  const { child } = service;
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return /** @type {Promise<void>} */ (
    new Promise((resolve) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      child.kill('SIGTERM');
    })
  );
}

/** Stops every service still running (used on errors and at the end of a run). */
export async function stopAll() {
  await Promise.all([...running].map((service) => service.stop()));
}

/**
 * Resolves with the first stdout line that parses as JSON (the fake upstream announces its port that way).
 * @param {Service} service
 * @param {number} [timeoutMs]
 * @returns {Promise<Record<string, unknown>>}
 */
export function firstJsonLine(service, timeoutMs = 10_000) {
  return new Promise((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(
      () => reject(new Error(`${service.name}: no JSON line within ${timeoutMs} ms\n${service.output()}`)),
      timeoutMs,
    );
    const onData = (/** @type {Buffer} */ chunk) => {
      buffered += chunk.toString('utf8');
      for (const line of buffered.split('\n')) {
        try {
          const parsed = JSON.parse(line);
          if (parsed && typeof parsed === 'object') {
            clearTimeout(timer);
            service.child.stdout?.off('data', onData);
            resolve(parsed);
            return;
          }
        } catch {
          // not JSON (yet): keep reading
        }
      }
    };
    service.child.stdout?.on('data', onData);
    service.child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${service.name} exited with ${code} before announcing itself\n${service.output()}`));
    });
  });
}

/**
 * Polls `url` until it answers 2xx; resolves with the time that took, measured from `startedAt`.
 * @param {string} url
 * @param {{service?: Service, startedAt?: number, timeoutMs?: number, intervalMs?: number}} [options]
 * @returns {Promise<number>} milliseconds from startedAt to the first 2xx
 */
export async function waitForHealthy(url, options = {}) {
  const startedAt = options.startedAt ?? nowMs();
  const deadline = startedAt + (options.timeoutMs ?? 20_000);
  const interval = options.intervalMs ?? 5;
  for (;;) {
    const child = options.service?.child;
    if (child && (child.exitCode !== null || child.signalCode !== null)) {
      throw new Error(
        `${options.service?.name} exited (${child.exitCode}) before ${url} was healthy\n${options.service?.output()}`,
      );
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
      await response.arrayBuffer();
      if (response.ok) return nowMs() - startedAt;
    } catch {
      // not listening yet
    }
    if (nowMs() > deadline) {
      throw new Error(
        `${url} not healthy within ${options.timeoutMs ?? 20_000} ms\n${options.service?.output() ?? ''}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}

/**
 * Resident memory of a process in MiB, from /proc/<pid>/status: VmRSS, and RssFile, the part of it that is
 * file-backed pages (the node binary's code and read-only data, shared by every node process on the machine
 * and reclaimable); NaN off Linux or after exit.
 * @param {number} pid
 */
function residentMb(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const field = (/** @type {string} */ name) => {
      const match = new RegExp(`^${name}:\\s+(\\d+)\\s+kB`, 'm').exec(status);
      return match ? Number(match[1]) / 1024 : Number.NaN;
    };
    return { rss: field('VmRSS'), file: field('RssFile') };
  } catch {
    return { rss: Number.NaN, file: Number.NaN };
  }
}

/**
 * Resident set size of a process in MiB, from /proc/<pid>/status (VmRSS); NaN off Linux or after exit.
 * @param {number} pid
 */
export function rssMb(pid) {
  return residentMb(pid).rss;
}

/**
 * CPU time (user + system) a process has used so far, in milliseconds, from /proc/<pid>/stat.
 * @param {number} pid
 */
export function cpuTimeMs(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15 (1-based).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return (ticks / 100) * 1000; // USER_HZ is 100 on Linux
  } catch {
    return Number.NaN;
  }
}

/**
 * Samples a process's RSS every `intervalMs` until stopped; reports the peak, and how much of the peak
 * sample was file-backed (see residentMb).
 * @param {number} pid
 * @param {number} [intervalMs]
 */
export function sampleRss(pid, intervalMs = 100) {
  let peak = residentMb(pid);
  const sample = () => {
    const value = residentMb(pid);
    if (Number.isFinite(value.rss) && !(value.rss <= peak.rss)) peak = value;
  };
  const timer = setInterval(sample, intervalMs);
  timer.unref();
  return {
    /** @returns {number} peak RSS in MiB seen so far */
    peak: () => {
      sample();
      return peak.rss;
    },
    /** @returns {number} file-backed MiB of the peak sample */
    peakFile: () => peak.file,
    stop: () => clearInterval(timer),
  };
}

/**
 * CPU time of a process and its direct children (a cluster primary and its workers), in milliseconds.
 * @param {number} pid
 */
export function treeCpuTimeMs(pid) {
  let total = cpuTimeMs(pid);
  try {
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter(Boolean);
    for (const child of children) total += cpuTimeMs(Number(child));
  } catch {
    // no /proc children list: the process alone
  }
  return total;
}

/**
 * @typedef {object} PhaseRss
 * @property {string} service
 * @property {string} phase what load the service was under
 * @property {number} rss_start_mb RSS when the phase (its first window) began
 * @property {number} rss_peak_mb highest sample during the phase (all its windows)
 * @property {number} rss_peak_file_mb file-backed part of that sample
 */

/**
 * Idle and peak RSS per phase of a load scenario, for each process under test: `idle()` records each
 * process as it stands before any load, `measure(phase, body)` samples every process while `body` runs.
 * A phase measured several times (rounds) keeps its first start and its highest peak.
 * @param {Record<string, number>} pids service name -> pid
 * @param {number} [intervalMs]
 */
export function rssByPhase(pids, intervalMs = 100) {
  /** @type {Map<string, PhaseRss>} */
  const rows = new Map();
  /** @param {string} service @param {string} phase @param {{rss: number, file: number}} start @param {number} peak @param {number} peakFile */
  const record = (service, phase, start, peak, peakFile) => {
    const key = `${service}\u0000${phase}`;
    const row = rows.get(key);
    if (!row) {
      rows.set(key, {
        service,
        phase,
        rss_start_mb: round1(start.rss),
        rss_peak_mb: round1(peak),
        rss_peak_file_mb: round1(peakFile),
      });
    } else if (peak > row.rss_peak_mb) {
      row.rss_peak_mb = round1(peak);
      row.rss_peak_file_mb = round1(peakFile);
    }
  };
  return {
    /** Records every process's RSS now as its `idle` row. */
    idle() {
      for (const [service, pid] of Object.entries(pids)) {
        const now = residentMb(pid);
        record(service, 'idle', now, now.rss, now.file);
      }
    },
    /**
     * @template T
     * @param {string} phase
     * @param {() => Promise<T>} body
     * @param {string[]} [services] the processes this phase loads (default: all)
     * @returns {Promise<T>}
     */
    async measure(phase, body, services) {
      const loaded = Object.entries(pids).filter(([service]) => !services || services.includes(service));
      const watched = loaded.map(([service, pid]) => ({
        service,
        start: residentMb(pid),
        sampler: sampleRss(pid, intervalMs),
      }));
      try {
        return await body();
      } finally {
        for (const { service, start, sampler } of watched) {
          const peak = sampler.peak();
          sampler.stop();
          record(service, phase, start, peak, sampler.peakFile());
        }
      }
    },
    /** @returns {PhaseRss[]} grouped by service, each in the order its phases first ran */
    rows: () => {
      const all = [...rows.values()];
      return Object.keys(pids).flatMap((service) => all.filter((row) => row.service === service));
    },
  };
}

/** @param {number} value */
const round1 = (value) => (Number.isFinite(value) ? Math.round(value * 10) / 10 : Number.NaN);
