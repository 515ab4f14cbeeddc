// Load generators: autocannon for closed-loop HTTP throughput, and a small fetch loop for streams
// (autocannon only sees whole responses, so time to first token needs our own client).

import autocannon from 'autocannon';
import { Agent, request } from 'undici';
import { nowMs, round, SEQUENTIAL_BLOCK, summarize } from './stats.mjs';

/**
 * The parts of autocannon's result object this harness reads (autocannon ships no type definitions).
 * @typedef {object} AutocannonResult
 * @property {number} duration seconds actually run
 * @property {number} non2xx
 * @property {number} errors
 * @property {number} timeouts
 */

/**
 * @typedef {object} HttpLoadInput
 * @property {string} url
 * @property {'GET' | 'POST'} [method]
 * @property {Record<string, string>} [headers]
 * @property {string} [body]
 * @property {number} connections concurrency: requests in flight at any time (closed loop)
 * @property {number} durationS measured seconds
 * @property {number} [warmupS] unmeasured seconds run first (JIT, connection pools, caches)
 * @property {(() => {method?: string, path?: string, body?: string, headers?: Record<string, string>})} [nextRequest]
 *   per-request override (e.g. a different MSISDN each time); path is relative to url's origin
 */

/**
 * @typedef {object} HttpLoadResult
 * @property {number} rps 2xx responses per second over the measured window
 * @property {number} requests 2xx responses in the measured window
 * @property {number} non2xx
 * @property {number} errors connection errors and timeouts
 * @property {number} p50_ms
 * @property {number} p90_ms
 * @property {number} p99_ms
 * @property {number} mean_ms
 * @property {number} max_ms
 * @property {number} duration_s
 * @property {number[]} samples every 2xx response time in ms (for merging rounds; not for the JSON)
 */

/**
 * One autocannon run. Latency percentiles come from the per-response times autocannon emits (float ms):
 * its own histogram has a 1 ms floor, which would hide sub-millisecond overheads.
 * @param {HttpLoadInput} input
 * @returns {Promise<HttpLoadResult>}
 */
export async function runHttpLoad(input) {
  if (input.warmupS && input.warmupS > 0) {
    await autocannonOnce({ ...input, durationS: input.warmupS }, () => {});
  }
  /** @type {number[]} */
  const latencies = [];
  const result = await autocannonOnce(input, (statusCode, responseTime) => {
    if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
  });
  const seconds = result.duration;
  const summary = summarize(latencies);
  return {
    rps: round(latencies.length / seconds, 1),
    requests: latencies.length,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    p50_ms: summary.p50_ms,
    p90_ms: summary.p90_ms,
    p99_ms: summary.p99_ms,
    mean_ms: summary.mean_ms,
    max_ms: summary.max_ms,
    duration_s: round(seconds, 3),
    samples: latencies,
  };
}

/**
 * @param {HttpLoadInput} input
 * @param {(statusCode: number, responseTime: number) => void} onResponse
 * @returns {Promise<AutocannonResult>}
 */
function autocannonOnce(input, onResponse) {
  /** @type {Record<string, unknown>} */
  const options = {
    url: input.url,
    method: input.method ?? 'GET',
    headers: input.headers ?? {},
    connections: input.connections,
    duration: input.durationS,
    pipelining: 1,
    timeout: 10,
  };
  if (input.body !== undefined) options.body = input.body;
  if (input.nextRequest) {
    const next = input.nextRequest;
    options.requests = [
      {
        setupRequest: (/** @type {{headers?: Record<string, string>}} */ request) => {
          const override = next();
          return { ...request, ...override, headers: { ...request.headers, ...override.headers } };
        },
      },
    ];
  }
  return new Promise((resolve, reject) => {
    const instance = autocannon(options, (error, result) => {
      if (error) reject(error);
      else resolve(/** @type {AutocannonResult} */ (result));
    });
    instance.on('response', (_client, statusCode, _bytes, responseTime) =>
      onResponse(statusCode, responseTime),
    );
  });
}

/**
 * @typedef {object} StreamLoadInput
 * @property {string} url
 * @property {Record<string, string>} headers
 * @property {string} body
 * @property {number} concurrency
 * @property {number} durationS
 * @property {number} [warmupS]
 * @property {(text: string) => boolean} [isFirstToken] true when the bytes so far contain the first content
 *   token (default: the first body bytes count)
 */

/**
 * @typedef {object} StreamLoadResult
 * @property {number} rps completed streams per second
 * @property {number} streams
 * @property {number} failures
 * @property {number} ttft_p50_ms
 * @property {number} ttft_p90_ms
 * @property {number} ttft_p99_ms
 * @property {number} p50_ms time to last byte (whole stream)
 * @property {number} p90_ms
 * @property {number} p99_ms
 * @property {number} duration_s
 */

/**
 * Closed-loop streaming client: `concurrency` workers each POST, read the body incrementally, record the time
 * to the first content token and to the end of the stream, then immediately start the next request.
 * @param {StreamLoadInput} input
 * @returns {Promise<StreamLoadResult>}
 */
export async function runStreamLoad(input) {
  const dispatcher = new Agent({ connections: input.concurrency + 4, keepAliveTimeout: 30_000 });
  try {
    if (input.warmupS && input.warmupS > 0) await streamLoop(input, dispatcher, input.warmupS);
    return await streamLoop(input, dispatcher, input.durationS);
  } finally {
    await dispatcher.close();
  }
}

/**
 * @param {StreamLoadInput} input
 * @param {Agent} dispatcher
 * @param {number} durationS
 * @returns {Promise<StreamLoadResult>}
 */
async function streamLoop(input, dispatcher, durationS) {
  const isFirstToken = input.isFirstToken ?? (() => true);
  /** @type {number[]} */
  const ttft = [];
  /** @type {number[]} */
  const total = [];
  let failures = 0;
  const started = nowMs();
  const endAt = started + durationS * 1000;
  const decoder = new TextDecoder();

  const worker = async () => {
    while (nowMs() < endAt) {
      const t0 = nowMs();
      let first = Number.NaN;
      try {
        const response = await request(input.url, {
          method: 'POST',
          headers: input.headers,
          body: input.body,
          dispatcher,
          headersTimeout: 15_000,
          bodyTimeout: 15_000,
        });
        if (response.statusCode < 200 || response.statusCode >= 300) {
          await response.body.dump();
          failures += 1;
          continue;
        }
        let seen = '';
        for await (const part of response.body) {
          if (Number.isNaN(first)) {
            seen += decoder.decode(part, { stream: true });
            if (isFirstToken(seen)) first = nowMs() - t0;
          }
        }
        const end = nowMs() - t0;
        if (Number.isNaN(first)) {
          failures += 1;
          continue;
        }
        ttft.push(first);
        total.push(end);
      } catch {
        failures += 1;
      }
    }
  };
  await Promise.all(Array.from({ length: input.concurrency }, worker));
  const seconds = (nowMs() - started) / 1000;
  const firstSummary = summarize(ttft);
  const totalSummary = summarize(total);
  return {
    rps: round(total.length / seconds, 1),
    streams: total.length,
    failures,
    ttft_p50_ms: firstSummary.p50_ms,
    ttft_p90_ms: firstSummary.p90_ms,
    ttft_p99_ms: firstSummary.p99_ms,
    p50_ms: totalSummary.p50_ms,
    p90_ms: totalSummary.p90_ms,
    p99_ms: totalSummary.p99_ms,
    duration_s: round(seconds, 3),
  };
}

/**
 * Runs `call` back to back `iterations` times (after `warmup` unmeasured calls) and summarises the latency.
 * @param {() => Promise<unknown>} call
 * @param {{iterations: number, warmup?: number}} options
 */
export async function sequentialLatency(call, options) {
  for (let i = 0; i < (options.warmup ?? 0); i += 1) await call();
  /** @type {number[]} */
  const samples = [];
  for (let i = 0; i < options.iterations; i += 1) {
    const t0 = nowMs();
    await call();
    samples.push(nowMs() - t0);
  }
  return summarize(samples);
}

/**
 * One call at a time, the paths taking turns in blocks of `block` calls in a row (the order reversed every
 * other round), until each path has made `iterations` calls. Back to back, each server stays as warm as it is
 * for one client calling it one call after another (what autocannon -c 1 measures, and how published
 * one-at-a-time figures are taken); the rounds still spread background load and drift over every path alike.
 * Taking turns call by call instead leaves every server idle while all the others run, so each call meets cold
 * caches: on the 2-core bench machine, with three processes in turn, that added about a fifth to every path's
 * p50, direct REST included. A call that throws is passed to `onError` and not sampled.
 * @template {string} K
 * @param {Array<[K, (i: number) => Promise<unknown>]>} paths
 * @param {{iterations: number, block?: number, onError?: (path: K, error: unknown) => void}} options
 * @returns {Promise<Map<K, number[]>>} each path's latencies (ms), in call order
 */
export async function interleavedBlocks(paths, options) {
  const block = Math.max(1, options.block ?? SEQUENTIAL_BLOCK);
  /** @type {Map<K, number[]>} */
  const samples = new Map(paths.map(([name]) => [name, []]));
  /** @type {Map<K, number>} */
  const made = new Map(paths.map(([name]) => [name, 0]));
  for (
    let roundIndex = 0;
    paths.some(([name]) => (made.get(name) ?? 0) < options.iterations);
    roundIndex += 1
  ) {
    const order = roundIndex % 2 === 0 ? paths : [...paths].reverse();
    for (const [name, call] of order) {
      const start = made.get(name) ?? 0;
      const end = Math.min(options.iterations, start + block);
      for (let i = start; i < end; i += 1) {
        const t0 = nowMs();
        try {
          await call(i);
          samples.get(name)?.push(nowMs() - t0);
        } catch (error) {
          options.onError?.(name, error);
        }
      }
      made.set(name, end);
    }
  }
  return samples;
}

/**
 * Closed loop of `concurrency` workers calling `call` for `durationS` seconds: each call's latency (ms) and how
 * many calls completed and failed in how many seconds.
 * @param {() => Promise<unknown>} call
 * @param {{concurrency: number, durationS: number}} options
 */
async function closedLoop(call, options) {
  let completed = 0;
  let failures = 0;
  /** @type {number[]} */
  const samples = [];
  const started = nowMs();
  const endAt = started + options.durationS * 1000;
  const worker = async () => {
    while (nowMs() < endAt) {
      const t0 = nowMs();
      try {
        await call();
        samples.push(nowMs() - t0);
        completed += 1;
      } catch {
        failures += 1;
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  return { completed, failures, seconds: (nowMs() - started) / 1000, samples };
}

/**
 * @typedef {object} ThroughputResult
 * @property {number} calls_per_s completed calls per second of the loop's own time
 * @property {number} completed
 * @property {number} failures
 * @property {number} duration_s
 * @property {import('./stats.mjs').LatencySummary} latency of the completed calls
 */

/**
 * @param {{completed: number, failures: number, seconds: number, samples: number[]}} loop
 * @returns {ThroughputResult}
 */
function throughputOf(loop) {
  return {
    calls_per_s: round(loop.completed / loop.seconds, 1),
    completed: loop.completed,
    failures: loop.failures,
    duration_s: round(loop.seconds, 3),
    latency: summarize(loop.samples),
  };
}

/**
 * Closed loop of `concurrency` workers calling `call` for `durationS` seconds; returns completed calls/s and
 * the latency of the completed calls.
 * @param {() => Promise<unknown>} call
 * @param {{concurrency: number, durationS: number}} options
 * @returns {Promise<ThroughputResult>}
 */
export async function concurrentThroughput(call, options) {
  return throughputOf(await closedLoop(call, options));
}

/**
 * Closed loops for several paths at one concurrency, the paths taking turns in `rounds` rounds of
 * `durationS / rounds` seconds each, the order reversed every other round; each path's rounds are merged (calls/s
 * over its own measured seconds, latency over all its calls). One loop per path in a fixed order lets whatever
 * else the machine does in that stretch land on one path only, which skews exactly the ratios the bench reports
 * (calls/s against direct REST, added p50); in turns, the drift lands on every path alike, as
 * {@link interleavedBlocks} does one call at a time. `around` wraps each round of a path (e.g. to read the
 * server's CPU time before and after it, or to sample its memory as a phase).
 * @template {string} K
 * @param {Array<[K, () => Promise<unknown>]>} paths
 * @param {{concurrency: number, durationS: number, rounds?: number,
 *   around?: (path: K, round: () => Promise<void>) => Promise<void>}} options
 * @returns {Promise<Map<K, ThroughputResult>>}
 */
export async function interleavedThroughput(paths, options) {
  const rounds = Math.max(1, Math.floor(options.rounds ?? 1));
  const durationS = options.durationS / rounds;
  /** @type {Map<K, {completed: number, failures: number, seconds: number, samples: number[]}>} */
  const merged = new Map(
    paths.map(([name]) => [name, { completed: 0, failures: 0, seconds: 0, samples: [] }]),
  );
  for (let roundIndex = 0; roundIndex < rounds; roundIndex += 1) {
    const order = roundIndex % 2 === 0 ? paths : [...paths].reverse();
    for (const [name, call] of order) {
      const total = merged.get(name);
      if (!total) continue;
      const run = async () => {
        const loop = await closedLoop(call, { concurrency: options.concurrency, durationS });
        total.completed += loop.completed;
        total.failures += loop.failures;
        total.seconds += loop.seconds;
        for (const ms of loop.samples) total.samples.push(ms);
      };
      if (options.around) await options.around(name, run);
      else await run();
    }
  }
  return new Map([...merged].map(([name, loop]) => [name, throughputOf(loop)]));
}
