import { beforeAll, describe, expect, it } from 'vitest';
import { boundYoungGeneration } from '../src/young-generation.js';
import { buildTelemetry, builtModule, inFreshNode } from './support/fresh-node.js';

/**
 * The bound is process-wide V8 state, so each case runs in a node of its own on the built module, under
 * the same load: tasks (as a service's requests are) that keep the last 20,000 objects they made alive, so
 * that every scavenge sees survivors and V8 grows the young generation as it does under calls in flight.
 * Each task makes 5,000 of them (~0.6 MB): small beside a bounded young generation, as one request is. The
 * bound sees a GC a turn or two of the event loop after it; with tasks of 20,000 objects the survivors of
 * those turns alone could pass the next growth's threshold, and the 4 MB case grew one step past its bound
 * on a loaded machine (the limit young-generation.ts states).
 */

const BUILT = builtModule('young-generation.js');
const MiB = 1024 * 1024;

interface Run {
  largestMiB: number;
  lastMiB: number;
  made: number;
}

/** Runs the load in a fresh node with `setup` first; the process ends by itself (nothing keeps it alive). */
function underLoad(setup: string): Run {
  const script = `
    import { boundYoungGeneration, youngGenerationBytes } from ${JSON.stringify(BUILT)};
    ${setup}
    const kept = new Array(20_000);
    let made = 0;
    let largest = 0;
    let task = 0;
    const oneTask = () => {
      for (let k = 0; k < 5_000; k++, made++) kept[made % kept.length] = { made, text: 'call ' + made, list: [made, made + 1] };
      largest = Math.max(largest, youngGenerationBytes());
      if (++task < 1_000) setImmediate(oneTask);
      else process.stdout.write(JSON.stringify({ largestMiB: largest / ${MiB}, lastMiB: youngGenerationBytes() / ${MiB}, made }));
    };
    setImmediate(oneTask);
  `;
  return inFreshNode<Run>(script);
}

beforeAll(buildTelemetry, 60_000);

describe('boundYoungGeneration', () => {
  it('the load grows an unbounded young generation past both bounds (to V8 maximum, 32 MB on 64-bit)', () => {
    const run = underLoad('');
    expect(run.made).toBe(5_000_000);
    expect(run.largestMiB).toBeGreaterThan(16);
  });

  it.each([4, 8])('holds the young generation at two semi-spaces of %i MB under the same load', (mib) => {
    const run = underLoad(`boundYoungGeneration(${mib});`);
    expect(run.made).toBe(5_000_000);
    // It grows up to the bound (the bound is not a freeze at the initial size) and never past it.
    expect(run.largestMiB).toBe(2 * mib);
    expect(run.lastMiB).toBe(2 * mib);
  });

  it('bounds by observing GCs: stopped before the first one, it leaves V8 growth as it was', () => {
    const run = underLoad('boundYoungGeneration(4)();');
    expect(run.largestMiB).toBeGreaterThan(16);
  });

  it('refuses a size V8 cannot have, naming it', () => {
    expect(() => boundYoungGeneration(6)).toThrow(/power of two.*not 6/);
    expect(() => boundYoungGeneration(0.5)).toThrow(/not 0.5/);
  });
});
