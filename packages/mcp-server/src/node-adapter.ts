import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AuthInfo } from '@modelcontextprotocol/server';

/** The web-standard face of an MCP handler (`createMcpHandler(...)`), as this adapter calls it. */
export interface FetchHandler {
  fetch(request: Request, options?: { parsedBody?: unknown; authInfo?: AuthInfo }): Promise<Response>;
}

export interface NodeAdapterOptions {
  /** Called when the handler throws; the client then gets a JSON-RPC internal error (500). */
  onerror: (error: Error) => void;
}

/** What the HTTP layer already established about a request before it reaches the MCP handler. */
export interface PreparedRequest {
  /** The body, already read, size-capped and parsed by the HTTP guards (which need it first); the adapter never reads the request stream. */
  parsedBody?: unknown;
  /** The verified credential, handed to the MCP handler's factory as `authInfo`. */
  authInfo?: AuthInfo | undefined;
}

/** The parsed JSON-RPC body of each Request this adapter built (read by the per-request factory). */
const parsedBodies = new WeakMap<Request, unknown>();

/**
 * The JSON-RPC message this adapter parsed for `request` (the `requestInfo` a factory of
 * `createMcpHandler` receives), or undefined for requests it did not build or could not parse.
 */
export function parsedBodyOf(request: Request | undefined): unknown {
  return request === undefined ? undefined : parsedBodies.get(request);
}

function webHeaders(req: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || name.startsWith(':')) continue;
    if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    else headers.set(name, value);
  }
  return headers;
}

function sendJsonRpcError(res: ServerResponse, status: number, code: number, message: string) {
  const body = JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null });
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

/**
 * Node (req, res) in front of a web-standard MCP handler, doing per request only what the handler needs.
 * It replaces the SDK's `toNodeHandler`, which tees the body into a web stream, lets the handler read it
 * back through a stream reader and writes a JSON answer chunk by chunk. Here the HTTP guards have read,
 * capped and parsed the body once (they need it before dispatch); the parsed message goes to the handler
 * as `parsedBody` (so it reads and clones nothing) on a bodiless `Request` that keeps the method, URL,
 * headers and abort signal. A JSON answer is written in one piece with its length; an SSE answer is
 * streamed with backpressure, as the SDK does.
 */
export function createNodeMcpAdapter(handler: FetchHandler, options: NodeAdapterOptions) {
  return async (req: IncomingMessage, res: ServerResponse, prepared: PreparedRequest = {}): Promise<void> => {
    const abort = new AbortController();
    let finished = false;
    res.once('close', () => {
      if (!finished) abort.abort();
    });
    let response: Response;
    try {
      const method = (req.method ?? 'GET').toUpperCase();
      const url = `http://${req.headers.host ?? 'localhost'}${req.url ?? '/'}`;
      const headers = webHeaders(req);
      const request = new Request(url, { method, headers, signal: abort.signal });
      const parsedBody = method === 'GET' || method === 'HEAD' ? undefined : prepared.parsedBody;
      if (parsedBody !== undefined) parsedBodies.set(request, parsedBody);
      const authInfo = prepared.authInfo;
      response = await handler.fetch(request, {
        ...(parsedBody !== undefined ? { parsedBody } : {}),
        ...(authInfo !== undefined ? { authInfo } : {}),
      });
    } catch (error) {
      options.onerror(error instanceof Error ? error : new Error(String(error)));
      finished = true;
      if (!res.headersSent) sendJsonRpcError(res, 500, -32603, 'Internal server error');
      else res.end();
      return;
    }
    const headers: Record<string, string> = {};
    for (const [name, value] of response.headers) headers[name] = value;
    // Hop-by-hop headers are this connection's, not the handler's: the SDK sets `connection: keep-alive`
    // on its SSE answers, which made Node keep a connection open after the client's `Connection: close`.
    // Without them Node keeps it alive or closes it as the request asked, as the fast path does.
    delete headers.connection;
    delete headers['keep-alive'];
    const body = response.body;
    if (body === null) {
      finished = true;
      res.writeHead(response.status, headers);
      res.end();
      return;
    }
    if (!(headers['content-type'] ?? '').startsWith('text/event-stream')) {
      const bytes = Buffer.from(await response.arrayBuffer());
      finished = true;
      headers['content-length'] = String(bytes.byteLength);
      res.writeHead(response.status, headers);
      res.end(bytes);
      return;
    }
    res.writeHead(response.status, headers);
    const closed = new Promise<void>((resolve) =>
      abort.signal.addEventListener('abort', () => resolve(), { once: true }),
    );
    const reader = body.getReader();
    try {
      for (;;) {
        const { done, value: chunk } = await reader.read();
        if (done || abort.signal.aborted) break;
        if (!res.write(chunk))
          await Promise.race([new Promise<void>((resolve) => res.once('drain', () => resolve())), closed]);
      }
    } catch {
      // The stream failed or the client went away: end what was started.
    }
    if (abort.signal.aborted) await reader.cancel().catch(() => undefined);
    finished = true;
    res.end();
  };
}
