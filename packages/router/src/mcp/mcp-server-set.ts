import { createHash } from 'node:crypto';
import { McpCallError, shortMessage } from './mcp-call-error.js';
import type { McpConfig } from './mcp-config.js';
import { loadMcpSdk } from './mcp-sdk.js';
import {
  type McpCallOptions,
  type McpCallOutcome,
  type McpConnectionOptions,
  McpServerConnection,
} from './mcp-server-connection.js';
import { type ToolTraits, toolTraits } from './tool-traits.js';

/** A tool of one configured server, as the router offers it to models. */
export interface McpTool {
  /** The name the model sees and calls: plain, or `<server>__<tool>` when several servers are configured. */
  exposedName: string;
  /** `<server>__<tool>`, whatever the namespacing; role patterns may use either form. */
  qualifiedName: string;
  server: string;
  /** The tool's own name on its server. */
  name: string;
  description: string;
  inputSchema: Record<string, unknown>;
  traits: ToolTraits;
  trusted: boolean;
}

export interface ToolListing {
  tools: McpTool[];
  /** Servers that could not list their tools this time (down, timing out...). */
  unavailable: { server: string; message: string }[];
}

export const NAMESPACE_SEPARATOR = '__';
/** The strictest provider limit on function names (OpenAI: ^[a-zA-Z0-9_-]{1,64}$). */
const MAX_EXPOSED_NAME = 64;

/** A provider-safe function name; long names keep a hash so they stay unique. */
export function exposedToolName(server: string, tool: string, namespaced: boolean): string {
  const raw = namespaced ? `${server}${NAMESPACE_SEPARATOR}${tool}` : tool;
  const safe = raw.replace(/[^A-Za-z0-9_-]/g, '_');
  if (safe.length <= MAX_EXPOSED_NAME && safe === raw) return safe;
  const hash = createHash('sha256').update(raw).digest('hex').slice(0, 8);
  return `${safe.slice(0, MAX_EXPOSED_NAME - 9)}_${hash}`;
}

/**
 * Every MCP server in the config, behind one surface: lists tools across servers (in parallel,
 * a server that is down contributes nothing and is reported) and routes calls to the right one.
 */
export class McpServerSet {
  readonly #connections = new Map<string, McpServerConnection>();
  readonly #namespaced: boolean;

  constructor(config: McpConfig, options: McpConnectionOptions) {
    for (const server of config.servers)
      this.#connections.set(server.name, new McpServerConnection(server, options));
    this.#namespaced = config.servers.length > 1;
    // Servers are configured: start loading the SDK now, off the first request's path. A failure
    // surfaces (as "unavailable") when a connection is first needed.
    if (config.servers.length > 0) loadMcpSdk().catch(() => {});
  }

  get serverNames(): string[] {
    return [...this.#connections.keys()];
  }

  get size(): number {
    return this.#connections.size;
  }

  get namespaced(): boolean {
    return this.#namespaced;
  }

  connection(server: string): McpServerConnection | undefined {
    return this.#connections.get(server);
  }

  /** Tools of the named servers (all when omitted), in config order then server order. */
  async listTools(servers?: readonly string[]): Promise<ToolListing> {
    const wanted = [...this.#connections.values()].filter((c) => !servers || servers.includes(c.name));
    const settled = await Promise.allSettled(wanted.map((connection) => connection.listTools()));
    const listing: ToolListing = { tools: [], unavailable: [] };
    const seen = new Set<string>();
    settled.forEach((outcome, index) => {
      const connection = wanted[index] as McpServerConnection;
      if (outcome.status === 'rejected') {
        listing.unavailable.push({ server: connection.name, message: shortMessage(outcome.reason) });
        return;
      }
      const { trusted } = connection.config;
      for (const tool of outcome.value) {
        const exposedName = exposedToolName(connection.name, tool.name, this.#namespaced);
        if (seen.has(exposedName)) continue; // a server listing one name twice: first wins
        seen.add(exposedName);
        listing.tools.push({
          exposedName,
          qualifiedName: `${connection.name}${NAMESPACE_SEPARATOR}${tool.name}`,
          server: connection.name,
          name: tool.name,
          description: tool.description ?? tool.title ?? tool.name,
          inputSchema: tool.inputSchema as Record<string, unknown>,
          traits: toolTraits(tool.annotations, trusted),
          trusted,
        });
      }
    });
    return listing;
  }

  async callTool(
    tool: McpTool,
    args: Record<string, unknown>,
    options: McpCallOptions,
  ): Promise<McpCallOutcome> {
    const connection = this.#connections.get(tool.server);
    if (!connection) throw new McpCallError('unavailable', `MCP server "${tool.server}" is not configured`);
    return connection.callTool(tool.name, args, options);
  }

  async close(): Promise<void> {
    await Promise.all([...this.#connections.values()].map((connection) => connection.close()));
  }
}
