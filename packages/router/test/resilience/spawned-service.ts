import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { probeReport as readProbeReport } from '../../../../test/support/probe-report.js';

export const REPO = fileURLToPath(new URL('../../../../', import.meta.url));

const BUILD_LOCK = join(tmpdir(), 'ocsai-bin-build.lock');

/**
 * Builds the packages whose bins a test spawns. Test files run in parallel workers, and two
 * `tsc -b` writing the same dist/ at once can leave a half-written file: a lock directory
 * (mkdir is atomic) makes them take turns; a lock older than two minutes is stale.
 */
export function buildPackages(packages: string[]): void {
  const pause = new Int32Array(new SharedArrayBuffer(4));
  while (true) {
    try {
      mkdirSync(BUILD_LOCK);
      break;
    } catch {
      const age = Date.now() - (statSync(BUILD_LOCK, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 120_000) rmSync(BUILD_LOCK, { recursive: true, force: true });
      Atomics.wait(pause, 0, 0, 100);
    }
  }
  try {
    const tsc = join(REPO, 'node_modules/typescript/bin/tsc');
    const configs = packages.map((pkg) => `packages/${pkg}/tsconfig.build.json`);
    execFileSync(process.execPath, [tsc, '-b', ...configs], { cwd: REPO, stdio: 'inherit' });
  } finally {
    rmSync(BUILD_LOCK, { recursive: true, force: true });
  }
}

export interface SpawnedService {
  child: ChildProcess;
  url: string;
  output: () => string;
  exited: Promise<number | null>;
}

/** Starts a built bin with `env` and resolves once its output names the URL it listens on. */
export async function spawnService(
  bin: string,
  args: string[],
  env: Record<string, string>,
  urlPattern: RegExp,
): Promise<SpawnedService> {
  const child = spawn(process.execPath, [bin, ...args], {
    cwd: REPO,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += String(chunk);
      const match = urlPattern.exec(output);
      if (match?.[1]) resolve(match[1]);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exited.then((code) => reject(new Error(`${bin} exited with ${code} before listening:\n${output}`)));
  });
  return { child, url, output: () => output, exited };
}

/** The repository's module probe (test/support/module-probe.mjs), as `--import` takes it. */
export const MODULE_PROBE = pathToFileURL(join(REPO, 'test/support/module-probe.mjs')).href;

/**
 * The built router bin with `probe` preloaded (`NODE_OPTIONS=--import`), on the ollama provider, the
 * memory store, a free port and info logs, `env` on top; resolves once it logs the URL it listens on.
 * How the lazy-load tests start the router they ask what it has loaded.
 */
export function spawnProbedRouter(probe: string, env: Record<string, string> = {}): Promise<SpawnedService> {
  return spawnService(
    join(REPO, 'packages/router/dist/bin.js'),
    [],
    {
      NODE_OPTIONS: `--import=${probe}`,
      LLM_PROVIDER: 'ollama',
      ROUTER_STORE: 'memory',
      ROUTER_PORT: '0',
      LOG_LEVEL: 'info',
      ...env,
    },
    /"url":"(http:\/\/127\.0\.0\.1:\d+)"/,
  );
}

/**
 * The first group of `pattern` in what `service` writes after offset `from` (of its output), polled for up
 * to 5 s: how tests read the reports of the preloaded module probe (test/support/module-probe.mjs).
 */
export function probeReport(service: SpawnedService, pattern: RegExp, from = 0): Promise<string> {
  return readProbeReport(() => service.output(), pattern, from);
}

/** true when a new TCP connection to the URL's port is refused. */
export function refusesConnections(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = new Socket();
    socket.once('error', () => resolve(true));
    socket.connect(Number(port), hostname, () => {
      socket.destroy();
      resolve(false);
    });
  });
}

/**
 * A POST whose body arrives in two parts: the server is busy with it (headers parsed, body
 * pending) until finish() sends the rest. Resolves with the status and body text.
 */
export function twoPartPost(
  url: string,
  body: string,
  headers: Record<string, string> = {},
): { finish(): void; response: Promise<{ status: number; text: string }> } {
  const half = Math.floor(body.length / 2);
  const req = request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers },
  });
  const response = new Promise<{ status: number; text: string }>((resolve, reject) => {
    req.once('error', reject);
    req.once('response', (res) => {
      let text = '';
      res.on('data', (chunk) => {
        text += String(chunk);
      });
      res.once('end', () => resolve({ status: res.statusCode ?? 0, text }));
      res.once('error', reject);
    });
  });
  req.write(body.slice(0, half));
  req.flushHeaders();
  return { finish: () => req.end(body.slice(half)), response };
}
