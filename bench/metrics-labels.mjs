// The router's per-request metric writes, two ways, alternated in one process: prom-client's
// observe(labels, v) / inc(labels) with a label object each time (prom-client validates and hashes
// the labels on every call), against children bound once by labels(...) and cached by their values.
//
//   node bench/metrics-labels.mjs [--rounds=8] [--calls=200000]
//
// Prints ns per request (one counter inc, one duration observe, one overhead observe, as the edge
// middleware of packages/router/src/http/app.ts makes them) for each variant and round, and the
// median ratio. CPU-bound and in one process, so it is far less sensitive to machine load than a
// wire benchmark; each round alternates which variant runs first.
import { Counter, Histogram, Registry } from 'prom-client';
import { median } from './stats.mjs';

const arg = (/** @type {string} */ name, /** @type {number} */ fallback) =>
  Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const rounds = arg('rounds', 8);
const calls = arg('calls', 200_000);
const SECONDS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25];
const UPSTREAM = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];
// The routes and statuses of a benchmark's mix: a handful of label sets, as in production.
const MIX = [
  ['/v1/chat/completions', 'POST', '200'],
  ['/v1/chat/completions', 'POST', '200'],
  ['/v1/chat/completions', 'POST', '200'],
  ['/ask', 'POST', '200'],
  ['/health', 'GET', '200'],
  ['/v1/chat/completions', 'POST', '422'],
];

function metrics() {
  const registry = new Registry();
  const labelNames = ['route', 'method', 'status'];
  return {
    registry,
    requests: new Counter({ name: 'r_total', help: 'r', labelNames, registers: [registry] }),
    duration: new Histogram({ name: 'd', help: 'd', labelNames, buckets: UPSTREAM, registers: [registry] }),
    overhead: new Histogram({
      name: 'o',
      help: 'o',
      labelNames: ['route'],
      buckets: SECONDS,
      registers: [registry],
    }),
  };
}

/** @typedef {(route: string, method: string, status: string, s: number) => void} Record */

/** @returns {Record} */
function perCall() {
  const m = metrics();
  return (route, method, status, s) => {
    const labels = { route, method, status };
    m.requests.inc(labels);
    m.duration.observe(labels, s);
    m.overhead.observe({ route }, s / 10);
  };
}

/** @returns {Record} */
function cached() {
  const m = metrics();
  const byLabels = new Map();
  const byRoute = new Map();
  return (route, method, status, s) => {
    const key = `${route} ${method} ${status}`;
    let bound = byLabels.get(key);
    if (!bound) {
      bound = {
        requests: m.requests.labels(route, method, status),
        duration: m.duration.labels(route, method, status),
      };
      byLabels.set(key, bound);
    }
    bound.requests.inc();
    bound.duration.observe(s);
    let overhead = byRoute.get(route);
    if (!overhead) {
      overhead = m.overhead.labels(route);
      byRoute.set(route, overhead);
    }
    overhead.observe(s / 10);
  };
}

/** @param {Record} record */
function run(record) {
  const started = process.hrtime.bigint();
  for (let i = 0; i < calls; i += 1) {
    const [route, method, status] = MIX[i % MIX.length] ?? [];
    record(route ?? '', method ?? '', status ?? '', (i % 1000) / 10_000);
  }
  return Number(process.hrtime.bigint() - started) / calls;
}

/** @type {[string, Record][]} */
const variants = [
  ['observe(labels)', perCall()],
  ['cached children', cached()],
];
// Warm both (JIT) before the measured rounds.
for (const [, record] of variants) run(record);
/** @type {number[][]} */
const results = variants.map(() => []);
for (let round = 0; round < rounds; round += 1) {
  const order = round % 2 === 0 ? [0, 1] : [1, 0];
  for (const i of order) results[i]?.push(run(/** @type {[string, Record]} */ (variants[i])[1]));
}
for (const [i, [name]] of variants.entries()) {
  const ns = results[i] ?? [];
  console.log(
    `${name.padEnd(16)} ns/request median ${median(ns).toFixed(0)}  rounds ${ns.map((v) => v.toFixed(0)).join(' ')}`,
  );
}
console.log(`cached / per-call: ${(median(results[1] ?? []) / median(results[0] ?? [])).toFixed(3)}`);
