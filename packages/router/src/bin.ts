#!/usr/bin/env node
import cluster from 'node:cluster';
import { existsSync, readFileSync } from 'node:fs';
import v8 from 'node:v8';
import { auditVerifyCommand } from '@ocsai/contract';
import { keepWasmOnLiftoff } from '@ocsai/telemetry';
import { workerCount } from './cluster-env.js';
import { loadRouterConfig } from './config.js';
import { startRouter } from './index.js';
import { createLogger } from './logger.js';
import { ROUTER_VERSION } from './version.js';

// Old-generation growth bounded to 10% per major GC. At 200 connections most of what a request allocates
// outlives a scavenge (it waits on the upstream), and V8's default growth let the old space fill with that
// garbage to ~75 MB while ~23 MB was live (heap snapshot at peak): peak RSS 167-170 -> 126-131 MB, with the
// same requests/s and CPU per request in the same run. Set at run time so every launch (bin, image, bench)
// gets it. The emulator and the MCP server were measured too and gain nothing from it (docs/benchmarks.md).
v8.setFlagsFromString('--heap-growing-percent=10');
// undici's HTTP parser (WebAssembly) stays on Liftoff: V8's TurboFan recompilation of it, soon after the
// first upstream answers, was the router's warm-up spike (malloc'd compiler memory, freed within ~250 ms;
// packages/telemetry/src/wasm-tiering.ts). 20 requests after start, RSS sampled every 2 ms, main's build
// vs the same with --liftoff-only: peak 124.5-125.4 -> 89.7-90.1 MB; at 200 connections, paired, CPU per
// request 1.235 -> 1.085 ms (/v1/chat/completions), 1.013 -> 0.967 ms (/ask). The young-generation bound
// the MCP server sets is not set here: at 200 connections two 8 MB semi-spaces took the peak from 127-130
// to 112-113 MB but cost 19-59 % more CPU per request in two paired runs (load average 7-9).
keepWasmOnLiftoff();

// Flags first: --help and --version answer and exit before anything is configured or started.
const HELP = `Usage: ocs-router [--help] [--version]
Starts the LLM router (POST /ask, /v1/chat/completions, /console) on ROUTER_HOST:ROUTER_PORT
(default 127.0.0.1:8000). Configuration comes from the environment and ./.env (see README).`;
const flags = process.argv.slice(2);
if (flags.includes('--help') || flags.includes('-h')) {
  process.stdout.write(`${HELP}\n`);
  process.exit(0);
}
if (flags.includes('--version')) {
  process.stdout.write(`${ROUTER_VERSION}\n`);
  process.exit(0);
}

// `ocs-router audit verify FILE`: checks an audit file's hash chain and names the first broken line.
if (process.argv[2] === 'audit') {
  const [action, file] = process.argv.slice(3);
  const { exitCode, message } =
    action === 'verify'
      ? auditVerifyCommand(file, (path) => readFileSync(path, 'utf8'))
      : { exitCode: 2, message: 'usage: ocs-router audit verify FILE' };
  (exitCode === 0 ? process.stdout : process.stderr).write(`${message}\n`);
  process.exit(exitCode);
}

// A .env file in the working directory configures the service; real environment variables win.
if (existsSync('.env')) process.loadEnvFile('.env');

// Thin on purpose: configuration, start-up and shutdown live in startRouter().
let logLevel: string;
let workers: number;
try {
  const config = loadRouterConfig(process.env);
  logLevel = config.LOG_LEVEL;
  workers = workerCount(config.ROUTER_WORKERS);
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
// Under ROUTER_WORKERS every line says which worker process wrote it.
const logger = cluster.isWorker ? createLogger(logLevel).child({ pid: process.pid }) : createLogger(logLevel);
const describe = (error: unknown) => ({ message: error instanceof Error ? error.message : String(error) });
process.on('uncaughtException', (error) => {
  logger.fatal({ err: describe(error) }, 'uncaught exception');
  process.exit(1);
});
process.on('unhandledRejection', (reason) => {
  logger.fatal({ err: describe(reason) }, 'unhandled rejection');
  process.exit(1);
});

// ROUTER_WORKERS > 1: this process only supervises; every worker runs the code below.
if (cluster.isPrimary && workers > 1) {
  const { runRouterPrimary } = await import('./cluster.js');
  process.exit(await runRouterPrimary({ workers, logger }));
}

try {
  const router = await startRouter({ logger });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    router.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: describe(error) }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
} catch (error) {
  logger.fatal({ err: describe(error) }, 'router failed to start');
  process.exit(1);
}
