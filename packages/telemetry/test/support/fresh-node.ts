import { execFileSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * For process-wide V8 state (flags, heap sizing): a case runs as an ES module script in a node of its
 * own, on the package as built, and writes its outcome to stdout as JSON.
 */

const ROOT = fileURLToPath(new URL('../../../..', import.meta.url));

/** Builds this package's dist, which the scripts import. */
export function buildTelemetry(): void {
  execFileSync('npx', ['tsc', '-b', 'packages/telemetry/tsconfig.build.json'], { cwd: ROOT, stdio: 'pipe' });
}

/** The file URL of a built module of this package (`young-generation.js`), for a script to import. */
export function builtModule(file: string): string {
  return pathToFileURL(fileURLToPath(new URL(`../../dist/${file}`, import.meta.url))).href;
}

/** Runs `script` in a fresh node with `nodeFlags` and parses what it wrote to stdout. */
export function inFreshNode<T>(script: string, nodeFlags: string[] = []): T {
  const out = execFileSync(process.execPath, [...nodeFlags, '--input-type=module', '-e', script], {
    encoding: 'utf8',
  });
  return JSON.parse(out) as T;
}
