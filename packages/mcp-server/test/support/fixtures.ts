import type { RunningEmulator } from '@ocsai/emulator';
import { afterAll, beforeAll } from 'vitest';
import type { McpConfig } from '../../src/config.js';
import { type McpHttpServerHandle, startMcpHttpServer } from '../../src/http.js';
import { closeRuntime } from '../../src/runtime.js';
import { startTestEmulator, testConfig } from '../helpers.js';

/** A test file's OCS emulator and MCP config; its fields are set in beforeAll and closed in afterAll. */
export interface EmulatorFixture {
  emulator: RunningEmulator;
  config: McpConfig;
}

export interface HttpFixture extends EmulatorFixture {
  http: McpHttpServerHandle;
}

/** An in-memory emulator and an MCP config pointing at it (env on top of the test defaults). */
export function useEmulator(env: Record<string, string> = {}): EmulatorFixture {
  const fx = {} as EmulatorFixture;
  beforeAll(async () => {
    fx.emulator = await startTestEmulator();
    fx.config = testConfig(fx.emulator.url, env);
  });
  afterAll(async () => {
    if (fx.config) await closeRuntime(fx.config);
    await fx.emulator?.close();
  });
  return fx;
}

/** {@link useEmulator} plus `ocs-mcp --http` on a free port, closed before the runtime and the emulator. */
export function useMcpHttpServer(
  env: Record<string, string> = {},
  options: { fastPath?: boolean } = {},
): HttpFixture {
  const fx = useEmulator(env) as HttpFixture;
  beforeAll(async () => {
    fx.http = await startMcpHttpServer({ ...fx.config, port: 0, ...options });
  });
  // Registered after useEmulator's hook, so vitest runs it first (afterAll hooks run in reverse).
  afterAll(async () => {
    await fx.http?.close();
  });
  return fx;
}
