import { type AuthInfo, McpServer } from '@modelcontextprotocol/server';
import { hasScope, principalOf, SCOPES } from './auth/principal.js';
import type { McpConfig } from './config.js';
import { registerPrompts } from './prompts/index.js';
import { registerResources } from './resources/index.js';
import { getRuntime } from './runtime.js';
import { SERVER_INFO } from './server-info.js';
import { invokeTool, toolCallRequestOf } from './tool-kit/invoke-tool.js';

export { SERVER_INFO };

/** Narrows what a per-request server registers to what its one request can use. */
export interface ServerScope {
  /** The request is a tools/call of this tool: register it alone (no other tool, resource or prompt). */
  onlyTool?: string | undefined;
}

/** The tool a single JSON-RPC tools/call message names; undefined for anything else (batches included). */
export function calledToolName(message: unknown): string | undefined {
  if (typeof message !== 'object' || message === null || Array.isArray(message)) return undefined;
  const { method, params } = message as { method?: unknown; params?: { name?: unknown } };
  return method === 'tools/call' && typeof params?.name === 'string' ? params.name : undefined;
}

/**
 * A fresh McpServer for one request (HTTP) or one connection (stdio). Cheap: everything heavy
 * (pool, catalogue, tool schemas) is built once per config in the runtime. `authInfo` is the
 * verified credential of an HTTP request: only the tools its scopes allow are registered, so
 * tools/list shows what the token may call (no credential: the local operator, every OCS scope).
 * Registering all 21 tools is most of a request's construction cost, so an HTTP tools/call
 * registers only the tool it calls: an unknown, hidden or out-of-scope name is then refused exactly
 * as before, since it is not registered either way.
 */
export function createOcsMcpServer(
  config: McpConfig,
  authInfo?: AuthInfo,
  scope: ServerScope = {},
): McpServer {
  const runtime = getRuntime(config);
  const principal = principalOf(authInfo);
  const server = new McpServer(SERVER_INFO, {
    capabilities: { tools: {}, resources: {}, prompts: {} },
    instructions: runtime.instructions,
  });
  for (const def of runtime.tools) {
    if (!hasScope(principal, def.requiredScope)) continue;
    if (scope.onlyTool !== undefined && def.name !== scope.onlyTool) continue;
    server.registerTool(def.name, def.registration, (args, ctx) =>
      invokeTool(def, args as Record<string, unknown>, toolCallRequestOf(ctx, server), runtime, principal),
    );
  }
  if (scope.onlyTool !== undefined) return server;
  registerResources(server, runtime, hasScope(principal, SCOPES.read));
  registerPrompts(server, runtime.config);
  return server;
}
