/** Exponential backoff with full jitter (AWS architecture blog): uniform in [0, min(cap, base * 2^n)). */
export function fullJitterDelay(retry: number, baseMs: number, capMs: number, random = Math.random): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** retry);
  return Math.floor(random() * ceiling);
}

/** The wait before retry `retry` (0-based): never shorter than what the upstream asked for. */
export function retryDelay(
  retry: number,
  options: { baseMs: number; capMs: number; retryAfterMs?: number; random?: () => number },
): number {
  const jitter = fullJitterDelay(retry, options.baseMs, options.capMs, options.random);
  return options.retryAfterMs === undefined ? jitter : Math.max(options.retryAfterMs, jitter);
}

/** Resolves after `ms`, or rejects at once with `onAbort()` when the signal fires. */
export function abortableSleep(
  ms: number,
  signal: AbortSignal | undefined,
  onAbort: () => Error,
): Promise<void> {
  if (signal?.aborted) return Promise.reject(onAbort());
  return new Promise((resolve, reject) => {
    const aborted = () => {
      clearTimeout(timer);
      reject(onAbort());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', aborted);
      resolve();
    }, ms);
    signal?.addEventListener('abort', aborted, { once: true });
  });
}
