import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from './support/free-port.js';

// The container image runs `node <command>` (Dockerfile ENTRYPOINT ["node"]) with the commands that
// compose.yaml gives each service, and checks health with scripts/healthcheck.mjs. This test runs
// the build the same way, from the repository's dist/ and from the image's production bundles
// (scripts/bundle.mjs --image, in a folder outside the repository, so nothing resolves from its
// node_modules), so the image's commands cannot drift from what the build produces.
// (scripts/image.sh builds and starts the image itself; it needs root and runs in .ci/run.)
const root = new URL('../', import.meta.url).pathname;
const compose = readFileSync(join(root, 'compose.yaml'), 'utf8');

function commandOf(service: string): string[] {
  const block = compose
    .split(/\n {2}(?=[a-z0-9-]+:(?: &[a-z-]+)?\n)/)
    .find((b) => b.startsWith(`${service}:`));
  const match = block?.match(/command: (\[.*\])/);
  if (!match?.[1]) throw new Error(`compose.yaml: no command for ${service}`);
  return JSON.parse(match[1]) as string[];
}

function withoutEmulatorVars(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('OCS_EMULATOR_')),
  );
}

async function healthy(url: string, cwd = root, deadline = Date.now() + 15_000): Promise<boolean> {
  while (Date.now() < deadline) {
    const check = spawn('node', ['scripts/healthcheck.mjs'], {
      cwd,
      env: { ...process.env, HEALTHCHECK_URL: url },
    });
    const [code] = await once(check, 'exit');
    if (code === 0) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

const bundles = mkdtempSync(join(tmpdir(), 'image-bundles-'));
afterAll(() => rmSync(bundles, { recursive: true, force: true }));

describe.each([
  ['the built dist/', root],
  ['the image bundles', join(bundles, 'app')],
])('services started with the image commands from %s', (where, cwd) => {
  const dir = mkdtempSync(join(tmpdir(), 'bundle-'));
  const children: ChildProcess[] = [];
  beforeAll(async () => {
    if (cwd !== root)
      await promisify(execFile)(process.execPath, ['scripts/bundle.mjs', '--image', bundles], { cwd: root });
  }, 60_000);
  afterAll(() => {
    for (const child of children) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  async function startAndStop(
    service: string,
    envFor: (port: number) => Record<string, string>,
    healthUrl: (port: number) => string,
  ): Promise<void> {
    const port = await freePort();
    const child = spawn('node', commandOf(service), {
      cwd,
      env: { ...process.env, ...envFor(port), NODE_ENV: 'production', LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    children.push(child);
    expect(await healthy(healthUrl(port), cwd), `${service} from ${where}`).toBe(true);
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    expect(code, `${service} exits cleanly on SIGTERM`).toBe(0);
  }

  it('emulator', async () => {
    await startAndStop(
      'emulator',
      (port) => ({ OCS_EMULATOR_PORT: String(port), OCS_EMULATOR_DB: join(dir, 'emulator.sqlite') }),
      (port) => `http://127.0.0.1:${port}/ocs/prov/v1/health-check`,
    );
  });

  it('MCP server (--http)', async () => {
    await startAndStop(
      'mcp',
      (port) => ({ MCP_HTTP_PORT: String(port), OCS_API_URL: 'http://127.0.0.1:9/ocs/prov/v1' }),
      (port) => `http://127.0.0.1:${port}/healthz`,
    );
  });

  it('router', async () => {
    await startAndStop(
      'router-1',
      (port) => ({ ROUTER_PORT: String(port), ROUTER_STORE: 'memory', MCP_CONFIG: '' }),
      (port) => `http://127.0.0.1:${port}/health`,
    );
  });
});

describe('the image commands and .env', () => {
  const children: ChildProcess[] = [];
  afterAll(() => {
    for (const child of children) child.kill('SIGKILL');
  });

  it('reads .env from the working directory, and real environment variables win', async () => {
    const port = await freePort();
    const cwd = mkdtempSync(join(tmpdir(), 'dotenv-'));
    writeFileSync(
      join(cwd, '.env'),
      `OCS_EMULATOR_PORT=${port}\nOCS_EMULATOR_DB=:memory:\nOCS_EMULATOR_HOST=192.0.2.1\n`,
    );
    const [script, ...args] = commandOf('emulator');
    const child = spawn('node', [join(root, script!), ...args], {
      cwd,
      env: { ...withoutEmulatorVars(), OCS_EMULATOR_HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
      stdio: 'ignore',
    });
    children.push(child);
    expect(await healthy(`http://127.0.0.1:${port}/ocs/prov/v1/health-check`)).toBe(true);
    child.kill('SIGTERM');
    await once(child, 'exit');
    rmSync(cwd, { recursive: true, force: true });
  });
});
