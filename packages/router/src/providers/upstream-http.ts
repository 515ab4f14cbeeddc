import { createParser, type EventSourceMessage } from 'eventsource-parser';
import type { Pool } from 'undici';
import type { UpstreamTimeouts } from './definition.js';
import { type AdapterName, ProviderError } from './model.js';
import { parseErrorText, providerErrorFromHttp } from './upstream-errors.js';

type BodyReadable = Awaited<ReturnType<Pool['request']>>['body'];

export interface UpstreamResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: BodyReadable;
}

export interface UpstreamRequest {
  method: 'GET' | 'POST';
  /** Full URL; its origin must be the client's origin. */
  url: URL;
  headers: Record<string, string>;
  body?: unknown;
  signal?: AbortSignal | undefined;
}

/**
 * One keep-alive connection pool per upstream origin, reused across requests. Owns the timeouts and
 * turns every transport failure (refused, reset, timeout, abort) into a ProviderError that names the
 * provider and the host, never a key or query string.
 */
export class UpstreamClient {
  readonly origin: string;
  /** undici loads with the first upstream request, not at start-up: it is the largest module the router imports. */
  private pool: Promise<Pool> | undefined;
  /** The pool once loaded, so that a request does not await its promise again. */
  #ready: Pool | undefined;

  constructor(
    readonly provider: AdapterName,
    baseUrl: string,
    readonly timeouts: UpstreamTimeouts,
    /** Values to scrub from any message (API keys). */
    readonly secrets: readonly (string | undefined)[],
  ) {
    this.origin = new URL(baseUrl).origin;
  }

  #connections(): Promise<Pool> {
    this.pool ??= import('undici').then(({ Pool }) => {
      this.#ready = new Pool(this.origin, {
        connections: 128,
        connectTimeout: this.timeouts.connectMs,
        keepAliveTimeout: 30_000,
        headersTimeout: this.timeouts.firstByteMs,
        bodyTimeout: this.timeouts.idleMs,
      });
      return this.#ready;
    });
    return this.pool;
  }

  /** Sends the request; a non-2xx status is read and thrown as a ProviderError. */
  async send(request: UpstreamRequest): Promise<UpstreamResponse> {
    if (request.signal?.aborted) throw this.abortedError(request.signal.reason, request.signal);
    const pool = this.#ready ?? (await this.#connections());
    let response: UpstreamResponse;
    try {
      const result = await pool.request({
        method: request.method,
        path: request.url.pathname + request.url.search,
        headers: {
          accept: 'application/json, text/event-stream, application/x-ndjson',
          ...(request.body !== undefined && { 'content-type': 'application/json' }),
          ...request.headers,
        },
        ...(request.body !== undefined && { body: JSON.stringify(request.body) }),
        signal: request.signal ?? null,
        headersTimeout: this.timeouts.firstByteMs,
        bodyTimeout: this.timeouts.idleMs,
      });
      response = { status: result.statusCode, headers: result.headers, body: result.body };
    } catch (error) {
      throw this.transportError(error, request.signal);
    }
    if (response.status < 200 || response.status >= 300) {
      const text = await this.readText(response, request.signal);
      throw providerErrorFromHttp({
        provider: this.provider,
        status: response.status,
        headers: response.headers,
        body: parseErrorText(text),
        secrets: this.secrets,
      });
    }
    return response;
  }

  async readText(response: UpstreamResponse, signal?: AbortSignal): Promise<string> {
    try {
      return await response.body.text();
    } catch (error) {
      throw this.transportError(error, signal);
    }
  }

  async readJson(response: UpstreamResponse, signal?: AbortSignal): Promise<unknown> {
    const text = await this.readText(response, signal);
    try {
      return JSON.parse(text);
    } catch (error) {
      throw new ProviderError(
        this.provider,
        'upstream',
        `${this.provider}: response from ${this.origin} is not JSON`,
        { status: response.status, retryable: true, cause: error },
      );
    }
  }

  /** Body chunks as text; transport failures while reading surface as ProviderErrors. */
  async *textChunks(response: UpstreamResponse, signal?: AbortSignal): AsyncGenerator<string> {
    const decoder = new TextDecoder();
    try {
      for await (const chunk of response.body) {
        const text = decoder.decode(chunk as Uint8Array, { stream: true });
        if (text) yield text;
      }
    } catch (error) {
      throw this.transportError(error, signal);
    } finally {
      // Leaving early (consumer break, error) must cancel the upstream so no more tokens are paid for.
      if (!response.body.readableEnded) response.body.destroy();
    }
    const rest = decoder.decode();
    if (rest) yield rest;
  }

  /** Server-sent events of a response; comments (`: OPENROUTER PROCESSING`, keep-alives) are dropped. */
  async *serverSentEvents(
    response: UpstreamResponse,
    signal?: AbortSignal,
  ): AsyncGenerator<EventSourceMessage> {
    const pending: EventSourceMessage[] = [];
    const parser = createParser({ onEvent: (event) => pending.push(event) });
    for await (const text of this.textChunks(response, signal)) {
      parser.feed(text);
      while (pending.length > 0) yield pending.shift()!;
    }
  }

  /** Newline-delimited JSON values; a line may be split across chunks. */
  async *ndjsonLines(response: UpstreamResponse, signal?: AbortSignal): AsyncGenerator<unknown> {
    let buffer = '';
    for await (const text of this.textChunks(response, signal)) {
      buffer += text;
      let newline = buffer.indexOf('\n');
      while (newline >= 0) {
        const line = buffer.slice(0, newline).trim();
        buffer = buffer.slice(newline + 1);
        if (line) yield this.parseLine(line);
        newline = buffer.indexOf('\n');
      }
    }
    if (buffer.trim()) yield this.parseLine(buffer.trim());
  }

  private parseLine(line: string): unknown {
    try {
      return JSON.parse(line);
    } catch (error) {
      throw new ProviderError(
        this.provider,
        'upstream',
        `${this.provider}: malformed stream line from ${this.origin}`,
        {
          retryable: true,
          cause: error,
        },
      );
    }
  }

  /** Maps undici / socket failures to ProviderErrors. */
  transportError(error: unknown, signal?: AbortSignal): ProviderError {
    if (error instanceof ProviderError) return error;
    if (signal?.aborted) return this.abortedError(error, signal);
    const code = errorCode(error);
    const where = `${this.provider} (${this.origin})`;
    switch (code) {
      case 'UND_ERR_CONNECT_TIMEOUT':
        return this.timeoutError(`${where}: connect timeout after ${this.timeouts.connectMs} ms`, error);
      case 'UND_ERR_HEADERS_TIMEOUT':
        return this.timeoutError(
          `${where}: no response headers within ${this.timeouts.firstByteMs} ms`,
          error,
        );
      case 'UND_ERR_BODY_TIMEOUT':
        return this.timeoutError(`${where}: response stalled for ${this.timeouts.idleMs} ms`, error);
      case 'UND_ERR_ABORTED':
        return this.abortedError(error);
    }
    const reason = code ?? (error instanceof Error ? error.message : 'unknown error');
    const message =
      code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN'
        ? `${where}: cannot connect (${reason})`
        : `${where}: connection failed (${reason})`;
    return new ProviderError(this.provider, 'connection', message, { retryable: true, cause: error });
  }

  private timeoutError(message: string, cause: unknown): ProviderError {
    return new ProviderError(this.provider, 'timeout', message, { retryable: true, cause });
  }

  /** A caller's deadline (`AbortSignal.timeout`) is a timeout; any other abort is the caller leaving. */
  private abortedError(cause: unknown, signal?: AbortSignal): ProviderError {
    const reason: unknown = signal?.reason;
    if (reason instanceof Error && reason.name === 'TimeoutError') {
      return this.timeoutError(`${this.provider} (${this.origin}): the caller's deadline passed`, reason);
    }
    return new ProviderError(this.provider, 'aborted', `${this.provider}: request aborted by the caller`, {
      retryable: false,
      cause,
    });
  }

  async close(): Promise<void> {
    await (await this.pool)?.close();
  }
}

function errorCode(error: unknown): string | undefined {
  if (!error || typeof error !== 'object') return undefined;
  const e = error as { code?: unknown; cause?: unknown; errors?: unknown[] };
  if (typeof e.code === 'string') return e.code;
  // Happy-eyeballs connects fail with an AggregateError holding one error per address.
  if (Array.isArray(e.errors) && e.errors.length > 0) return errorCode(e.errors[0]);
  return e.cause ? errorCode(e.cause) : undefined;
}

/** Appends a path to a base URL that may itself carry a path (`http://h/v1` + `/chat/completions`). */
export function joinUrl(base: string, path: string, query?: Record<string, string>): URL {
  const url = new URL(base.replace(/\/+$/, '') + path);
  for (const [key, value] of Object.entries(query ?? {})) url.searchParams.set(key, value);
  return url;
}
