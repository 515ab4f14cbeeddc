/**
 * One script model for every fake LLM upstream, so a test (or the later tool-loop tests) scripts
 * any provider the same way: a list of turns, or a function of the captured request.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeToolCall {
  id?: string;
  name: string;
  arguments: Record<string, unknown>;
}

export interface FakeTurn {
  text?: string;
  /**
   * A structured answer: each fake gives it in its provider's structured-output terms (the JSON as
   * the message text; for Anthropic asked through a forced tool, as that tool's input).
   */
  json?: unknown;
  toolCalls?: FakeToolCall[];
  finishReason?: 'stop' | 'length' | 'tool_calls' | 'content_filter';
  usage?: { input: number; output: number; cachedInput?: number };
  /**
   * Answer with this HTTP status instead (body defaults to the provider's own error shape; headers,
   * when given, replace the provider's default error headers such as retry-after on a 429).
   */
  error?: { status: number; body?: unknown; headers?: Record<string, string> };
  /** An error inside a 200 stream, after this many chunks (body is the provider's error payload). */
  streamError?: { afterChunks: number; body: unknown };
  /** Destroy the socket mid-stream after this many chunks. */
  dropAfterChunks?: number;
  /** Wait before sending headers. */
  delayMs?: number;
  /** Wait between stream chunks. */
  chunkDelayMs?: number;
  /** Never send headers (until the client goes away). */
  hangBeforeHeaders?: boolean;
  /** Keep the stream open this long after its last frame before ending the response. */
  holdOpenMs?: number;
}

export interface CapturedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary wire bodies by path
  body: any;
}

export type FakeScript = FakeTurn[] | ((request: CapturedRequest, turnIndex: number) => FakeTurn);

export interface FakeServer {
  /** Base URL in the form the provider's *_BASE_URL / endpoint variable expects. */
  url: string;
  requests: CapturedRequest[];
  /** Requests whose client went away before the response ended. */
  aborted: number;
  /** TCP connections accepted so far (keep-alive reuse shows as a small number). */
  connections: number;
  setScript(script: FakeScript): void;
  close(): Promise<void>;
}

/** The turn's text: its `text`, else its structured answer serialised. */
export function answerText(turn: FakeTurn): string | undefined {
  return turn.text ?? (turn.json !== undefined ? JSON.stringify(turn.json) : undefined);
}

/** Default usage when a turn sets none. */
export const DEFAULT_USAGE: NonNullable<FakeTurn['usage']> = { input: 12, output: 7 };

export function finishReasonOf(turn: FakeTurn): NonNullable<FakeTurn['finishReason']> {
  return turn.finishReason ?? (turn.toolCalls?.length ? 'tool_calls' : 'stop');
}

/** Splits text into several pieces so streaming is exercised (word boundaries kept with the word). */
export function textPieces(text: string, maxPieces = 4): string[] {
  if (!text) return [];
  const words = text.match(/\S+\s*|\s+/g) ?? [text];
  const size = Math.max(1, Math.ceil(words.length / maxPieces));
  const pieces: string[] = [];
  for (let i = 0; i < words.length; i += size) pieces.push(words.slice(i, i + size).join(''));
  if (pieces.length === 1 && text.length > 1) {
    const half = Math.ceil(text.length / 2);
    return [text.slice(0, half), text.slice(half)];
  }
  return pieces;
}

/** Splits a JSON string into fragments the way providers stream tool arguments. */
export function jsonFragments(json: string, pieces = 3): string[] {
  const size = Math.max(1, Math.ceil(json.length / pieces));
  const out: string[] = [];
  for (let i = 0; i < json.length; i += size) out.push(json.slice(i, i + size));
  return out.length ? out : [''];
}

let idCounter = 0;
export function fakeId(prefix: string): string {
  idCounter += 1;
  return `${prefix}${Date.now().toString(36)}${idCounter.toString(36).padStart(4, '0')}`;
}

/** What a provider-specific fake contributes: its routes and its wire format. */
export interface FakeDialect {
  /** Paths (without query) answered with the script; anything else is 404. */
  isChatRoute(method: string, path: string): boolean;
  /** Other fixed routes (model listings). */
  extraRoute?(method: string, path: string): { status: number; body: unknown } | undefined;
  isStream(request: CapturedRequest): boolean;
  jsonHeaders(): Record<string, string>;
  streamHeaders(): Record<string, string>;
  jsonBody(turn: FakeTurn, request: CapturedRequest): unknown;
  /** Stream frames, each written as one chunk (a frame may be several writes, see splitWrites). */
  streamFrames(turn: FakeTurn, request: CapturedRequest): string[];
  streamErrorFrame(body: unknown): string;
  /** The provider's error body for a status, used when a scripted error gives none. */
  errorBody(status: number): unknown;
  /** Headers the real provider sends with an error status (rate-limit hints), unless the script sets some. */
  errorHeaders?(status: number): Record<string, string>;
  /** Write each frame in two halves (NDJSON: lines split across TCP chunks). */
  splitWrites?: boolean;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function resolveTurn(script: FakeScript, request: CapturedRequest, index: number): FakeTurn {
  if (typeof script === 'function') return script(request, index);
  return (
    script[index] ?? {
      error: { status: 500, body: { error: { message: `fake script exhausted at turn ${index}` } } },
    }
  );
}

/** Starts a fake upstream on 127.0.0.1 with an OS-chosen port. */
export async function startFakeServer(
  dialect: FakeDialect,
  urlSuffix: string,
  initial: FakeScript = [{ text: 'Hello from the fake upstream.' }],
): Promise<FakeServer> {
  let script = initial;
  let turnIndex = 0;
  const requests: CapturedRequest[] = [];
  const state = { aborted: 0, connections: 0 };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.on('close', () => {
      if (!res.writableFinished) state.aborted += 1;
    });
    const url = new URL(req.url ?? '/', 'http://fake');
    const captured: CapturedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname + url.search,
      headers: req.headers,
      body: await readBody(req),
    };
    const extra = dialect.extraRoute?.(captured.method, url.pathname);
    if (extra) {
      requests.push(captured);
      res.writeHead(extra.status, dialect.jsonHeaders()).end(JSON.stringify(extra.body));
      return;
    }
    if (!dialect.isChatRoute(captured.method, url.pathname)) {
      res.writeHead(404, dialect.jsonHeaders()).end(JSON.stringify(dialect.errorBody(404)));
      return;
    }
    requests.push(captured);
    const turn = resolveTurn(script, captured, turnIndex);
    turnIndex += 1;

    if (turn.hangBeforeHeaders) return; // the client's timeout or abort ends it
    if (turn.delayMs) await sleep(turn.delayMs);
    if (turn.error) {
      const body = turn.error.body ?? dialect.errorBody(turn.error.status);
      const headers = turn.error.headers ?? dialect.errorHeaders?.(turn.error.status) ?? {};
      res.writeHead(turn.error.status, { ...dialect.jsonHeaders(), ...headers });
      res.end(typeof body === 'string' ? body : JSON.stringify(body));
      return;
    }
    if (!dialect.isStream(captured)) {
      res.writeHead(200, dialect.jsonHeaders()).end(JSON.stringify(dialect.jsonBody(turn, captured)));
      return;
    }
    res.writeHead(200, dialect.streamHeaders());
    res.flushHeaders();
    const frames = dialect.streamFrames(turn, captured);
    for (let i = 0; i < frames.length; i += 1) {
      if (res.destroyed) return;
      if (turn.dropAfterChunks !== undefined && i === turn.dropAfterChunks) {
        req.socket.destroy();
        return;
      }
      if (turn.streamError && i === turn.streamError.afterChunks) {
        res.end(dialect.streamErrorFrame(turn.streamError.body));
        return;
      }
      const frame = frames[i]!;
      if (dialect.splitWrites && frame.length > 1) {
        const half = Math.floor(frame.length / 2);
        res.write(frame.slice(0, half));
        await sleep(1);
        res.write(frame.slice(half));
      } else {
        res.write(frame);
      }
      if (turn.chunkDelayMs) await sleep(turn.chunkDelayMs);
    }
    if (turn.holdOpenMs) await Promise.race([sleep(turn.holdOpenMs), once(res, 'close')]);
    if (!res.destroyed) res.end();
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500).end(String(error));
      else res.destroy();
    });
  });
  server.on('connection', () => {
    state.connections += 1;
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}${urlSuffix}`,
    requests,
    get aborted() {
      return state.aborted;
    },
    get connections() {
      return state.connections;
    },
    setScript(next: FakeScript) {
      script = next;
      turnIndex = 0;
    },
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
