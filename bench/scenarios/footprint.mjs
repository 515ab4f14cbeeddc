import { spawn } from 'node:child_process';
// Footprint: cold start (spawn to first healthy response), idle RSS, and the on-disk size of each service's
// production dependency tree.

import { existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, rssMb, spawnService, waitForHealthy } from '../processes.mjs';
import { median, nowMs, round } from '../stats.mjs';

/**
 * @typedef {object} ServiceLaunch
 * @property {string} name
 * @property {string} packageDir package directory relative to the repository root (for the install size)
 * @property {(port: number, dir: string) => {args: string[], env: Record<string, string>}} command
 * @property {(port: number) => string} healthUrl
 */

/**
 * How the bench starts a router to time it: on `port`, in-process store, an OpenAI provider that is never called.
 * @param {number} port
 * @returns {Record<string, string>}
 */
export function routerStartEnv(port) {
  return {
    ROUTER_HOST: '127.0.0.1',
    ROUTER_PORT: String(port),
    ROUTER_STORE: 'memory',
    // No MCP tools: measure the gateway path itself, and never pick up a ./mcp.json from the work tree.
    MCP_CONFIG: 'none',
    LLM_PROVIDER: 'openai',
    OPENAI_BASE_URL: 'http://127.0.0.1:9/v1',
    OPENAI_API_KEY: 'bench-key',
    OPENAI_MODEL: 'bench-model',
    LOG_LEVEL: 'warn',
  };
}

/** ms from spawning a bare `node -e 0` to its exit: the floor every cold start stands on. */
export function bareNodeMs() {
  const startedAt = nowMs();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
    child.once('error', reject);
    child.once('exit', () => resolve(nowMs() - startedAt));
  });
}

/**
 * @param {string} root
 * @returns {ServiceLaunch[]}
 */
export function serviceLaunches(root) {
  return [
    {
      name: 'router',
      packageDir: 'packages/router',
      command: (port) => ({
        args: [path.join(root, 'packages/router/dist/bin.js')],
        env: routerStartEnv(port),
      }),
      healthUrl: (port) => `http://127.0.0.1:${port}/health`,
    },
    {
      name: 'mcp-server',
      packageDir: 'packages/mcp-server',
      command: (port) => ({
        args: [path.join(root, 'packages/mcp-server/dist/bin.js'), '--http'],
        env: {
          OCS_API_URL: 'http://127.0.0.1:9/ocs/prov/v1',
          MCP_HTTP_HOST: '127.0.0.1',
          MCP_HTTP_PORT: String(port),
          LOG_LEVEL: 'warn',
        },
      }),
      healthUrl: (port) => `http://127.0.0.1:${port}/healthz`,
    },
    {
      name: 'emulator',
      packageDir: 'packages/emulator',
      command: (port, dir) => ({
        args: [path.join(root, 'packages/emulator/dist/bin.js')],
        env: {
          OCS_EMULATOR_HOST: '127.0.0.1',
          OCS_EMULATOR_PORT: String(port),
          OCS_EMULATOR_DB: path.join(dir, `cold-${port}.sqlite`),
          LOG_LEVEL: 'warn',
        },
      }),
      healthUrl: (port) => `http://127.0.0.1:${port}/ocs/prov/v1/health-check`,
    },
    {
      name: 'portkey',
      packageDir: 'node_modules/@portkey-ai/gateway',
      command: (port) => ({
        args: [
          '--import',
          path.join(root, 'bench/portkey-headers-shim.mjs'),
          path.join(root, 'node_modules/@portkey-ai/gateway/build/start-server.js'),
          `--port=${port}`,
          '--headless',
        ],
        env: {},
      }),
      healthUrl: (port) => `http://127.0.0.1:${port}/`,
    },
  ];
}

/**
 * @typedef {object} FootprintScenarioOptions
 * @property {string} root
 * @property {number} runs cold starts per service
 * @property {number} settleMs wait after the last start before reading idle RSS
 * @property {(line: string) => void} log
 */

/** The footprint entry of a bare `node -e 0` (cold start only). */
export const BARE_NODE = 'node -e 0';

/**
 * @param {FootprintScenarioOptions} options
 * @returns {Promise<Record<string, Record<string, unknown>>>}
 */
export async function benchFootprint(options) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ocs-bench-cold-'));
  /** @type {Record<string, Record<string, unknown>>} */
  const out = {};
  try {
    // The floor every cold start stands on, in the same run: spawn of a Node that does nothing, to its exit.
    /** @type {number[]} */
    const bare = [];
    for (let run = 0; run < options.runs; run += 1) bare.push(await bareNodeMs());
    out[BARE_NODE] = {
      cold_start_ms: round(median(bare), 1),
      cold_start_runs_ms: bare.map((v) => round(v, 1)),
    };
    for (const launch of serviceLaunches(options.root)) {
      try {
        /** @type {number[]} */
        const runs = [];
        let idle = Number.NaN;
        for (let run = 0; run < options.runs; run += 1) {
          const port = await freePort();
          const { args, env } = launch.command(port, dir);
          const startedAt = nowMs();
          const service = spawnService(launch.name, process.execPath, args, { cwd: options.root, env });
          try {
            runs.push(await waitForHealthy(launch.healthUrl(port), { service, startedAt, intervalMs: 2 }));
            if (run === options.runs - 1) {
              await new Promise((resolve) => setTimeout(resolve, options.settleMs));
              idle = rssMb(service.pid);
            }
          } finally {
            await service.stop();
          }
        }
        out[launch.name] = {
          cold_start_ms: round(median(runs), 1),
          cold_start_runs_ms: runs.map((v) => round(v, 1)),
          rss_idle_mb: round(idle, 1),
          install_size_mb: installSizeMb(options.root, path.join(options.root, launch.packageDir)),
        };
        options.log(
          `  footprint ${launch.name.padEnd(10)} cold start ${out[launch.name]?.cold_start_ms} ms, idle RSS ${out[launch.name]?.rss_idle_mb} MB`,
        );
      } catch (error) {
        out[launch.name] = { error: error instanceof Error ? error.message.split('\n')[0] : String(error) };
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}

/**
 * On-disk size of a package's production install: the package itself (a workspace package by its dist/ and
 * package.json only, as `npm pack` would ship it) plus the closure of its `dependencies` and
 * `optionalDependencies`, resolved the way Node resolves them (nearest node_modules upwards). Each file is
 * counted once by inode, in MiB of allocated blocks.
 * @param {string} root repository root
 * @param {string} packageDir directory holding the package.json to start from
 */
export function installSizeMb(root, packageDir) {
  /** @type {Set<string>} */
  const seenFiles = new Set();
  /** @type {Set<string>} */
  const seenPackages = new Set();
  const packagesDir = path.join(root, 'packages') + path.sep;
  let bytes = 0;
  /** @param {string} dir */
  const visit = (dir) => {
    const real = realpathSync(dir);
    if (seenPackages.has(real)) return;
    seenPackages.add(real);
    const manifest = JSON.parse(readFileSync(path.join(real, 'package.json'), 'utf8'));
    if (real.startsWith(packagesDir)) {
      bytes += walk(path.join(real, 'dist'), seenFiles) + walk(path.join(real, 'package.json'), seenFiles);
    } else {
      bytes += walk(real, seenFiles, 'node_modules');
    }
    const deps = { ...manifest.optionalDependencies, ...manifest.dependencies };
    for (const name of Object.keys(deps)) {
      const found = resolvePackageDir(dir, name, root);
      if (found) visit(found);
    }
  };
  visit(packageDir);
  return round(bytes / 1024 ** 2, 1);
}

/**
 * Node's lookup: <dir>/node_modules/<name>, then each parent's, up to the filesystem root.
 * @param {string} fromDir
 * @param {string} name
 * @param {string} root
 * @returns {string | undefined}
 */
function resolvePackageDir(fromDir, name, root) {
  let dir = fromDir;
  for (;;) {
    const candidate = path.join(dir, 'node_modules', name);
    if (existsSync(path.join(candidate, 'package.json'))) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir || !parent.startsWith(path.dirname(root))) return undefined;
    dir = parent;
  }
}

/**
 * Sum of allocated bytes under `target`, skipping inodes already seen and, when `skipDir` is given,
 * nested directories of that name (nested dependencies are visited as packages of their own).
 * @param {string} target
 * @param {Set<string>} seen
 * @param {string} [skipDir]
 * @returns {number}
 */
function walk(target, seen, skipDir) {
  let stat;
  try {
    stat = lstatSync(target);
  } catch {
    return 0;
  }
  const key = `${stat.dev}:${stat.ino}`;
  if (seen.has(key)) return 0;
  seen.add(key);
  if (stat.isSymbolicLink()) return 0;
  if (!stat.isDirectory()) return stat.blocks * 512;
  let total = 0;
  for (const name of readdirSync(target)) {
    if (skipDir && name === skipDir) continue;
    total += walk(path.join(target, name), seen, skipDir);
  }
  return total;
}
