// The command line of the paired launch scripts (ab-launch.mjs, ab-launch-emulator.mjs):
// `[--name=value ...] -- 'A' 'B' ['C' ...]`, each launch a space-separated list of node flags
// (--max-semi-space-size=8), environment settings (MALLOC_ARENA_MAX=2) and the word --bare (the launch
// without the container image's environment, bench/service-launch.mjs).

/**
 * The options before `--` and the launches after it; exits with `usage` when fewer than two launches are given.
 * @param {string[]} argv process.argv.slice(2)
 * @param {string} usage
 * @returns {{option: (name: string, fallback: string) => string, launches: string[]}}
 */
export function launchArguments(argv, usage) {
  const split = argv.indexOf('--');
  const options = argv.slice(0, split < 0 ? argv.length : split);
  const launches = split < 0 ? [] : argv.slice(split + 1);
  if (launches.length < 2) {
    process.stderr.write(`usage: ${usage}\n`);
    process.exit(2);
  }
  const option = (/** @type {string} */ name, /** @type {string} */ fallback) =>
    (options.find((a) => a.startsWith(`--${name}=`)) ?? `=${fallback}`).split('=')[1] ?? fallback;
  return { option, launches };
}

const isEnv = (/** @type {string} */ word) => /^[A-Z_][A-Z0-9_]*=/.test(word);

/**
 * One launch's node flags, environment settings and whether it gets the image's environment.
 * @param {string} launch
 * @returns {{nodeArgs: string[], env: Record<string, string>, imageEnv: boolean}}
 */
export function launchOf(launch) {
  const words = launch.split(' ').filter(Boolean);
  return {
    nodeArgs: words.filter((w) => !isEnv(w) && w !== '--bare'),
    env: Object.fromEntries(
      words.filter(isEnv).map((w) => [w.slice(0, w.indexOf('=')), w.slice(w.indexOf('=') + 1)]),
    ),
    imageEnv: !words.includes('--bare'),
  };
}
