import type {
  CallToolResult,
  ClientCapabilities,
  JSONRPCMessage,
  MessageExtraInfo,
  Transport,
  TransportSendOptions,
} from '@modelcontextprotocol/server';
import { LOCAL_PRINCIPAL } from './auth/principal.js';
import type { Runtime } from './runtime.js';
import { callTool } from './tool-kit/call-tool.js';
import type { ToolDefinition } from './tool-kit/define-tool.js';
import { clientCanElicit, type ToolCallRequest } from './tool-kit/invoke-tool.js';
import { isPlainObject, plainToolCall, wireCallToolResult } from './tool-kit/tool-call-message.js';

/** The one 2025-era revision whose results this path writes (older ones go through the SDK). */
const SERVED_REVISION = '2025-11-25';

type Opening =
  | { phase: 'none' }
  | { phase: 'initializing'; id: string | number; capabilities: ClientCapabilities | undefined }
  | { phase: 'answered'; capabilities: ClientCapabilities | undefined }
  | { phase: 'ready'; capabilities: ClientCapabilities | undefined };

/**
 * A stdio transport that answers plain tools/call requests of an initialized 2025-11-25 connection
 * itself and hands every other message to the SDK (`serveStdio`) unchanged: the same shared
 * {@link callTool} as the HTTP fast path, on one long-lived connection, without the SDK's per-message
 * JSON-RPC guards, wire-schema round trip and dispatch. The connection state it needs is read from the
 * messages passing through: the initialize request (the client's capabilities), the SDK's result to it
 * (the negotiated revision) and `notifications/initialized`. Until then, on a 2026-07-28 connection
 * (served by the SDK, which pins the instance), or when an irreversible tool could elicit, everything
 * goes to the SDK.
 */
export class ToolCallFastStdioTransport implements Transport {
  onclose?: (() => void) | undefined;
  onerror?: ((error: Error) => void) | undefined;
  onmessage?: (<T extends JSONRPCMessage>(message: T, extra?: MessageExtraInfo) => void) | undefined;
  /** tools/call answered here so far (tests check the path is taken). */
  served = 0;
  private opening: Opening = { phase: 'none' };
  private readonly tools: Map<string, ToolDefinition>;
  /** Calls in flight here, so that `notifications/cancelled` aborts them as the SDK would. */
  private readonly inflight = new Map<string | number, AbortController>();

  constructor(
    private readonly inner: Transport,
    private readonly runtime: Runtime,
  ) {
    this.tools = new Map(runtime.tools.map((def) => [def.name, def]));
    inner.onclose = () => this.onclose?.();
    inner.onerror = (error) => this.onerror?.(error);
    inner.onmessage = (message, extra) => {
      if (!this.intercept(message)) this.onmessage?.(message, extra);
    };
  }

  start(): Promise<void> {
    return this.inner.start();
  }

  close(): Promise<void> {
    for (const abort of this.inflight.values()) abort.abort();
    return this.inner.close();
  }

  send(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
    const opening = this.opening;
    if (opening.phase === 'initializing' && 'id' in message && message.id === opening.id) {
      const version =
        'result' in message ? (message.result as { protocolVersion?: unknown }).protocolVersion : undefined;
      this.opening =
        version === SERVED_REVISION
          ? { phase: 'answered', capabilities: opening.capabilities }
          : { phase: 'none' };
    }
    return this.inner.send(message, options);
  }

  /** True when the message was taken here (a tools/call being answered); the SDK never sees it. */
  private intercept(message: JSONRPCMessage): boolean {
    const m = message as Record<string, unknown>;
    const opening = this.opening;
    if (opening.phase !== 'ready') {
      if (opening.phase === 'none' && m.method === 'initialize' && 'id' in m) {
        const params = isPlainObject(m.params) ? m.params : {};
        const capabilities = isPlainObject(params.capabilities)
          ? (params.capabilities as ClientCapabilities)
          : undefined;
        this.opening = { phase: 'initializing', id: m.id as string | number, capabilities };
      } else if (opening.phase === 'answered' && m.method === 'notifications/initialized') {
        this.opening = { phase: 'ready', capabilities: opening.capabilities };
      }
      return false;
    }
    if (m.method === 'notifications/cancelled' && isPlainObject(m.params)) {
      const id = m.params.requestId as string | number;
      this.inflight.get(id)?.abort(m.params.reason);
      return false;
    }
    const call = plainToolCall(message);
    if (!call) return false;
    const def = this.tools.get(call.name);
    // A 2026 envelope on a 2025 connection is the SDK's to refuse.
    if (!def || (call.meta && Object.keys(call.meta).some((k) => k.startsWith('io.modelcontextprotocol/'))))
      return false;
    const canElicit = clientCanElicit(undefined, opening.capabilities);
    if (canElicit && def.confirm) return false;
    if (this.inflight.has(call.id)) return false;
    const abort = new AbortController();
    this.inflight.set(call.id, abort);
    const request: ToolCallRequest = {
      id: call.id,
      meta: call.meta,
      signal: abort.signal,
      headers: undefined,
      canElicit,
    };
    this.served++;
    void callTool(def, call.arguments, request, this.runtime, LOCAL_PRINCIPAL)
      .then((result) => {
        // A cancelled request gets no answer (the SDK's Protocol drops it too).
        if (abort.signal.aborted) return;
        return this.inner.send({
          result: wireCallToolResult(result as CallToolResult, 'legacy'),
          jsonrpc: '2.0',
          id: call.id,
        } as JSONRPCMessage);
      })
      .catch((error: unknown) => this.onerror?.(error instanceof Error ? error : new Error(String(error))))
      .finally(() => this.inflight.delete(call.id));
    return true;
  }
}
