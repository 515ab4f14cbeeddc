// How the container image launches every service, so that the bench measures them launched the same way.
// The Dockerfile's runtime stage sets the same variables; bench/test/service-launch.test.ts fails when the
// two drift apart.

/**
 * glibc malloc thresholds fixed at their defaults, which turns off glibc's dynamic threshold: without it,
 * the first large block freed raises the trim threshold (up to 64 MB), and the arenas that V8's compiler
 * threads allocate from keep what they freed. Router at 200 connections, five rounds alternated with the
 * launch without them in one run: peak RSS 137.6 -> 130.6 MB, requests/s and CPU per request within the
 * rounds' spread (docs/benchmarks.md, "Where the memory goes"). Only the environment of a starting process
 * reaches the allocator: the bins cannot set this for themselves, so the image does.
 */
export const IMAGE_ENV = Object.freeze({
  MALLOC_MMAP_THRESHOLD_: '131072',
  MALLOC_TRIM_THRESHOLD_: '131072',
});

/** A service's own bin (`packages/<name>/dist/bin.js`): what the image starts with IMAGE_ENV. */
const SERVICE_BIN = /(?:^|[\\/])packages[\\/](?:router|emulator|mcp-server)[\\/]dist[\\/]bin\.js$/;

/**
 * The environment a child gets: IMAGE_ENV under `env` when its arguments start one of our services' bins,
 * `env` alone otherwise (the fake upstream, Portkey, `node -e 0`) or when `imageEnv` is false.
 * @param {string[]} args
 * @param {Record<string, string>} env
 * @param {boolean} [imageEnv]
 * @returns {Record<string, string>}
 */
export function serviceEnv(args, env, imageEnv = true) {
  return imageEnv && args.some((arg) => SERVICE_BIN.test(arg)) ? { ...IMAGE_ENV, ...env } : { ...env };
}
