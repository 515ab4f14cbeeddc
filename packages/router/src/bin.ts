#!/usr/bin/env node
import { existsSync } from 'node:fs';
import { loadRouterConfig } from './config.js';
import { startRouter } from './index.js';
import { createLogger } from './logger.js';
import { ROUTER_VERSION } from './version.js';

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

// A .env file in the working directory configures the service; real environment variables win.
if (existsSync('.env')) process.loadEnvFile('.env');

// Thin on purpose: configuration, start-up and shutdown live in startRouter().
let logLevel: string;
try {
  logLevel = loadRouterConfig(process.env).LOG_LEVEL;
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
const logger = createLogger(logLevel);
const describe = (error: unknown) => ({ message: error instanceof Error ? error.message : String(error) });
process.on('uncaughtException', (error) => {
  logger.fatal({ err: describe(error) }, 'uncaught exception');
  process.exit(1);
});
process.on('unhandledRejection', (reason) => {
  logger.fatal({ err: describe(reason) }, 'unhandled rejection');
  process.exit(1);
});

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
