#!/usr/bin/env node
import { startRouter } from './index.js';
import { createLogger } from './logger.js';

// Thin on purpose: configuration, start-up and shutdown live in startRouter().
const logger = createLogger(process.env.LOG_LEVEL || 'info');
process.on('uncaughtException', (error) => {
  logger.fatal({ err: { name: error.name, message: error.message } }, 'uncaught exception');
  process.exit(1);
});
process.on('unhandledRejection', (reason) => {
  logger.fatal(
    { err: { message: reason instanceof Error ? reason.message : String(reason) } },
    'unhandled rejection',
  );
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
        logger.error(
          { err: { message: error instanceof Error ? error.message : String(error) } },
          'shutdown failed',
        );
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
} catch (error) {
  logger.fatal(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
