#!/usr/bin/env node
import { existsSync } from 'node:fs';
import { loadRouterConfig } from './config.js';
import { startRouter } from './index.js';
import { createLogger } from './logger.js';

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
