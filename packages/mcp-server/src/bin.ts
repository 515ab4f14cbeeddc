#!/usr/bin/env node
import { existsSync } from 'node:fs';
import v8 from 'node:v8';
import {
  boundYoungGeneration,
  keepWasmOnLiftoff,
  startTracing,
  TelemetryConfigError,
} from '@ocsai/telemetry';
import { ConfigError, loadMcpConfig } from './config.js';
import { SERVER_INFO } from './server-info.js';

// Old-generation growth bounded to 10% per major GC, as the router does. What a tools/call promotes out
// of the young generation is garbage by the next major GC (after a full GC ~25-30 MB is live, mostly code
// and module source), but V8's default growth lets old space reach 3-4x the live size first: under the
// bench's wire load old space filled to ~98 MB before each major GC (peak RSS ~190 MB). Paired runs,
// fixed call counts, c=1/10/50: peak RSS 149-152 -> 124-126 MB with calls/s and CPU per call within the
// run's noise. Set at run time so every launch (npx, .mcpb, image, bench) gets it.
v8.setFlagsFromString('--heap-growing-percent=10');
// Two more bounds, set before anything is loaded (packages/telemetry explains both mechanisms):
// - undici's HTTP parser (WebAssembly) stays on Liftoff. Its TurboFan recompilation, on a V8 worker thread
//   right after the first tools/call, malloc'd ~30 MB of compiler memory for ~150 ms: RSS sampled every
//   2 ms went 80 -> 120-124 MB and back, the server's highest point under the bench's load; with
//   --liftoff-only it peaks at 90 MB (`perf record -g` during the rise: wasm::BackgroundCompileJob).
// - The young generation at two 4 MB semi-spaces instead of V8's 32 MB maximum, to which calls in flight
//   grew it within the first loaded seconds (what survives a scavenge there is garbage soon after).
// Five paired runs of raw get_subscriber calls over HTTP against the build before, both eras, rounds
// alternated, on a shared machine (load average 6-12): peak RSS 114-122 -> 82-88 MB at c=10 and 87-92 MB at
// c=50; CPU per call, ratio to the build before, c=10 0.84-1.10 (median 0.98), c=50 0.74-1.15 (median
// 1.04); calls/s moved both ways within the rounds' spread. Liftoff alone still reached 108.7 MB at c=50;
// two 8 MB semi-spaces 96.1-96.4 MB, with no CPU to show for it.
boundYoungGeneration(4);
keepWasmOnLiftoff();

const HELP = `Usage: ocs-mcp [--http] [--help] [--version]
       ocs-mcp audit verify FILE
  (default)  serve MCP over stdio
  --http     serve Streamable HTTP on MCP_HTTP_HOST:MCP_HTTP_PORT/mcp (default 127.0.0.1:3001)
  audit verify FILE  check the hash chain of an MCP_AUDIT_FILE (exit 0 intact, 1 broken, 2 unreadable)
Configuration comes from the environment (see README).`;

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  // `ocs-mcp audit verify FILE`: checks an audit file's hash chain, needs no configuration.
  if (args[0] === 'audit') {
    const { auditVerifyCommand } = await import('@ocsai/contract');
    const { readFileSync } = await import('node:fs');
    const verdict =
      args[1] === 'verify'
        ? auditVerifyCommand(args[2], (file) => readFileSync(file, 'utf8'))
        : { exitCode: 2, message: 'usage: ocs-mcp audit verify FILE' };
    (verdict.exitCode === 0 ? process.stdout : process.stderr).write(`${verdict.message}\n`);
    process.exit(verdict.exitCode);
  }
  // Nothing else runs with these: an MCP client never passes them, so stdout is free.
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(`${HELP}\n`);
    return;
  }
  if (args.includes('--version')) {
    process.stdout.write(`${SERVER_INFO.version}\n`);
    return;
  }
  // A .env file in the working directory configures the server; real environment variables win.
  if (existsSync('.env')) process.loadEnvFile('.env');
  const config = loadMcpConfig(process.env);
  // Off (and the OpenTelemetry SDK never loaded) unless OTEL_EXPORTER_OTLP_ENDPOINT is set.
  const tracing = await startTracing({ serviceName: 'ocs-mcp-server', serviceVersion: SERVER_INFO.version });
  // Transports load after the configuration is validated, so a bad variable fails fast.
  if (args.includes('--http')) {
    const { startMcpHttpServer } = await import('./http.js');
    const server = await startMcpHttpServer(config);
    process.stderr.write(`ocs-mcp listening on ${server.url}\n`);
    const stop = () =>
      void server
        .close()
        .then(() => tracing.shutdown())
        .finally(() => process.exit(0));
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
    return;
  }
  const { runStdioServer } = await import('./stdio.js');
  await runStdioServer(config);
  await tracing.shutdown().catch(() => {});
  process.exit(0);
}

// A crash must not leave a half-working server behind: log it (to stderr, never stdout) and exit.
const fatal = (what: string) => (error: unknown) => {
  process.stderr.write(`ocs-mcp: ${what}: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
};
process.on('uncaughtException', fatal('uncaught exception'));
process.on('unhandledRejection', fatal('unhandled rejection'));

main().catch((err: unknown) => {
  const told = err instanceof ConfigError || err instanceof TelemetryConfigError;
  process.stderr.write(`ocs-mcp: ${told ? err.message : 'failed to start'}\n`);
  if (!told) process.stderr.write(`${(err as Error)?.stack ?? String(err)}\n`);
  process.exit(1);
});
