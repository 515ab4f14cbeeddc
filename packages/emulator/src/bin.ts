#!/usr/bin/env node
import { existsSync, readFileSync } from 'node:fs';
import { boundYoungGeneration, currentTraceIds, startTracing } from '@ocsai/telemetry';
import { pino } from 'pino';
import { type EmulatorEnv, loadEmulatorConfig } from './config.js';
import { startEmulator } from './server.js';

// The young generation held at two 4 MB semi-spaces instead of V8's 32 MB maximum, as the MCP server holds
// it (packages/telemetry/src/young-generation.ts): reads, lookups and writes at 10 connections, paired with
// main's build on tmpfs (load average 9-11), peak RSS 88.2 -> 81.0 MB, CPU per request within the rounds'
// spread (lookups 0.306 -> 0.316 ms, writes 1.267 -> 1.254 ms). The emulator makes no HTTP requests, so
// no WebAssembly to keep on Liftoff.
boundYoungGeneration(4);

// Flags first: --help and --version answer and exit before anything is configured or started.
const HELP = `Usage: ocs-emulator [--help] [--version]
Starts the OCS provisioning API emulator on OCS_EMULATOR_HOST:OCS_EMULATOR_PORT/ocs/prov/v1
(default 127.0.0.1:8080). Configuration comes from the environment and ./.env (see README).`;
const pkgVersion = (): string =>
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version;
const flags = process.argv.slice(2);
if (flags.includes('--help') || flags.includes('-h')) {
  process.stdout.write(`${HELP}\n`);
  process.exit(0);
}
if (flags.includes('--version')) {
  process.stdout.write(`${pkgVersion()}\n`);
  process.exit(0);
}

// A .env file in the working directory configures the service; real environment variables win.
if (existsSync('.env')) process.loadEnvFile('.env');

let config: EmulatorEnv;
try {
  config = loadEmulatorConfig(process.env);
} catch (error) {
  // Fail fast with the variable's name, without a stack trace.
  process.stderr.write(`ocs-emulator: ${(error as Error).message}\n`);
  process.exit(1);
}
// Inside a request's span every line carries trace_id and span_id (nothing while tracing is off).
const logger = pino({
  level: config.LOG_LEVEL,
  redact: ['req.headers["x-api-key"]'],
  mixin: currentTraceIds,
});
// A crash must not leave a half-working server behind: log it and exit.
const fatal = (what: string) => (error: unknown) => {
  logger.fatal({ err: { message: error instanceof Error ? error.message : String(error) } }, what);
  process.exit(1);
};
process.on('uncaughtException', fatal('uncaught exception'));
process.on('unhandledRejection', fatal('unhandled rejection'));

// Off (and nothing of OpenTelemetry loaded) unless OTEL_EXPORTER_OTLP_ENDPOINT is set.
let tracing: Awaited<ReturnType<typeof startTracing>>;
try {
  tracing = await startTracing({ serviceName: 'ocs-emulator', serviceVersion: pkgVersion() });
} catch (error) {
  process.stderr.write(`ocs-emulator: ${(error as Error).message}\n`);
  process.exit(1);
}
const emulator = await startEmulator({
  host: config.OCS_EMULATOR_HOST,
  port: config.OCS_EMULATOR_PORT,
  db: config.OCS_EMULATOR_DB,
  fidelity: config.OCS_EMULATOR_FIDELITY,
  ...(config.OCS_EMULATOR_API_KEY ? { apiKey: config.OCS_EMULATOR_API_KEY } : {}),
  ...(config.OCS_OFFERS_FILE ? { offersFile: config.OCS_OFFERS_FILE } : {}),
  logger,
});
logger.info(
  { url: emulator.url, db: config.OCS_EMULATOR_DB, fidelity: config.OCS_EMULATOR_FIDELITY },
  'OCS emulator listening',
);

const shutdown = (signal: string) => {
  logger.info({ signal }, 'shutting down');
  emulator.close().then(
    () => tracing.shutdown().finally(() => process.exit(0)),
    () => process.exit(1),
  );
};
process.once('SIGTERM', () => shutdown('SIGTERM'));
process.once('SIGINT', () => shutdown('SIGINT'));
