import { Writable } from 'node:stream';
import { type Logger, pino } from 'pino';
import { loadRouterConfig } from '../../src/config.js';
import { createRouterApp } from '../../src/http/app.js';
import { REDACT_PATHS } from '../../src/logger.js';
import { RouterMetrics } from '../../src/metrics.js';
import { ProviderRegistry } from '../../src/providers/registry.js';
import { PROVIDER_NAMES, type ProviderName } from '../../src/providers/types.js';
import type { ContextStore } from '../../src/stores/context/context-store.js';
import { MemoryContextStore } from '../../src/stores/context/memory.js';
import { ScriptedAdapter } from './scripted-adapter.js';

/** Collects pino's JSON lines in memory. */
export function captureLogs(level = 'debug'): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { logger: pino({ level, redact: { paths: REDACT_PATHS, censor: '[redacted]' } }, sink), lines };
}

/** A router app over scripted adapters: every provider except those in `unconfigured` works. */
export function createTestRouter(
  options: {
    env?: Record<string, string>;
    unconfigured?: ProviderName[];
    store?: ContextStore;
    logger?: Logger;
    consoleDir?: string;
  } = {},
) {
  const config = loadRouterConfig({ LLM_PROVIDER: 'openai', ROUTER_STORE: 'memory', ...options.env });
  const adapters = Object.fromEntries(
    PROVIDER_NAMES.map((name) => [name, new ScriptedAdapter(name)]),
  ) as Record<ProviderName, ScriptedAdapter>;
  const unconfigured = new Set(options.unconfigured ?? []);
  const providers = new ProviderRegistry({
    defaultProvider: config.LLM_PROVIDER,
    create: (name) => {
      if (unconfigured.has(name)) throw new Error(`Provider ${name} needs ${name.toUpperCase()}_API_KEY`);
      return adapters[name];
    },
    isConfigured: (name) => !unconfigured.has(name),
  });
  const store = options.store ?? new MemoryContextStore();
  const metrics = new RouterMetrics();
  const logger = options.logger ?? pino({ level: 'silent' });
  const app = createRouterApp({ config, providers, store, logger, metrics, consoleDir: options.consoleDir });
  return { app, adapters, store, providers, metrics, config };
}

export const json = (body: unknown, headers: Record<string, string> = {}): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});

/** Parses an SSE body into {event, data} pairs. */
export function parseSse(text: string): { event: string; data: unknown }[] {
  return text
    .split('\n\n')
    .filter((frame) => frame.trim())
    .map((frame) => {
      let event = 'message';
      let data = '';
      for (const line of frame.split('\n')) {
        if (line.startsWith('event: ')) event = line.slice(7);
        else if (line.startsWith('data: ')) data += line.slice(6);
      }
      return { event, data: data === '[DONE]' ? data : JSON.parse(data) };
    });
}
