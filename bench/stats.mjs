// Small, dependency-free statistics for latency samples. Percentiles use linear interpolation between
// closest ranks (the same definition as numpy's default), so a handful of samples still gives a stable value.

/**
 * @param {number[]} sorted ascending
 * @param {number} p percentile, 0..100
 * @returns {number}
 */
export function percentileOfSorted(sorted, p) {
  if (sorted.length === 0) return Number.NaN;
  if (p <= 0) return sorted[0] ?? Number.NaN;
  if (p >= 100) return sorted[sorted.length - 1] ?? Number.NaN;
  const rank = (p / 100) * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  const lowValue = sorted[low] ?? Number.NaN;
  const highValue = sorted[high] ?? Number.NaN;
  return lowValue + (highValue - lowValue) * (rank - low);
}

/**
 * @param {number[]} samples
 * @param {number} p percentile, 0..100
 */
export function percentile(samples, p) {
  return percentileOfSorted(
    [...samples].sort((a, b) => a - b),
    p,
  );
}

/** @param {number[]} samples */
export function median(samples) {
  return percentile(samples, 50);
}

/**
 * @typedef {object} LatencySummary
 * @property {number} count
 * @property {number} mean_ms
 * @property {number} min_ms
 * @property {number} p50_ms
 * @property {number} p90_ms
 * @property {number} p99_ms
 * @property {number} max_ms
 */

/**
 * Summarises latency samples in milliseconds, rounded to 3 decimals (microseconds).
 * @param {number[]} samples
 * @returns {LatencySummary}
 */
export function summarize(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const sum = sorted.reduce((total, value) => total + value, 0);
  return {
    count: sorted.length,
    mean_ms: round(sorted.length === 0 ? Number.NaN : sum / sorted.length),
    min_ms: round(sorted[0] ?? Number.NaN),
    p50_ms: round(percentileOfSorted(sorted, 50)),
    p90_ms: round(percentileOfSorted(sorted, 90)),
    p99_ms: round(percentileOfSorted(sorted, 99)),
    max_ms: round(sorted[sorted.length - 1] ?? Number.NaN),
  };
}

/**
 * Rounds for reporting; NaN and infinities become null in JSON anyway, keep them as NaN here.
 * @param {number} value
 * @param {number} [digits]
 */
export function round(value, digits = 3) {
  if (!Number.isFinite(value)) return value;
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/**
 * value / baseline, or NaN when the baseline is missing or zero (a ratio against nothing means nothing).
 * @param {number | undefined | null} value
 * @param {number | undefined | null} baseline
 */
export function ratio(value, baseline) {
  if (value === undefined || value === null || baseline === undefined || baseline === null) return Number.NaN;
  if (!Number.isFinite(value) || !Number.isFinite(baseline) || baseline === 0) return Number.NaN;
  return round(value / baseline, 3);
}

/**
 * value - baseline (added latency), NaN when either is missing.
 * @param {number | undefined | null} value
 * @param {number | undefined | null} baseline
 */
export function added(value, baseline) {
  if (value === undefined || value === null || baseline === undefined || baseline === null) return Number.NaN;
  if (!Number.isFinite(value) || !Number.isFinite(baseline)) return Number.NaN;
  return round(value - baseline, 3);
}

/** High-resolution monotonic clock in milliseconds. */
export function nowMs() {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** Calls in a row per path in the one-at-a-time loops (load.mjs `interleavedBlocks`): long enough to keep a server warm, short enough for drift. */
export const SEQUENTIAL_BLOCK = 25;
