#!/usr/bin/env node
import cluster from 'node:cluster';
import { existsSync } from 'node:fs';
import { workerCount } from './cluster-env.js';
import { loadRouterConfig } from './config.js';
import { startRouter } from './index.js';
import { createLogger } from './logger.js';

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
