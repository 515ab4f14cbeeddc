import type { IncomingMessage } from 'node:http';

/**
 * Small checks that run on an HTTP request before it is handed to the MCP SDK. Each one answers
 * the request itself (status + body) or lets it through; none of them knows about tools.
 */

export interface Refusal {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export const jsonRpcError = (code: number, message: string, id: unknown = null) => ({
  jsonrpc: '2.0',
  error: { code, message },
  id,
});

/**
 * Two Host headers make "which host is this for?" ambiguous: Node keeps the first, a proxy in front
 * may have routed on the second. Refused outright (RFC 9112 §3.2: a request with more than one Host
 * header field is answered 400).
 */
export function duplicateHostRefusal(req: IncomingMessage): Refusal | undefined {
  let hosts = 0;
  for (let i = 0; i < req.rawHeaders.length; i += 2) if (req.rawHeaders[i]?.toLowerCase() === 'host') hosts++;
  if (hosts <= 1) return undefined;
  return { status: 400, body: jsonRpcError(-32600, 'Bad Request: more than one Host header') };
}

/** No MCP message comes near this; deeper bodies would only exhaust the stack of whoever walks them. */
const MAX_JSON_DEPTH = 64;

/** The deepest nesting of objects and arrays in a JSON text (strings skipped), in one pass. */
function nestingDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \\ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91 /* { [ */) {
      depth++;
      if (depth > max) max = depth;
    } else if (c === 125 || c === 93 /* } ] */) depth--;
  }
  return max;
}

/**
 * The body as text, or undefined once it passes `maxBytes` (the rest is then left unread). Plain
 * 'data'/'end' listeners, not `for await`: the async iterator costs a promise and a stream
 * wrapper per chunk, on a path where a whole tools/call is a fraction of a millisecond.
 */
function readText(req: IncomingMessage, maxBytes: number): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    let first: Buffer | undefined;
    let more: Buffer[] | undefined;
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        done();
        req.pause();
        resolve(undefined);
      } else if (first === undefined) first = chunk;
      else if (more === undefined) more = [first, chunk];
      else more.push(chunk);
    };
    const onEnd = () => {
      done();
      if (more) resolve(Buffer.concat(more).toString('utf8'));
      else resolve(first === undefined ? '' : first.toString('utf8'));
    };
    const onError = (err: Error) => {
      done();
      reject(err);
    };
    // The client went away before the body was complete ('end' would never come).
    const onClose = () => onError(new Error('the request closed before its body was complete'));
    const done = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}

/** Reads a POST body up to `maxBytes` and parses it as JSON (the SDK is then handed the parsed value). */
export async function readJsonBody(
  req: IncomingMessage,
  maxBytes: number,
): Promise<{ ok: true; body: unknown } | { ok: false; refusal: Refusal }> {
  const declared = Number(req.headers['content-length'] ?? Number.NaN);
  const tooLarge: Refusal = {
    status: 413,
    // The SDK's own answer to an oversized body, so a client sees one shape whichever layer refuses.
    body: jsonRpcError(-32000, `Payload Too Large: Request body must not exceed ${maxBytes} bytes`),
    headers: { connection: 'close' },
  };
  if (Number.isFinite(declared) && declared > maxBytes) return { ok: false, refusal: tooLarge };
  const text = await readText(req, maxBytes);
  if (text === undefined) return { ok: false, refusal: tooLarge };
  if (nestingDepth(text) > MAX_JSON_DEPTH)
    return {
      ok: false,
      refusal: {
        status: 400,
        body: jsonRpcError(-32600, `Invalid Request: JSON nested deeper than ${MAX_JSON_DEPTH} levels`),
      },
    };
  try {
    return { ok: true, body: JSON.parse(text) };
  } catch {
    return {
      ok: false,
      refusal: { status: 400, body: jsonRpcError(-32700, 'Parse error: the body is not JSON') },
    };
  }
}

/** The only revision whose clients may send JSON-RPC batches (removed from MCP in 2025-06-18). */
const BATCHING_REVISION = '2025-03-26';
export const MAX_BATCH_ENTRIES = 10;

/**
 * One POST, one JSON-RPC message: a batch of 50 tools/call would otherwise run 50 calls past every
 * per-request check. A client that says it speaks 2025-03-26 (the last revision with batching) may
 * send up to {@link MAX_BATCH_ENTRIES}; each entry is then checked and audited on its own.
 */
export function batchRefusal(body: unknown, req: IncomingMessage): Refusal | undefined {
  if (!Array.isArray(body)) return undefined;
  const revision = req.headers['mcp-protocol-version'];
  if (revision !== BATCHING_REVISION)
    return {
      status: 400,
      body: jsonRpcError(
        -32600,
        'Invalid Request: JSON-RPC batches are not supported (removed from MCP in 2025-06-18); send one JSON-RPC message per POST',
      ),
    };
  if (body.length === 0 || body.length > MAX_BATCH_ENTRIES)
    return {
      status: 400,
      body: jsonRpcError(-32600, `Invalid Request: a batch must hold 1 to ${MAX_BATCH_ENTRIES} messages`),
    };
  return undefined;
}

/** The JSON-RPC messages of a body (one, or a batch's entries). */
export function messagesOf(body: unknown): Record<string, unknown>[] {
  const list = Array.isArray(body) ? body : [body];
  return list.filter(
    (m): m is Record<string, unknown> => m !== null && typeof m === 'object' && !Array.isArray(m),
  );
}
