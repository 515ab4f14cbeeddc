import { PassThrough, type Readable, type Writable } from 'node:stream';
import {
  type CallToolResult,
  CLIENT_CAPABILITIES_META_KEY,
  CLIENT_INFO_META_KEY,
  type ClientCapabilities,
  type JSONRPCMessage,
  type MessageExtraInfo,
  PROTOCOL_VERSION_META_KEY,
  parseJSONRPCMessage,
  STDIO_DEFAULT_MAX_BUFFER_SIZE,
  type Transport,
  type TransportSendOptions,
} from '@modelcontextprotocol/server';
import { StdioServerTransport } from '@modelcontextprotocol/server/stdio';
import { LOCAL_PRINCIPAL } from './auth/principal.js';
import { Cancellation } from './cancellation.js';
import { plainModernCapabilities } from './modern-envelope.js';
import type { Runtime } from './runtime.js';
import { callTool } from './tool-kit/call-tool.js';
import type { ToolDefinition } from './tool-kit/define-tool.js';
import { clientCanElicit, type ToolCallRequest } from './tool-kit/invoke-tool.js';
import {
  type Era,
  isPlainObject,
  MODERN_REVISION,
  type PlainToolCall,
  plainToolCall,
  wireCallToolResponseJson,
} from './tool-kit/tool-call-message.js';

/** The one 2025-era revision whose results this path writes (older ones go through the SDK). */
const SERVED_REVISION = '2025-11-25';
/** The envelope keys a plain 2026-07-28 tools/call carries; any other `io.modelcontextprotocol/` key goes to the SDK. */
const MODERN_ENVELOPE_KEYS: ReadonlySet<string> = new Set([
  PROTOCOL_VERSION_META_KEY,
  CLIENT_INFO_META_KEY,
  CLIENT_CAPABILITIES_META_KEY,
]);
const IMPLEMENTATION_KEYS: ReadonlySet<string> = new Set(['name', 'version', 'title']);
const ENVELOPE_PREFIX = 'io.modelcontextprotocol/';
const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;

/**
 * What the fast path knows of the connection's era, read from the messages passing through:
 * - 2025: the initialize request (the client's capabilities), the SDK's result to it (the
 *   negotiated revision) and `notifications/initialized` make it `ready`;
 * - 2026-07-28: the SDK pins a connection to that era when it answers its first enveloped request
 *   other than `server/discover` (serveStdio's opening rules), so a result to that request makes it
 *   `modern`; an error (a bad envelope, an unsupported revision) leaves the connection unopened.
 */
type Opening =
  | { phase: 'none' }
  | { phase: 'initializing'; id: string | number; capabilities: ClientCapabilities | undefined }
  | { phase: 'answered'; capabilities: ClientCapabilities | undefined }
  | { phase: 'ready'; capabilities: ClientCapabilities | undefined }
  | { phase: 'modern-opening'; id: string | number }
  | { phase: 'modern' };

export interface StdioStreams {
  stdin?: Readable;
  stdout?: Writable;
  /** The most an unfinished line may hold, as the SDK's `ReadBuffer` (default 10 MiB). */
  maxBufferSize?: number;
}

/**
 * The stdio transport of `ocs-mcp`: it reads stdin itself, answers plain tools/call requests of an
 * opened connection (2025-11-25 after the handshake, or 2026-07-28 once the SDK has pinned that era)
 * with the same shared {@link callTool} as the HTTP fast path, and hands every other line to the SDK
 * (`serveStdio`), parsed exactly as the SDK's own `StdioServerTransport` parses it. A tools/call
 * taken here skips, besides the SDK's dispatch, its JSON-RPC wire-schema parse of the request, the
 * per-message schema guards of serveStdio's pump and channel, and its per-write promise and
 * listeners: the reply goes out in one `stdout.write` with the answers ready in the same turn (see
 * {@link ToolCallFastStdioTransport.answer}). Until the connection is opened, for an envelope it does
 * not recognise, or when an irreversible tool could elicit, everything goes to the SDK.
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
  private readonly inflight = new Map<string | number, Cancellation>();
  /**
   * The SDK's transport writes what the SDK sends (its send keeps the SDK's back-pressure and
   * stdout error handling); it reads nothing: its stdin is a stream nobody writes to.
   */
  private readonly sdkWire: StdioServerTransport;
  private readonly stdin: Readable;
  private readonly stdout: Writable;
  private readonly maxBufferSize: number;
  /** The start of a line whose newline has not arrived yet. */
  private pending: Buffer | undefined;
  /** Answers ready in this turn of the event loop, not written yet (see {@link answer}). */
  private unwritten = '';
  private flushScheduled = false;
  private closed = false;

  constructor(
    private readonly runtime: Runtime,
    streams: StdioStreams = {},
  ) {
    this.tools = new Map(runtime.tools.map((def) => [def.name, def]));
    this.stdin = streams.stdin ?? process.stdin;
    this.stdout = streams.stdout ?? process.stdout;
    this.maxBufferSize = streams.maxBufferSize ?? STDIO_DEFAULT_MAX_BUFFER_SIZE;
    this.sdkWire = new StdioServerTransport(new PassThrough(), this.stdout);
    this.sdkWire.onclose = () => this.onclose?.();
    this.sdkWire.onerror = (error) => this.onerror?.(error);
  }

  async start(): Promise<void> {
    await this.sdkWire.start();
    if (this.stdin.readableEnded || this.stdin.destroyed) setImmediate(this.onStdinClose);
    this.stdin.on('data', this.onData);
    this.stdin.on('error', this.onStdinError);
    this.stdin.on('end', this.onStdinClose);
    this.stdin.on('close', this.onStdinClose);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const abort of this.inflight.values()) abort.abort();
    this.stdin.off('data', this.onData);
    this.stdin.off('error', this.onStdinError);
    this.stdin.off('end', this.onStdinClose);
    this.stdin.off('close', this.onStdinClose);
    if (this.stdin.listenerCount('data') === 0) this.stdin.pause();
    this.pending = undefined;
    // Answers that were ready before the close still go out, as they would have one by one.
    this.flushAnswers();
    await this.sdkWire.close();
  }

  // The SDK's stdio transport takes no send options (a related request id means nothing on one pipe).
  send(message: JSONRPCMessage, _options?: TransportSendOptions): Promise<void> {
    const opening = this.opening;
    if ((opening.phase === 'initializing' || opening.phase === 'modern-opening') && 'id' in message) {
      if (message.id === opening.id) this.opening = this.openedBy(opening, message);
    }
    return this.sdkWire.send(message);
  }

  private openedBy(opening: Opening & { id: string | number }, answer: JSONRPCMessage): Opening {
    if (!('result' in answer)) return { phase: 'none' };
    if (opening.phase === 'modern-opening') return { phase: 'modern' };
    const version = (answer.result as { protocolVersion?: unknown }).protocolVersion;
    return version === SERVED_REVISION && opening.phase === 'initializing'
      ? { phase: 'answered', capabilities: opening.capabilities }
      : { phase: 'none' };
  }

  private readonly onStdinError = (error: Error) => this.onerror?.(error);
  private readonly onStdinClose = () => void this.close().catch(() => {});

  /** Newline-delimited JSON, split as the SDK's ReadBuffer splits it (a trailing `\r` is dropped). */
  private readonly onData = (chunk: Buffer) => {
    if ((this.pending?.length ?? 0) + chunk.length > this.maxBufferSize) {
      this.pending = undefined;
      this.onerror?.(new Error(`ReadBuffer exceeded maximum size of ${this.maxBufferSize} bytes`));
      void this.close().catch(() => {});
      return;
    }
    const buffer = this.pending ? Buffer.concat([this.pending, chunk]) : chunk;
    this.pending = undefined;
    let start = 0;
    let newline = buffer.indexOf(NEWLINE);
    while (newline !== -1) {
      const end = newline > start && buffer[newline - 1] === CARRIAGE_RETURN ? newline - 1 : newline;
      this.receive(buffer.toString('utf8', start, end));
      if (this.closed) return;
      start = newline + 1;
      newline = buffer.indexOf(NEWLINE, start);
    }
    if (start < buffer.length) this.pending = buffer.subarray(start);
  };

  private receive(line: string): void {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      return; // the SDK's ReadBuffer skips a line that is not JSON, silently
    }
    if (this.take(value)) return;
    let message: JSONRPCMessage;
    try {
      message = parseJSONRPCMessage(value);
    } catch (error) {
      this.onerror?.(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    this.observeOpening(message);
    this.onmessage?.(message);
  }

  /** Follows the opening exchange on the messages the SDK gets (see {@link Opening}). */
  private observeOpening(message: JSONRPCMessage): void {
    const m = message as Record<string, unknown>;
    const opening = this.opening;
    if (opening.phase === 'none' && 'id' in m && typeof m.method === 'string') {
      const params = isPlainObject(m.params) ? m.params : {};
      if (m.method === 'initialize') {
        const capabilities = isPlainObject(params.capabilities)
          ? (params.capabilities as ClientCapabilities)
          : undefined;
        this.opening = { phase: 'initializing', id: m.id as string | number, capabilities };
      } else if (
        m.method !== 'server/discover' &&
        isPlainObject(params._meta) &&
        params._meta[PROTOCOL_VERSION_META_KEY] === MODERN_REVISION
      ) {
        this.opening = { phase: 'modern-opening', id: m.id as string | number };
      }
    } else if (opening.phase === 'answered' && m.method === 'notifications/initialized') {
      this.opening = { phase: 'ready', capabilities: opening.capabilities };
    }
  }

  /** True when the message was taken here (a tools/call being answered); the SDK never sees it. */
  private take(value: unknown): boolean {
    const opening = this.opening;
    if (opening.phase !== 'ready' && opening.phase !== 'modern') return false;
    if (!isPlainObject(value)) return false;
    if (value.method === 'notifications/cancelled') {
      // Aborts a call in flight here; the SDK gets the notification too (it settles its own ids).
      if (isPlainObject(value.params)) this.inflight.get(value.params.requestId as string | number)?.abort();
      return false;
    }
    const call = plainToolCall(value);
    if (!call) return false;
    const def = this.tools.get(call.name);
    if (!def || this.inflight.has(call.id)) return false;
    const era: Era = opening.phase === 'modern' ? 'modern' : 'legacy';
    if (era === 'modern' ? !plainModernEnvelope(call.meta) : hasEnvelopeKey(call.meta)) return false;
    const canElicit = clientCanElicit(
      era === 'modern' ? call.meta : undefined,
      'capabilities' in opening ? opening.capabilities : undefined,
    );
    // The SDK drives the elicitation round (elicitation/create, or input_required in 2026).
    if (canElicit && def.confirm) return false;
    this.serve(def, call, era, canElicit);
    return true;
  }

  private serve(def: ToolDefinition, call: PlainToolCall, era: Era, canElicit: boolean): void {
    // A plain Cancellation, not an AbortController: every Node 20 AbortSignal is promoted out of the
    // young generation (src/cancellation.ts).
    const abort = new Cancellation();
    this.inflight.set(call.id, abort);
    const request: ToolCallRequest = {
      id: call.id,
      meta: call.meta,
      signal: abort,
      headers: undefined,
      canElicit,
    };
    this.served++;
    void callTool(def, call.arguments, request, this.runtime, LOCAL_PRINCIPAL)
      .then((result) => {
        if (result.resultType === 'input_required')
          throw new Error(`${def.name} asked for input on a request that cannot answer it`);
        return wireCallToolResponseJson(result as CallToolResult, era, call.id);
      })
      .catch((error: unknown) => {
        this.onerror?.(error instanceof Error ? error : new Error(String(error)));
        // What serveStdio answers when serving a request throws: the client is not left waiting.
        return JSON.stringify({
          jsonrpc: '2.0',
          id: call.id,
          error: { code: -32603, message: 'Internal server error' },
        });
      })
      .then((answer) => {
        this.inflight.delete(call.id);
        // A cancelled request gets no answer (the SDK's Protocol drops it too).
        if (abort.aborted || this.closed) return;
        this.answer(answer);
      });
  }

  /**
   * Writes one answer line. stdout on a pipe is written synchronously, and every write wakes the
   * client: under load several OCS answers arrive in one poll of the event loop, and one write per
   * answer cost each of them a write, a wake-up of the client and a read on its side. So while other
   * calls are in flight here, an answer waits for the end of the poll phase (setImmediate), and every
   * answer that became ready by then goes out in one write; the last call in flight (one call at a
   * time: every call) is written at once, with whatever is waiting.
   */
  private answer(json: string): void {
    this.unwritten += `${json}\n`;
    if (this.inflight.size === 0) this.flushAnswers();
    else if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(this.flushAnswers);
    }
  }

  private readonly flushAnswers = () => {
    this.flushScheduled = false;
    const lines = this.unwritten;
    if (lines === '') return;
    this.unwritten = '';
    this.stdout.write(lines);
  };
}

/** Any `io.modelcontextprotocol/` key: a 2026 envelope on a 2025 connection is the SDK's to refuse. */
function hasEnvelopeKey(meta: Record<string, unknown> | undefined): boolean {
  if (!meta) return false;
  for (const key in meta) if (key.startsWith(ENVELOPE_PREFIX)) return true;
  return false;
}

/**
 * The envelope every 2026-07-28 client sends, in the one shape the SDK is known to accept: this
 * revision, client info of name and version, capabilities the schema takes as they are, no other
 * envelope key (a log level, a revision claim of another kind: the SDK validates and answers those).
 */
function plainModernEnvelope(meta: Record<string, unknown> | undefined): boolean {
  if (!meta || meta[PROTOCOL_VERSION_META_KEY] !== MODERN_REVISION) return false;
  for (const key in meta) if (key.startsWith(ENVELOPE_PREFIX) && !MODERN_ENVELOPE_KEYS.has(key)) return false;
  const info = meta[CLIENT_INFO_META_KEY];
  if (!isPlainObject(info) || typeof info.name !== 'string' || typeof info.version !== 'string') return false;
  for (const key in info) if (!IMPLEMENTATION_KEYS.has(key) || typeof info[key] !== 'string') return false;
  // Capabilities whose fields the SDK's schema would check go to the SDK, which refuses bad ones.
  // (The progress token's type is plainToolCall's to check, for both eras.)
  return plainModernCapabilities(meta[CLIENT_CAPABILITIES_META_KEY]);
}
