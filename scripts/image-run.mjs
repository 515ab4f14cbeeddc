#!/usr/bin/env node
// Starts the built image's services from its root file system as compose.yaml starts them, and
// checks what a container engine would: each service becomes healthy, the image's HEALTHCHECK
// command succeeds, SIGTERM exits 0. Then the compose topology itself: two routers sharing one
// real redis-server, the MCP server and the emulator; a context written through one router is read
// through the other, and after one router is killed the other keeps answering.
//
// Run by scripts/image.sh inside a private network namespace, so every service binds its compose
// port on that namespace's own loopback and /etc/hosts in the image root names each service.
// Each process runs chrooted into the image root as the image's user, in its working directory,
// with its entrypoint and environment plus the service's compose environment.
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parse } from 'yaml';

const { values: args } = parseArgs({
  options: {
    root: { type: 'string' },
    inspect: { type: 'string' },
    'unpacked-bytes': { type: 'string' },
    'build-seconds': { type: 'string' },
    results: { type: 'string' },
    'results-key': { type: 'string', default: 'image' },
    rounds: { type: 'string', default: '5' },
  },
});
const root = args.root;
// `buildah inspect`: the Docker-format config (it carries the HEALTHCHECK) and the layer list.
const inspected = JSON.parse(readFileSync(args.inspect, 'utf8'));
const image = inspected.Docker.config;
const layers = inspected.OCIv1.rootfs.diff_ids.length;
const rounds = Number(args.rounds);
const failures = [];
const check = (ok, what) => {
  process.stderr.write(`image: ${ok ? 'ok  ' : 'FAIL'} ${what}\n`);
  if (!ok) failures.push(what);
};

// --- the image's runtime contract ---------------------------------------------------------------
function imageUser() {
  const [name, group] = String(image.User || 'root').split(':');
  const passwd = readFileSync(join(root, 'etc/passwd'), 'utf8')
    .split('\n')
    .map((l) => l.split(':'));
  const entry = passwd.find((f) => f[0] === name || f[2] === name);
  if (!entry) throw new Error(`image user ${name} is not in the image's /etc/passwd`);
  return { uid: entry[2], gid: group ?? entry[3] };
}
const user = imageUser();
const workdir = image.WorkingDir || '/';
const imageEnv = Object.fromEntries(
  (image.Env ?? []).map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
);
const entrypoint = image.Entrypoint ?? [];
const healthcheck = image.Healthcheck?.Test ?? [];
check(healthcheck[0] === 'CMD' && healthcheck.length > 1, 'the image declares a HEALTHCHECK command');

// Found on this machine's PATH: the child's own environment is the image's, not this one's.
const UNSHARE = execFileSync('sh', ['-c', 'command -v unshare'], { encoding: 'utf8' }).trim();

/** A process in the image root as its user, like `docker run` (no shell: the root may have none). */
function inImage(argv, env) {
  return spawn(
    UNSHARE,
    [`--root=${root}`, `--wd=${workdir}`, '--setuid', user.uid, '--setgid', user.gid, '--', ...argv],
    { env: { ...imageEnv, ...env }, stdio: ['ignore', 'ignore', 'pipe'] },
  );
}

// --- compose.yaml as docker compose reads it ----------------------------------------------------
const secrets = {
  ROUTER_API_KEYS: `ci-router-key-${randomBytes(8).toString('hex')}`,
  MCP_AUTH_TOKENS: `ci-mcp-token-${randomBytes(8).toString('hex')}`,
};
/** Compose interpolation: ${VAR}, ${VAR:-default}, ${VAR:?error}, and $$ for a literal $. */
function interpolate(text) {
  return text.replace(/\$\$|\$\{([A-Z0-9_]+)(?::([-?])([^}]*))?\}/g, (whole, name, op, rest) => {
    if (whole === '$$') return '$';
    const value = secrets[name] ?? process.env[name];
    if (value) return value;
    if (op === '?') throw new Error(`compose.yaml: ${rest}`);
    return op === '-' ? rest : '';
  });
}
const compose = parse(readFileSync('compose.yaml', 'utf8'), { merge: true });
const services = compose.services;
for (const config of Object.values(compose.configs ?? {})) config.content = interpolate(config.content);

// In one network namespace the two routers cannot both listen on 8000: router-2 gets the port that
// compose publishes it on (8001), and its health check URL follows.
const portOverrides = {
  'router-2': { ROUTER_PORT: '8001', HEALTHCHECK_URL: 'http://127.0.0.1:8001/health' },
};

function serviceEnv(name) {
  const env = {};
  for (const [key, value] of Object.entries(services[name].environment ?? {}))
    env[key] = interpolate(String(value));
  return { ...env, LOG_LEVEL: 'warn', ...portOverrides[name] };
}

for (const name of Object.keys(services)) {
  for (const { source, target } of services[name].configs ?? []) {
    writeFileSync(join(root, target), compose.configs[source].content);
  }
}

const running = new Map();
async function healthyAfter(url, started, deadline = started + 20_000) {
  while (performance.now() < deadline) {
    const ok = await fetch(url, { signal: AbortSignal.timeout(1000) }).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return performance.now() - started;
    await new Promise((r) => setTimeout(r, 5));
  }
  return null;
}

/** `node -e 0` from the image, timed just before each service start so both see the same load. */
const baselineSamples = [];

/** Starts a compose service from the image; resolves with its start-to-healthy time in ms. */
async function start(name) {
  baselineSamples.push(await nodeBaselineMs());
  const env = serviceEnv(name);
  const started = performance.now();
  const child = inImage([...entrypoint, ...services[name].command], env);
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  running.set(name, child);
  const ms = await Promise.race([
    healthyAfter(env.HEALTHCHECK_URL, started),
    once(child, 'exit').then(() => null),
  ]);
  if (ms === null) throw new Error(`${name} did not become healthy:\n${stderr}`);
  return ms;
}

async function stop(name, signal = 'SIGTERM') {
  const child = running.get(name);
  running.delete(name);
  const exited = once(child, 'exit');
  child.kill(signal);
  const [code, killedBy] = await exited;
  return { code, killedBy };
}

/** The image's HEALTHCHECK command, run in the service's environment as the engine runs it. */
async function runHealthcheck(name) {
  const child = inImage(healthcheck.slice(1), serviceEnv(name));
  const [code] = await once(child, 'exit');
  return code;
}

async function redisServer() {
  const child = spawn(
    'redis-server',
    ['--port', '6379', '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  running.set('redis', child);
  for (let i = 0; i < 200; i++) {
    const ok = await fetch('http://127.0.0.1:6379').then(
      () => true,
      (e) => e.cause?.code !== 'ECONNREFUSED',
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('redis-server did not start');
}

async function nodeBaselineMs() {
  const started = performance.now();
  const child = inImage([...entrypoint, '-e', '0'], {});
  const [code] = await once(child, 'exit');
  if (code !== 0) throw new Error(`node -e 0 exited ${code}`);
  return performance.now() - started;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const round1 = (x) => Math.round(x * 10) / 10;

const ours = Object.keys(services).filter((name) => services[name].build !== undefined);
const order = ['emulator', 'mcp', 'redis', 'router-1', 'router-2'];
for (const name of Object.keys(services))
  if (!order.includes(name)) throw new Error(`unknown service ${name}`);

try {
  // 1. The compose topology, in depends_on order.
  const samples = Object.fromEntries(ours.map((name) => [name, []]));
  for (const name of order) {
    if (name === 'redis') await redisServer();
    else samples[name].push(await start(name));
  }
  check(true, `all ${ours.length} image services healthy: ${ours.join(', ')}`);
  for (const name of ours)
    check((await runHealthcheck(name)) === 0, `HEALTHCHECK command succeeds for ${name}`);

  const auth = { authorization: `Bearer ${secrets.ROUTER_API_KEYS}`, 'content-type': 'application/json' };
  const envelope = { memory: { facts: [`written through router-1 at ${new Date().toISOString()}`] } };
  const put = await fetch('http://127.0.0.1:8000/context/image-check', {
    method: 'PUT',
    headers: auth,
    body: JSON.stringify(envelope),
  });
  check(put.ok, `context written through router-1 (${put.status})`);
  const read = await fetch('http://127.0.0.1:8001/context/image-check', { headers: auth });
  const readBody = read.ok ? await read.json() : null;
  check(
    JSON.stringify(readBody?.memory?.facts) === JSON.stringify(envelope.memory.facts),
    'the same context read through router-2',
  );
  const noKey = await fetch('http://127.0.0.1:8001/context/image-check');
  check(noKey.status === 401, `router-2 refuses a request without the API key (${noKey.status})`);

  const mcpTools = await fetch('http://127.0.0.1:3001/mcp', {
    method: 'POST',
    headers: {
      authorization: `Bearer ${secrets.MCP_AUTH_TOKENS}`,
      host: 'mcp:3001',
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
    },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: {
        protocolVersion: '2025-06-18',
        capabilities: {},
        clientInfo: { name: 'image-check', version: '1' },
      },
    }),
  });
  check(
    mcpTools.ok,
    `the MCP server answers initialize with its compose token and Host (${mcpTools.status})`,
  );

  const killed = await stop('router-1', 'SIGKILL');
  check(killed.killedBy === 'SIGKILL', 'router-1 killed');
  const after = await fetch('http://127.0.0.1:8001/context/image-check', { headers: auth });
  check(after.ok, `router-2 keeps answering after router-1 is gone (${after.status})`);
  const ready = await fetch('http://127.0.0.1:8001/ready');
  check(ready.ok, `router-2 still ready (${ready.status})`);

  // 2. More start-to-healthy samples: each service stopped with SIGTERM (must exit 0) and restarted.
  samples['router-1'].push(await start('router-1'));
  for (let round = 1; round < rounds; round++) {
    for (const name of ours) {
      if (samples[name].length > round) continue;
      const { code } = await stop(name);
      if (code !== 0) check(false, `${name} exits 0 on SIGTERM (exited ${code})`);
      samples[name].push(await start(name));
    }
  }
  for (const name of ours) {
    const { code, killedBy } = await stop(name);
    check(code === 0, `${name} exits 0 on SIGTERM (${code ?? killedBy})`);
  }

  const baselineMs = median(baselineSamples);
  const figures = {
    unpacked_bytes: Number(args['unpacked-bytes']),
    unpacked_mb: round1(Number(args['unpacked-bytes']) / 1e6),
    layers,
    build_seconds: Number(args['build-seconds']),
    node_e_0_ms: round1(baselineMs),
    start_to_healthy_ms: Object.fromEntries(ours.map((name) => [name, round1(median(samples[name]))])),
    start_to_healthy_ratio_to_node_e_0: Object.fromEntries(
      ours.map((name) => [name, round1(median(samples[name]) / baselineMs)]),
    ),
    samples_per_service: rounds,
    date: new Date().toISOString(),
  };
  process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`);
  if (args.results && failures.length === 0) {
    const results = existsSync(args.results) ? JSON.parse(readFileSync(args.results, 'utf8')) : {};
    results[args['results-key']] = { command: 'npm run image', ...results[args['results-key']], ...figures };
    writeFileSync(args.results, `${JSON.stringify(results, null, 2)}\n`);
    if (results.machine) {
      const { renderMarkdown } = await import('../bench/markdown.mjs');
      writeFileSync('docs/benchmarks.md', renderMarkdown(results));
    }
  }
} catch (error) {
  failures.push(error instanceof Error ? error.message : String(error));
  process.stderr.write(`image: FAIL ${failures.at(-1)}\n`);
} finally {
  for (const child of running.values()) child.kill('SIGKILL');
}
process.stderr.write(
  `image: ${failures.length === 0 ? 'all checks passed' : `${failures.length} check(s) failed`}\n`,
);
process.exit(failures.length === 0 ? 0 : 1);
