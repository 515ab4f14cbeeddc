/** Builds a ToolLoop over real MCP servers and a real provider adapter talking to a fake upstream. */
import type { HttpServerConfig } from '../../src/mcp/mcp-config.js';
import { McpServerSet } from '../../src/mcp/mcp-server-set.js';
import type { Roles } from '../../src/mcp/roles.js';
import { createProvider, loadProvidersConfig } from '../../src/providers/catalogue.js';
import type { ProviderAdapter, ProviderName } from '../../src/providers/types.js';
import { MemoryPendingConfirmationStore } from '../../src/stores/pending-confirmations/memory.js';
import {
  ToolLoop,
  type ToolLoopEvent,
  type ToolLoopOutcome,
  type ToolLoopSettings,
} from '../../src/tool-loop/tool-loop.js';
import { type FakeScript, type FakeServer, providerEnvFor } from '../fakes/index.js';

export function adapterFor(name: ProviderName, fake: FakeServer): ProviderAdapter {
  return createProvider(name, loadProvidersConfig(providerEnvFor(name, fake)));
}

export function httpServer(name: string, url: string, trusted = true): HttpServerConfig {
  return { name, transport: 'http', url, headers: {}, trusted, protocolVersion: 'auto' };
}

export function createLoop(options: {
  servers: HttpServerConfig[];
  roles?: Roles;
  settings?: Partial<ToolLoopSettings>;
  now?: () => number;
  logger?: { info(object: object, message: string): void };
  /** The bound of the in-process pending confirmation store. */
  pendingMaxEntries?: number;
}) {
  const servers = new McpServerSet(
    { servers: options.servers, roles: options.roles ?? {} },
    { timeoutMs: 5_000, toolsTtlMs: 60_000 },
  );
  const pending = new MemoryPendingConfirmationStore(
    options.pendingMaxEntries === undefined ? {} : { maxEntries: options.pendingMaxEntries },
  );
  const loop = new ToolLoop({
    servers,
    roles: options.roles ?? {},
    pending,
    ...(options.settings ? { settings: options.settings } : {}),
    ...(options.now ? { now: options.now } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
  });
  return {
    loop,
    servers,
    pending,
    async close() {
      await servers.close();
      await pending.close();
    },
  };
}

/** Drains a loop run: every event in order plus the outcome of `done`. */
export async function collect(
  events: AsyncIterable<ToolLoopEvent>,
): Promise<{ events: ToolLoopEvent[]; outcome: ToolLoopOutcome }> {
  const seen: ToolLoopEvent[] = [];
  let outcome: ToolLoopOutcome | undefined;
  for await (const event of events) {
    seen.push(event);
    if (event.type === 'done') outcome = event.outcome;
  }
  if (!outcome) throw new Error('the loop ended without done');
  return { events: seen, outcome };
}

export type { FakeScript };
