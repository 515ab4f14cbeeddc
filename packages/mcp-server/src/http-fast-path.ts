import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  type AuthInfo,
  type CallToolResult,
  CLIENT_CAPABILITIES_META_KEY,
  CLIENT_INFO_META_KEY,
  classifyInboundRequest,
  isJsonContentType,
  LOG_LEVEL_META_KEY,
  PROTOCOL_VERSION_META_KEY,
  SUPPORTED_PROTOCOL_VERSIONS,
} from '@modelcontextprotocol/server';
import { hasScope, principalOf } from './auth/principal.js';
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

/** The pre-2026 revisions the SDK supports (the SDK compares revisions as strings, as dates). */
const LEGACY_REVISIONS: ReadonlySet<string> = new Set(
  SUPPORTED_PROTOCOL_VERSIONS.filter((revision) => revision < MODERN_REVISION),
);

/** One header's value as sent, or undefined when absent; a repeated header counts as unusual. */
function header(req: IncomingMessage, name: string): string | undefined | null {
  const value = req.headers[name];
  if (value === undefined) return undefined;
  return typeof value === 'string' ? value : null;
}

/**
 * Which era the SDK would serve this tools/call in, or undefined when the SDK could answer anything
 * but a dispatch to the tool (a rejection, a session, an unusual header): the SDK path then takes it.
 * The era itself is decided by the SDK's exported classifier, so both paths classify alike; the
 * checks around it are the SDK's own pre-dispatch gates, kept strict (exact header values only).
 */
export function servedEra(req: IncomingMessage, body: unknown, call: PlainToolCall): Era | undefined {
  const protocolVersion = header(req, 'mcp-protocol-version');
  const mcpMethod = header(req, 'mcp-method');
  const mcpName = header(req, 'mcp-name');
  if (protocolVersion === null || mcpMethod === null || mcpName === null) return undefined;
  if (isPlainLegacyRequest(call, protocolVersion)) return legacyGates(req, protocolVersion);
  if (isPlainModernRequest(call, protocolVersion, mcpMethod, mcpName)) return 'modern';
  const route = classifyInboundRequest({
    httpMethod: 'POST',
    ...(protocolVersion !== undefined ? { protocolVersionHeader: protocolVersion } : {}),
    ...(mcpMethod !== undefined ? { mcpMethodHeader: mcpMethod } : {}),
    ...(mcpName !== undefined ? { mcpNameHeader: mcpName } : {}),
    body,
  });
  if (route.kind === 'modern') {
    // serveModern: a supported revision, the SEP-2243 standard headers present and equal to the body
    // (no OWS, no Base64 sentinel: those go to the SDK), and the envelope checkInboundEnvelope wants.
    if (route.messageKind !== 'request') return undefined;
    const revision = route.classification.revision;
    if (revision !== MODERN_REVISION) return undefined;
    if (protocolVersion !== revision || mcpMethod !== 'tools/call' || mcpName !== call.name) return undefined;
    const meta = call.meta;
    if (meta?.[PROTOCOL_VERSION_META_KEY] !== revision) return undefined;
    if (!isPlainObject(meta[CLIENT_CAPABILITIES_META_KEY]) || LOG_LEVEL_META_KEY in meta) return undefined;
    return 'modern';
  }
  if (route.kind === 'legacy' && route.reason === 'no-claim') return legacyGates(req, protocolVersion);
  return undefined;
}

/**
 * What the SDK's classifier answers without running it: a plain tools/call (which
 * {@link plainToolCall} has already checked is a JSON-RPC request and nothing else) whose `_meta`
 * makes no protocol-version claim, under no MCP-Protocol-Version header or a pre-2026 one, is
 * `legacy`/`no-claim` (classifyRequestBody in @modelcontextprotocol/server). Deciding it here skips
 * the classifier's guards, which run the whole body through zod as a result and as an error
 * response first and build the failures' issues on every call. A differential test holds this to
 * the classifier's answer.
 */
function isPlainLegacyRequest(call: PlainToolCall, protocolVersion: string | undefined): boolean {
  if (call.meta !== undefined && PROTOCOL_VERSION_META_KEY in call.meta) return false;
  return protocolVersion === undefined || LEGACY_REVISIONS.has(protocolVersion);
}

const ENVELOPE_PREFIX = 'io.modelcontextprotocol/';
const IMPLEMENTATION_KEYS: ReadonlySet<string> = new Set(['name', 'version', 'title']);

/**
 * What the SDK's classifier answers without running it, for the other era: a plain tools/call whose
 * standard headers name 2026-07-28, `tools/call` and the tool exactly, and whose `_meta` is an
 * envelope in the one shape the classifier's schemas are known to accept (this revision, client
 * info of string name, version and title only, capabilities whose read keys hold `{}`, no log
 * level, no progress token, no other `io.modelcontextprotocol/` key; keys outside that namespace
 * pass the SDK's loose `_meta` schemas unread), is `modern`/`request` of that revision. Deciding it
 * here skips the three whole-body zod guards the classifier runs first (the request guard and the
 * two failing response guards) and the envelope parse. Anything else goes to the classifier as
 * before; a differential test holds this to the classifier's answer.
 */
export function isPlainModernRequest(
  call: PlainToolCall,
  protocolVersion: string | undefined,
  mcpMethod: string | undefined,
  mcpName: string | undefined,
): boolean {
  if (protocolVersion !== MODERN_REVISION) return false;
  if (mcpMethod !== 'tools/call' || mcpName !== call.name) return false;
  const meta = call.meta;
  if (meta === undefined || meta[PROTOCOL_VERSION_META_KEY] !== protocolVersion) return false;
  for (const key in meta) {
    if (key === PROTOCOL_VERSION_META_KEY) continue;
    if (key === CLIENT_CAPABILITIES_META_KEY) {
      if (!plainModernCapabilities(meta[key])) return false;
    } else if (key === CLIENT_INFO_META_KEY) {
      const info = meta[key];
      if (!isPlainObject(info) || typeof info.name !== 'string' || typeof info.version !== 'string')
        return false;
      for (const name in info)
        if (!IMPLEMENTATION_KEYS.has(name) || typeof info[name] !== 'string') return false;
    } else if (key === 'progressToken' || key.startsWith(ENVELOPE_PREFIX)) return false;
  }
  return CLIENT_CAPABILITIES_META_KEY in meta;
}

/** The stateless 2025 transport's gates: Accept, a supported MCP-Protocol-Version, no session. */
function legacyGates(req: IncomingMessage, protocolVersion: string | undefined): Era | undefined {
  const accept = header(req, 'accept');
  if (!accept?.includes('application/json') || !accept.includes('text/event-stream')) return undefined;
  if (protocolVersion !== undefined && !LEGACY_REVISIONS.has(protocolVersion)) return undefined;
  if (req.headers['mcp-session-id'] !== undefined) return undefined;
  return 'legacy';
}

/**
 * The 2025 stateless transport answers a request on an SSE stream holding one `message` event. The
 * fast path has that one event in hand before it answers, so the stream is framed by Content-Length
 * (an SSE body with a length is plain HTTP, and every SSE reader, the SDK client included, reads it):
 * Node then sends the head and the event as one string (a writev(2) of that and an empty last piece),
 * where the chunked framing took five pieces (head, chunk size, event, CRLF, last chunk) and the
 * chunk-size string. No `connection` header: Node keeps the connection alive or closes it as the
 * request asked (a `keep-alive` here kept it open even after a client's `Connection: close`).
 */
function sseHeaders(event: string) {
  return {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache, no-transform',
    'x-accel-buffering': 'no',
    'content-length': Buffer.byteLength(event),
  };
}

export interface ToolCallFastPath {
  /**
   * Answers `body` (already read, size-capped, parsed and scope-checked by the HTTP layer) when it
   * is a plain tools/call of a tool this credential may call, in a shape the SDK would dispatch to
   * that tool; returns false, having done nothing, for everything else.
   */
  serve(
    req: IncomingMessage,
    res: ServerResponse,
    body: unknown,
    authInfo: AuthInfo | undefined,
  ): Promise<boolean>;
}

/**
 * The hot path of the Streamable HTTP endpoint: a single JSON-RPC tools/call, in either era, served
 * without the SDK's per-request McpServer, Protocol and transport (which cost ~1 ms of CPU per call
 * for work a stateless tools/call does not need: see the README, "The tools/call fast path").
 * The tool table is built once per process; the tool's own schemas validate input and output;
 * {@link invokeTool} (scopes, read-only, ledger, confirmation, audit, redaction, metrics, span) is the
 * same call the SDK path makes. Anything else (initialize, notifications, tools/list, resources,
 * prompts, an elicitation round, unknown tools, any rejection) falls through to the SDK unchanged.
 */
export function createToolCallFastPath(runtime: Runtime): ToolCallFastPath {
  const tools = new Map<string, ToolDefinition>(runtime.tools.map((def) => [def.name, def]));
  // A tool whose input schema declares `x-mcp-header` needs the SDK's Mcp-Param-* header checks; none
  // does today. Decided once per tool on its first call, so start-up converts no schema.
  const headerBound = new Map<string, boolean>();
  const declaresParamHeaders = (def: ToolDefinition): boolean => {
    let bound = headerBound.get(def.name);
    if (bound === undefined) {
      const json = def.inputSchema['~standard'].jsonSchema.input({ target: 'draft-2020-12' });
      bound = JSON.stringify(json).includes('"x-mcp-header"');
      headerBound.set(def.name, bound);
    }
    return bound;
  };
  return {
    async serve(req, res, body, authInfo) {
      if (req.method !== 'POST' || !isJsonContentType(req.headers['content-type'] ?? null)) return false;
      const call = plainToolCall(body);
      if (!call) return false;
      const def = tools.get(call.name);
      if (!def || declaresParamHeaders(def)) return false;
      const era = servedEra(req, body, call);
      if (!era) return false;
      const principal = principalOf(authInfo);
      // Not registered for this credential on the SDK path: "Tool … not found" comes from there.
      if (!hasScope(principal, def.requiredScope)) return false;
      const canElicit = era === 'modern' && clientCanElicit(call.meta, undefined);
      // A 2026 client that can elicit may get an input_required round: the SDK drives that.
      if (canElicit && def.confirm) return false;

      // Not an AbortController: its signal would be promoted to V8's old space on every call (cancellation.ts).
      const abort = new Cancellation();
      let answered = false;
      res.once('close', () => {
        if (!answered) abort.abort();
      });
      const request: ToolCallRequest = {
        id: call.id,
        meta: call.meta,
        signal: abort,
        headers: req.headers,
        canElicit,
      };
      const result = await callTool(def, call.arguments, request, runtime, principal);
      if (result.resultType === 'input_required')
        throw new Error(`${def.name} asked for input on a request that cannot answer it`);
      const json = wireCallToolResponseJson(result as CallToolResult, era, call.id);
      answered = true;
      if (era === 'modern') {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json) });
        res.end(json);
      } else {
        const event = `event: message\ndata: ${json}\n\n`;
        res.writeHead(200, sseHeaders(event));
        res.end(event);
      }
      return true;
    },
  };
}
