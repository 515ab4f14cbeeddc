import { performance } from 'node:perf_hooks';

/**
 * Times one request: total wall time and the part spent waiting on the upstream provider, so the
 * router's own overhead is `elapsed - upstream`.
 */
export class RequestClock {
  readonly start = performance.now();
  upstreamMs = 0;

  elapsedMs(): number {
    return performance.now() - this.start;
  }

  overheadMs(): number {
    return Math.max(0, this.elapsedMs() - this.upstreamMs);
  }

  async timeUpstream<T>(work: Promise<T>): Promise<T> {
    const begun = performance.now();
    try {
      return await work;
    } finally {
      this.upstreamMs += performance.now() - begun;
    }
  }

  /** Re-yields an upstream stream, counting only the time spent waiting for its next item. */
  async *timeStream<T>(source: AsyncIterable<T>): AsyncGenerator<T, void, undefined> {
    const iterator = source[Symbol.asyncIterator]();
    try {
      while (true) {
        const step = await this.timeUpstream(iterator.next());
        if (step.done) return;
        yield step.value;
      }
    } finally {
      await iterator.return?.();
    }
  }
}

/** Milliseconds rounded to microseconds, for headers and bodies. */
export const roundMs = (ms: number) => Math.round(ms * 1000) / 1000;
