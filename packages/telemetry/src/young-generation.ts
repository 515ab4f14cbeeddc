import { PerformanceObserver } from 'node:perf_hooks';
import v8 from 'node:v8';

const MiB = 1024 * 1024;

/** The young generation's size: V8's `new_space` counts both semi-spaces. */
export function youngGenerationBytes(): number {
  for (const space of v8.getHeapSpaceStatistics())
    if (space.space_name === 'new_space') return space.space_size;
  return 0;
}

/**
 * Caps the young generation at two semi-spaces of `semiSpaceMiB` (a power of two, as V8 sizes them), from
 * inside the process.
 *
 * V8 sizes a semi-space from 1 MB and doubles it, up to 16 MB, whenever more than its size survived
 * scavenges since the last growth; it shrinks it again only when allocation nearly stops. A service with
 * calls in flight keeps their objects alive across scavenges, so under load its young generation reaches
 * the 32 MB maximum and stays there, while what survives is garbage a little later. The maximum
 * (`--max-semi-space-size`) is read once, when the heap is created, which a bin is too late for: only the
 * launch command can set it, and a service is launched by npx, an MCP client's configuration, the image or
 * the bench. The growth factor (`--semi-space-growth-factor`) is read at every growth
 * (`new = min(max, factor x current)`), so after each GC this sets it to 1 when the next doubling would
 * pass the cap and back to 2 once V8 has shrunk the young generation below it. The flag is process-wide:
 * one bound per process.
 *
 * A GC is reported after it, between two tasks: a single task that survives more than the cap several times
 * over can grow the young generation one step past it before the bound sees it, and then V8 keeps it until
 * it shrinks it. Each bin calls this first thing, before it loads anything; from then on every task is one
 * request or message.
 *
 * Returns a function that stops observing (the factor stays as it is).
 */
export function boundYoungGeneration(semiSpaceMiB: number): () => void {
  if (!Number.isInteger(Math.log2(semiSpaceMiB)) || semiSpaceMiB < 1) {
    throw new RangeError(`semiSpaceMiB must be a power of two of at least 1, not ${semiSpaceMiB}`);
  }
  const cap = 2 * semiSpaceMiB * MiB;
  let frozen = false;
  const check = (): void => {
    const freeze = 2 * youngGenerationBytes() > cap;
    if (freeze === frozen) return;
    frozen = freeze;
    v8.setFlagsFromString(`--semi-space-growth-factor=${freeze ? 1 : 2}`);
  };
  check();
  // A 'gc' entry is delivered from an unref'd immediate: observing keeps no process alive.
  const observer = new PerformanceObserver(check);
  observer.observe({ entryTypes: ['gc'] });
  return () => observer.disconnect();
}
