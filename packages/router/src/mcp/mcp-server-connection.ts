import type {
  CallToolRequestOptions,
  CallToolResult,
  Client,
  PriorDiscovery,
  Tool,
  Transport,
} from '@modelcontextprotocol/client';
import type { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { injectTraceContext, tracingActive } from '@ocsai/telemetry';
import { ReconnectBackoff } from '../resilience/backoff.js';
import { ROUTER_VERSION } from '../version.js';
import {
  isAbort,
  isConnectionFailure,
  isNotDelivered,
  isTimeout,
  McpCallError,
  shortMessage,
} from './mcp-call-error.js';
import type { McpServerConfig } from './mcp-config.js';
import { loadedMcpSdk, loadMcpSdk } from './mcp-sdk.js';

export interface McpConnectionOptions {
  /** Per call (and per connect) timeout. */
  timeoutMs: number;
  /** How long a fetched tool list is served before it is fetched again. */
  toolsTtlMs: number;
  clientInfo?: { name: string; version: string };
  logger?: { warn(object: object, message: string): void; debug?(object: object, message: string): void };
  now?: () => number;
}

/** A tools/call outcome: a result (possibly isError), or the server asking for input (MRTR). */
export type McpCallOutcome =
  | { kind: 'complete'; result: CallToolResult }
  | { kind: 'input_required'; inputRequests: Record<string, unknown>; requestState?: string };

export interface McpCallOptions {
  signal?: AbortSignal;
  /** Whether the call may be sent again after the connection died mid-call (read-only/idempotent). */
  retryable: boolean;
  /** Answers to a previous input_required result, with its requestState echoed. */
  inputResponses?: Record<string, unknown>;
  requestState?: string;
  /** Sent as the tools/call request's `_meta`: who acts and for whom (`ocs-ai/principal`, `ocs-ai/user_id`). */
  meta?: Record<string, unknown>;
}

const MIN_CONNECT_BACKOFF_MS = 1_000;
const MAX_CONNECT_BACKOFF_MS = 30_000;

/**
 * One configured MCP server: a long-lived SDK client, connected lazily on first use and again
 * after the server went away. Stdio servers are spawned once and kept; HTTP servers are reached
 * per request by the transport.
 *
 * Version negotiation follows the server's `protocolVersion` setting (default `auto`: probe
 * `server/discover`, fall back to `initialize`). The verdict is kept, so a reconnect adopts it
 * without probing again (for stdio that saves the probe's extra process).
 *
 * Elicitation: the client never declares it at connect, so a 2025-era server (which would send a
 * server-to-client request we cannot hold open while a human decides) uses its confirmation-token
 * fallback. On a 2026-07-28 connection each tools/call declares form elicitation in its `_meta`,
 * and `input_required` results come back to the caller untouched (manual MRTR), so the router can
 * ask the human and retry later with `inputResponses` and the echoed `requestState`.
 */
export class McpServerConnection {
  readonly name: string;
  readonly config: McpServerConfig;
  readonly #options: McpConnectionOptions;
  #client: Client | undefined;
  #stdio: StdioClientTransport | undefined;
  #connecting: Promise<Client> | undefined;
  #prior: PriorDiscovery | undefined;
  #tools: { list: Tool[]; fetchedAt: number } | undefined;
  #listing: Promise<Tool[]> | undefined;
  #toolsGeneration = 0;
  #closed = false;
  /** Negative cache: after a failed connect, no new attempt before this time (ms). */
  #retryAt = 0;
  readonly #backoff = new ReconnectBackoff(MIN_CONNECT_BACKOFF_MS, MAX_CONNECT_BACKOFF_MS);
  #lastConnectError = '';

  constructor(config: McpServerConfig, options: McpConnectionOptions) {
    this.name = config.name;
    this.config = config;
    this.#options = options;
  }

  get connected(): boolean {
    return this.#client !== undefined;
  }

  /** The stdio server's process id while connected (for logs and diagnostics). */
  get processId(): number | null {
    return this.#client ? (this.#stdio?.pid ?? null) : null;
  }

  /** The negotiated era of the live connection, if any. */
  get protocolEra(): 'legacy' | 'modern' | undefined {
    return this.#client?.getProtocolEra();
  }

  /** The server's tools: cached for toolsTtlMs, dropped on list_changed and on reconnect. */
  async listTools(): Promise<Tool[]> {
    if (this.#closed) throw new McpCallError('unavailable', `MCP server "${this.name}" is closed`);
    const now = this.#now();
    if (this.#tools && now - this.#tools.fetchedAt < this.#options.toolsTtlMs) return this.#tools.list;
    if (this.#listing) return this.#listing;
    const generation = this.#toolsGeneration;
    this.#listing = this.#fetchTools()
      .then((list) => {
        if (generation === this.#toolsGeneration) this.#tools = { list, fetchedAt: this.#now() };
        return list;
      })
      .finally(() => {
        this.#listing = undefined;
      });
    return this.#listing;
  }

  invalidateTools(): void {
    this.#toolsGeneration += 1;
    this.#tools = undefined;
  }

  async callTool(
    name: string,
    args: Record<string, unknown>,
    options: McpCallOptions,
  ): Promise<McpCallOutcome> {
    const client = await this.#connected(name);
    try {
      return await this.#call(client, name, args, options);
    } catch (error) {
      if (!isConnectionFailure(error) || isAbort(error, options.signal))
        throw this.#mapError(error, name, options);
      this.#drop(client);
      if (!options.retryable && !isNotDelivered(error)) {
        throw new McpCallError(
          'connection_lost',
          `The connection to MCP server "${this.name}" failed during ${name}; the call was not repeated because ${name} is not known to be read-only or idempotent, so whether it took effect is unknown. Check the current state before trying again.`,
          { cause: error },
        );
      }
      this.#options.logger?.warn(
        { server: this.name, tool: name },
        'MCP connection failed; reconnecting once',
      );
      const fresh = await this.#connected(name);
      try {
        return await this.#call(fresh, name, args, options);
      } catch (retryError) {
        if (isConnectionFailure(retryError)) this.#drop(fresh);
        throw this.#mapError(retryError, name, options);
      }
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    const client = this.#client;
    this.#client = undefined;
    const connecting = this.#connecting;
    this.#connecting = undefined;
    await client?.close().catch(() => {});
    await connecting?.then((late) => late.close()).catch(() => {});
  }

  async #fetchTools(): Promise<Tool[]> {
    const client = await this.#connected('tools/list');
    try {
      return (await client.listTools(undefined, { timeout: this.#options.timeoutMs })).tools;
    } catch (error) {
      if (!isConnectionFailure(error)) throw this.#mapError(error, 'tools/list', { retryable: true });
      this.#drop(client);
      const fresh = await this.#connected('tools/list');
      try {
        return (await fresh.listTools(undefined, { timeout: this.#options.timeoutMs })).tools;
      } catch (retryError) {
        throw this.#mapError(retryError, 'tools/list', { retryable: true });
      }
    }
  }

  async #call(
    client: Client,
    name: string,
    args: Record<string, unknown>,
    options: McpCallOptions,
  ): Promise<McpCallOutcome> {
    // inputResponses / requestState are 2026-07-28 retry params the SDK passes through untyped.
    const params: Record<string, unknown> = { name, arguments: args };
    if (options.meta) params._meta = { ...options.meta };
    if (client.getProtocolEra() === 'modern') {
      // A client exists, so the SDK is loaded.
      const { CLIENT_CAPABILITIES_META_KEY } = await loadMcpSdk();
      params._meta = {
        ...(params._meta as Record<string, unknown> | undefined),
        [CLIENT_CAPABILITIES_META_KEY]: { elicitation: { form: {} } },
      };
      if (options.inputResponses) params.inputResponses = options.inputResponses;
      if (options.requestState !== undefined) params.requestState = options.requestState;
    }
    // The MCP server continues the trace from `_meta` (MCP 2026-07-28), whatever the transport.
    if (tracingActive()) params._meta = injectTraceContext({ ...(params._meta as Record<string, unknown>) });
    const callOptions: CallToolRequestOptions = {
      timeout: this.#options.timeoutMs,
      maxTotalTimeout: this.#options.timeoutMs,
      allowInputRequired: true,
      ...(options.signal ? { signal: options.signal } : {}),
    };
    if (client.getProtocolEra() === 'modern') {
      // SDK 2.4 validates an input_required answer against the tool's outputSchema and rejects it
      // ("has an output schema but did not return structured content"). Handing callTool the
      // listed definition without outputSchema skips that check; results are untrusted data to
      // the router anyway, and x-mcp-header mirroring still sees the inputSchema.
      const listed = this.#tools?.list.find((tool) => tool.name === name);
      const { outputSchema: _unused, ...definition } = listed ?? {
        name,
        inputSchema: { type: 'object' as const },
      };
      callOptions.toolDefinition = definition as Tool;
    }
    const result = (await client.callTool(
      params as Parameters<Client['callTool']>[0],
      callOptions,
    )) as CallToolResult & {
      resultType?: string;
      inputRequests?: Record<string, unknown>;
      requestState?: string;
    };
    if (result.resultType === 'input_required') {
      const outcome: McpCallOutcome = { kind: 'input_required', inputRequests: result.inputRequests ?? {} };
      if (result.requestState !== undefined) outcome.requestState = result.requestState;
      return outcome;
    }
    return { kind: 'complete', result };
  }

  #mapError(
    error: unknown,
    what: string,
    options: Pick<McpCallOptions, 'signal' | 'retryable'>,
  ): McpCallError {
    if (error instanceof McpCallError) return error;
    if (isAbort(error, options.signal)) {
      return new McpCallError('aborted', `The call to ${what} on MCP server "${this.name}" was cancelled`, {
        cause: error,
      });
    }
    if (isTimeout(error)) {
      return new McpCallError(
        'timeout',
        `MCP server "${this.name}" did not answer ${what} within ${this.#options.timeoutMs} ms`,
        { cause: error },
      );
    }
    const sdk = loadedMcpSdk();
    if (sdk && error instanceof sdk.ProtocolError) {
      return new McpCallError(
        'protocol',
        `MCP server "${this.name}" refused ${what}: ${shortMessage(error)}`,
        {
          cause: error,
        },
      );
    }
    if (isConnectionFailure(error)) {
      return new McpCallError(
        'unavailable',
        `MCP server "${this.name}" is unavailable: ${shortMessage(error)}`,
        {
          cause: error,
        },
      );
    }
    return new McpCallError('protocol', `MCP server "${this.name}" failed ${what}: ${shortMessage(error)}`, {
      cause: error,
    });
  }

  async #connected(what: string): Promise<Client> {
    if (this.#closed) throw new McpCallError('unavailable', `MCP server "${this.name}" is closed`);
    if (this.#client) return this.#client;
    // A server that refused us recently is not tried again on every request: the caller goes on
    // without its tools until the backoff (1 s doubling to 30 s) has passed.
    if (!this.#connecting && this.#now() < this.#retryAt) {
      throw new McpCallError(
        'unavailable',
        `MCP server "${this.name}" is unavailable (could not connect for ${what}): ${this.#lastConnectError}`,
      );
    }
    this.#connecting ??= this.#connect()
      .then(
        (client) => {
          this.#backoff.reset();
          this.#retryAt = 0;
          return client;
        },
        (error: unknown) => {
          const backoffMs = this.#backoff.next();
          this.#retryAt = this.#now() + backoffMs;
          this.#lastConnectError = shortMessage(error);
          this.#options.logger?.warn(
            { server: this.name, retry_in_ms: backoffMs, err: this.#lastConnectError },
            'MCP server unreachable; its tools are left out until the next attempt',
          );
          throw error;
        },
      )
      .finally(() => {
        this.#connecting = undefined;
      });
    try {
      return await this.#connecting;
    } catch (error) {
      throw new McpCallError(
        'unavailable',
        `MCP server "${this.name}" is unavailable (could not connect for ${what}): ${shortMessage(error)}`,
        { cause: error },
      );
    }
  }

  async #connect(): Promise<Client> {
    const { config } = this;
    const mode = config.protocolVersion;
    const { Client } = await loadMcpSdk();
    const client = new Client(
      this.#options.clientInfo ?? { name: 'ocs-ai-router', version: ROUTER_VERSION },
      {
        versionNegotiation: { mode: mode === 'auto' || mode === 'legacy' ? mode : { pin: mode } },
        inputRequired: { autoFulfill: false },
        // Over stdio, notifications share the pipe; over HTTP we rely on the TTL instead of
        // holding a listen stream open per server.
        ...(config.transport === 'stdio'
          ? {
              listChanged: {
                tools: { autoRefresh: false, debounceMs: 0, onChanged: () => this.invalidateTools() },
              },
            }
          : {}),
      },
    );
    client.onclose = () => {
      if (this.#client === client) {
        this.#client = undefined;
        this.invalidateTools();
      }
    };
    client.onerror = (error) =>
      this.#options.logger?.debug?.({ server: this.name, err: shortMessage(error) }, 'MCP transport error');
    try {
      await client.connect(await this.#transport(), {
        timeout: this.#options.timeoutMs,
        ...(this.#prior ? { prior: this.#prior } : {}),
      });
    } catch (error) {
      await client.close().catch(() => {});
      // A remembered verdict may be stale (the server was upgraded or replaced): probe next time.
      this.#prior = undefined;
      throw error;
    }
    if (this.#closed) {
      await client.close().catch(() => {});
      throw new McpCallError('unavailable', `MCP server "${this.name}" is closed`);
    }
    const discover = client.getDiscoverResult();
    if (client.getProtocolEra() === 'modern' && discover) this.#prior = { kind: 'modern', discover };
    else if (client.getProtocolEra() === 'legacy' && mode !== 'legacy') this.#prior = { kind: 'legacy' };
    this.#client = client;
    return client;
  }

  async #transport(): Promise<Transport> {
    const { config } = this;
    if (config.transport === 'http') {
      const { StreamableHTTPClientTransport } = await loadMcpSdk();
      return new StreamableHTTPClientTransport(new URL(config.url), {
        requestInit: { headers: config.headers },
        // The W3C header too, for proxies and HTTP instrumentation in front of the server.
        ...(tracingActive() ? { fetch: tracedFetch } : {}),
      });
    }
    // The SDK adds only HOME, LOGNAME, PATH, SHELL, TERM and USER; everything else the server
    // needs must be in the config's env (expanded from ours), so our secrets are not inherited.
    const { StdioClientTransport } = await import('@modelcontextprotocol/client/stdio');
    this.#stdio = new StdioClientTransport({
      command: config.command,
      args: config.args,
      env: config.env,
      stderr: 'inherit',
      ...(config.cwd ? { cwd: config.cwd } : {}),
    });
    return this.#stdio;
  }

  #drop(client: Client): void {
    if (this.#client === client) this.#client = undefined;
    this.invalidateTools();
    client.close().catch(() => {});
  }

  #now(): number {
    return (this.#options.now ?? Date.now)();
  }
}

/** fetch with the active span's traceparent header. */
function tracedFetch(url: string | URL, init?: RequestInit): Promise<Response> {
  const headers = injectTraceContext(new Headers(init?.headers));
  return fetch(url, { ...init, headers });
}
