import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from './support/free-port.js';

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

  describe('@ocsai/mcp-server, run from its tarball the way MCP clients run it (npx -y)', () => {
    // No node_modules beside the tarball, an empty npm cache and no registry: `npx -y` can only
    // succeed if the package carries everything it runs. (`npx -y @ocsai/mcp-server` names the
    // registry package; a local tarball needs --package and the bin name.)
    const npx = (args: string[]) => ({
      command: 'npx',
      args: ['-y', '--package', tarball, 'ocs-mcp', ...args],
      cwd: join(work, 'npx-project'),
      env: {
        ...(process.env as Record<string, string>),
        npm_config_cache: join(work, 'npx-cache'),
        npm_config_offline: 'true',
        npm_config_update_notifier: 'false',
        LOG_LEVEL: 'warn',
      },
    });
    let tarball = '';

    beforeAll(async () => {
      const { stdout } = await run(
        'npm',
        ['pack', '--json', '--pack-destination', work, '--workspace', 'packages/mcp-server'],
        { cwd: root },
      );
      tarball = join(work, (JSON.parse(stdout) as PackResult[])[0]!.filename);
      mkdirSync(join(work, 'npx-project'));
    });

    it('declares no dependencies, so installing it fetches nothing else', async () => {
      const { stdout } = await run('tar', ['xzf', tarball, '-O', 'package/package.json']);
      const manifest = JSON.parse(stdout) as Record<string, unknown>;
      expect(manifest.dependencies).toBeUndefined();
      expect(manifest.mcpName).toBe('io.github.ocs-ai/ocs-mcp');
      expect(manifest.bin).toEqual({ 'ocs-mcp': './bin/ocs-mcp.js' });
    });

    it('serves MCP over stdio to an SDK client', async () => {
      const client = new Client({ name: 'tarball-stdio', version: '1' });
      await client.connect(new StdioClientTransport({ ...npx([]), stderr: 'pipe' }));
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name)).toEqual(expect.arrayContaining(['lookup_subscriber', 'list_offers']));
      // The offer catalogue comes from the tarball's own data file.
      const offers = await client.callTool({ name: 'list_offers', arguments: { type: 'PREPAID' } });
      expect((offers.structuredContent as { total: number }).total).toBe(4);
      await client.close();
    });

    it('serves MCP over Streamable HTTP to an SDK client (--http)', async () => {
      const port = await freePort();
      const { command, args, cwd, env } = npx(['--http']);
      const child = spawn(command, args, {
        cwd,
        env: { ...env, MCP_HTTP_PORT: String(port) },
        stdio: 'ignore',
      });
      try {
        expect(await answers(`http://127.0.0.1:${port}/healthz`)).toBe(true);
        const client = new Client({ name: 'tarball-http', version: '1' });
        await client.connect(new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${port}/mcp`)));
        expect((await client.listTools()).tools.length).toBeGreaterThan(10);
        await client.close();
      } finally {
        child.kill('SIGTERM');
        await once(child, 'exit');
      }
    });
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
