import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

// Each publishable package is packed as npm would publish it, unpacked into a temporary folder and
// started from there: a file the bin needs at run time (a data file, the console build) that the
// tarball leaves out fails here. Dependencies resolve from the workspace's node_modules.
const run = promisify(execFile);
const root = new URL('../', import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), 'tarballs-'));

interface PackResult {
  filename: string;
  files: { path: string }[];
}

async function packAndUnpack(pkg: string): Promise<{ dir: string; files: string[] }> {
  const { stdout } = await run(
    'npm',
    ['pack', '--json', '--pack-destination', work, '--workspace', `packages/${pkg}`],
    {
      cwd: root,
    },
  );
  const [result] = JSON.parse(stdout) as PackResult[];
  const dir = join(work, pkg);
  mkdirSync(dir);
  await run('tar', ['xzf', join(work, result!.filename), '-C', dir, '--strip-components=1']);
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return { dir, files: result!.files.map((f) => f.path) };
}

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}

async function answers(url: string): Promise<boolean> {
  for (const deadline = Date.now() + 15_000; Date.now() < deadline; ) {
    const ok = await fetch(url).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

async function startsFromTarball(dir: string, args: string[], env: Record<string, string>, url: string) {
  const child = spawn('node', [join(dir, 'dist/bin.js'), ...args], {
    cwd: dir,
    env: { ...process.env, ...env, LOG_LEVEL: 'warn' },
    stdio: 'ignore',
  });
  try {
    expect(await answers(url)).toBe(true);
  } finally {
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
}

describe('publishable package tarballs', () => {
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('@ocsai/contract ships its build and the offer catalogue, not its sources or tests', async () => {
    const { files } = await packAndUnpack('contract');
    expect(files).toContain('dist/index.js');
    expect(files).toContain('data/offers.csv');
    expect(files.filter((f) => f.startsWith('test/'))).toEqual([]);
  });

  it('@ocsai/emulator starts from its tarball', async () => {
    const { dir, files } = await packAndUnpack('emulator');
    expect(files).toContain('dist/bin.js');
    const port = await freePort();
    await startsFromTarball(
      dir,
      [],
      { OCS_EMULATOR_PORT: String(port), OCS_EMULATOR_DB: ':memory:' },
      `http://127.0.0.1:${port}/ocs/prov/v1/offers`,
    );
  });

  it('@ocsai/mcp-server starts from its tarball (--http)', async () => {
    const { dir } = await packAndUnpack('mcp-server');
    const port = await freePort();
    await startsFromTarball(
      dir,
      ['--http'],
      { MCP_HTTP_PORT: String(port) },
      `http://127.0.0.1:${port}/healthz`,
    );
  });

  it('@ocsai/router starts from its tarball and serves the console it carries', async () => {
    const { dir, files } = await packAndUnpack('router');
    expect(files).toContain('dist/console/index.html');
    const port = await freePort();
    await startsFromTarball(
      dir,
      [],
      { ROUTER_PORT: String(port), ROUTER_STORE: 'memory', MCP_CONFIG: 'none' },
      `http://127.0.0.1:${port}/console/`,
    );
  });
});
