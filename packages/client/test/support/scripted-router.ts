/**
 * A test double of OUR router for the client's unit tests: a real node:http server on loopback that
 * speaks the router's protocol with responses each test scripts. The real router is exercised in
 * router-integration.test.ts.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  /** Parsed JSON body, or undefined when there was none. */
  body: unknown;
}

export type ScriptedHandler = (
  request: RecordedRequest,
  res: ServerResponse,
  raw: IncomingMessage,
) => unknown;

export interface ScriptedRouter {
  url: string;
  /** Every request received, in order. */
  requests: RecordedRequest[];
  /** Sets how the next requests are answered (until called again). */
  script(handler: ScriptedHandler): void;
  close(): Promise<void>;
}

export async function startScriptedRouter(): Promise<ScriptedRouter> {
  const requests: RecordedRequest[] = [];
  let handler: ScriptedHandler = (_request, res) =>
    sendJson(res, 500, { error: { type: 'unscripted', message: 'no script' } });
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const recorded: RecordedRequest = {
      method: req.method ?? 'GET',
      path: req.url ?? '/',
      headers: req.headers,
      body: text === '' ? undefined : JSON.parse(text),
    };
    requests.push(recorded);
    await handler(recorded, res, req);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    script(next) {
      handler = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json', 'x-request-id': 'req-test-1', ...headers });
  res.end(JSON.stringify(body));
}

export type WireEvent = [event: string, data: unknown];

/** Serialises events as the router does: `event:` line, one `data:` line, blank line. */
export function sseText(events: WireEvent[]): string {
  return events.map(([event, data]) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`).join('');
}

export function startSse(res: ServerResponse): void {
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    'x-request-id': 'req-stream-1',
  });
  res.flushHeaders();
}

export function sendSse(res: ServerResponse, events: WireEvent[]): void {
  startSse(res);
  res.end(sseText(events));
}
