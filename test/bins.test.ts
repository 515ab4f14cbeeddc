import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

// Every bin a package declares is a committed shim (so npm links it at install time, before the
// build), answers --help and --version without starting anything, and says what to do when dist/
// is not built yet.
const run = promisify(execFile);
const root = new URL('../', import.meta.url).pathname;
const packages = ['client', 'emulator', 'mcp-server', 'router'];
const bins = packages.flatMap((pkg) => {
  const manifest = JSON.parse(readFileSync(join(root, 'packages', pkg, 'package.json'), 'utf8')) as {
    version: string;
    bin: Record<string, string>;
  };
  return Object.entries(manifest.bin).map(([name, path]) => ({
    pkg,
    name,
    path: join(root, 'packages', pkg, path),
    version: manifest.version,
  }));
});
const tracked = (await run('git', ['ls-files', 'packages/*/bin/*'], { cwd: root })).stdout.split('\n');
const work = mkdtempSync(join(tmpdir(), 'bins-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe.each(bins)('$name', ({ pkg, name, path, version }) => {
  it('is a committed file outside dist/, linked into node_modules/.bin', () => {
    expect(path).not.toContain('/dist/');
    expect(tracked).toContain(`packages/${pkg}/${path.split(`packages/${pkg}/`)[1]}`);
    expect(existsSync(join(root, 'node_modules/.bin', name))).toBe(true);
  });

  it('--help prints its usage and exits 0 without starting a server', async () => {
    const { stdout } = await run(process.execPath, [path, '--help'], { timeout: 10_000 });
    expect(stdout).toContain(`Usage: ${name}`);
  });

  it('--version prints the package version and exits 0', async () => {
    const { stdout } = await run(process.execPath, [path, '--version'], { timeout: 10_000 });
    expect(stdout).toBe(`${version}\n`);
  });

  it('says how to build when dist/ is missing, instead of a module-not-found stack trace', async () => {
    const shim = join(work, `${name}.js`);
    copyFileSync(path, shim);
    const failure = await run(process.execPath, [shim, '--version']).then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure?.code).toBe(1);
    expect(failure?.stderr).toBe(
      `${name}: not built yet. Run "npm run build" in the repository (npm start builds it too).\n`,
    );
  });
});
