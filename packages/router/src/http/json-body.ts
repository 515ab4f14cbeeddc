import type { MiddlewareHandler } from 'hono';
import { RouterError } from '../errors.js';

const tooLarge = (maxBytes: number) =>
  new RouterError(413, 'payload_too_large', `Request body exceeds ${maxBytes} bytes (ROUTER_MAX_BODY_BYTES)`);

/**
 * Reads and parses a JSON body, refusing more than `maxBytes`: at once from Content-Length when
 * given, otherwise while reading the chunked body. Malformed JSON is a 400.
 */
export async function readJsonBody(request: Request, maxBytes: number): Promise<unknown> {
  const declared = request.headers.get('content-length');
  let text: string;
  if (declared !== null) {
    if (Number(declared) > maxBytes) throw tooLarge(maxBytes);
    text = await request.text();
  } else {
    text = await readLimited(request, maxBytes);
  }
  if (text.length === 0) throw new RouterError(400, 'invalid_json', 'Request body is empty; expected JSON');
  try {
    return JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : 'parse error';
    throw new RouterError(400, 'invalid_json', `Request body is not valid JSON: ${reason}`);
  }
}

async function readLimited(request: Request, maxBytes: number): Promise<string> {
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  while (true) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

const JSON_MEDIA_TYPE = /^application\/([\w.-]+\+)?json$/i;

/**
 * Route middleware ahead of the route's own body validation: reads the body under the size cap
 * (413) and parses it (400 invalid_json), then hands the parsed value to the validator. A body sent without a JSON content type is still read as JSON, as before.
 */
export function jsonBody(maxBytes: number): MiddlewareHandler {
  return async (c, next) => {
    const parsed = await readJsonBody(c.req.raw, maxBytes);
    const contentType = c.req.header('content-type')?.split(';')[0]?.trim() ?? '';
    if (!JSON_MEDIA_TYPE.test(contentType)) {
      const headers = new Headers(c.req.raw.headers);
      headers.set('content-type', 'application/json');
      c.req.raw = new Request(c.req.raw.url, { method: c.req.method, headers, signal: c.req.raw.signal });
    }
    // The validator reads the body through c.req.json(), which would serialise and parse it again
    // (and fail on what JSON.parse accepted but JSON.stringify cannot redo, such as deep nesting).
    c.req.json = <T>() => Promise.resolve(parsed as T);
    await next();
  };
}
