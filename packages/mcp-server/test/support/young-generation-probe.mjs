// Preloaded into the spawned bin (NODE_OPTIONS=--import=<this file>): on SIGUSR2 it writes to stderr the
// largest young generation (V8's new_space, both semi-spaces) seen after any GC so far, as
// `young-generation-largest=<bytes>`.
import { PerformanceObserver } from 'node:perf_hooks';
import v8 from 'node:v8';

const youngGeneration = () =>
  v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.space_size ?? 0;
let largest = youngGeneration();
new PerformanceObserver(() => {
  largest = Math.max(largest, youngGeneration());
}).observe({ entryTypes: ['gc'] });
process.on('SIGUSR2', () =>
  process.stderr.write(`young-generation-largest=${Math.max(largest, youngGeneration())}\n`),
);
