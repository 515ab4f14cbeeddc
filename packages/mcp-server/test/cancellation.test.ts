import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Cancellation } from '../src/cancellation.js';
import type { McpConfig } from '../src/config.js';
import { type McpHttpServerHandle, startMcpHttpServer } from '../src/http.js';
import { OcsHttp } from '../src/ocs/ocs-http.js';
import { testConfig } from './helpers.js';
import { type ListeningOcs, listenOcs } from './support/fake-ocs.js';

describe('Cancellation (the per-call cancellation of the tools/call paths)', () => {
  it('calls each listener once on abort, with the reason set first', () => {
    const c = new Cancellation();
    const seen: unknown[] = [];
    const listener = () => seen.push(c.reason);
    c.addEventListener('abort', listener);
    c.addEventListener('abort', listener);
    const reason = new Error('client went away');
    c.abort(reason);
    c.abort(new Error('second'));
    expect(c.aborted).toBe(true);
    expect(seen).toEqual([reason]);
  });

  it('defaults the reason to an AbortError, as AbortController does', () => {
    const c = new Cancellation();
    c.abort();
    expect(c.reason).toBeInstanceOf(DOMException);
    expect((c.reason as DOMException).name).toBe('AbortError');
  });

  it('does not call a removed listener, nor one added after the abort', () => {
    const c = new Cancellation();
    let calls = 0;
    const removed = () => calls++;
    c.addEventListener('abort', removed);
    c.removeEventListener('abort', removed);
    c.abort();
    c.addEventListener('abort', () => calls++);
    expect(calls).toBe(0);
  });

  it('still calls the other listeners when one throws', async () => {
    const c = new Cancellation();
    let after = false;
    const thrown = new Promise<unknown>((resolve) => {
      const original = globalThis.queueMicrotask;
      globalThis.queueMicrotask = (task) => {
        globalThis.queueMicrotask = original;
        try {
          task();
        } catch (error) {
          resolve(error);
        }
      };
    });
    c.addEventListener('abort', () => {
      throw new Error('listener failed');
    });
    c.addEventListener('abort', () => {
      after = true;
    });
    c.abort();
    expect(after).toBe(true);
    expect(await thrown).toMatchObject({ message: 'listener failed' });
  });
});

/** An OCS that never answers and reports when the MCP server's request to it was torn down. */
function hangingOcs() {
  const arrived: IncomingMessage[] = [];
  const waiters: Array<() => void> = [];
  let closedCount = 0;
  const server: Server = createServer((req) => {
    arrived.push(req);
    req.socket.once('close', () => {
      closedCount++;
      for (const w of waiters.splice(0)) w();
    });
    for (const w of waiters.splice(0)) w();
  });
  const until = async (done: () => boolean) => {
    while (!done()) await new Promise<void>((resolve) => waiters.push(resolve));
  };
  return {
    server,
    arrived,
    untilArrived: (n: number) => until(() => arrived.length >= n),
    closed: () => closedCount,
    untilClosed: (n: number) => until(() => closedCount >= n),
  };
}

describe('cancellation reaches the OCS call', () => {
  const ocs = hangingOcs();
  let listening: ListeningOcs | undefined;
  let base: string;
  let config: McpConfig;
  let mcp: McpHttpServerHandle;
  beforeAll(async () => {
    listening = await listenOcs(ocs.server);
    base = listening.base;
    // A deadline far beyond the test's own timeout: only the cancellation can end these OCS calls.
    config = testConfig(base, { OCS_API_TIMEOUT: '600' });
    mcp = await startMcpHttpServer({ ...config, port: 0 });
  });
  afterAll(async () => {
    await mcp?.close();
    await listening?.stop();
  });

  it('OcsHttp aborts its in-flight request when a Cancellation is aborted', async () => {
    const http = new OcsHttp({ baseUrl: base, timeoutMs: 600_000, logger: pino({ level: 'silent' }) });
    const cancel = new Cancellation();
    const seen = ocs.arrived.length;
    const pending = http.request({
      method: 'GET',
      path: '/subscribers/s1',
      route: '/subscribers/{id}',
      transactionId: 't',
      signal: cancel,
      context: { entity: 'Subscriber' },
    });
    await ocs.untilArrived(seen + 1);
    cancel.abort();
    await expect(pending).rejects.toMatchObject({ kind: 'cancelled' });
    await http.close();
  });

  it('a client that goes away mid tools/call on the HTTP fast path cancels the OCS request', async () => {
    const seen = ocs.arrived.length;
    const body = JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'tools/call',
      params: { name: 'get_subscriber', arguments: { subscriberId: 's1' } },
    });
    const url = new URL(mcp.url);
    const client = httpRequest({
      host: url.hostname,
      port: url.port,
      path: url.pathname,
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'mcp-protocol-version': '2025-11-25',
      },
    });
    client.on('error', () => {});
    client.end(body);
    await ocs.untilArrived(seen + 1);
    const closed = ocs.closed();
    const served = mcp.fastPathCalls;
    client.destroy();
    // Resolves only once undici has torn down the OCS request: the OCS never answers it.
    await ocs.untilClosed(closed + 1);
    // And it was the fast path's call (answered, to nobody, once the OCS call was cancelled).
    await vi.waitFor(() => expect(mcp.fastPathCalls).toBe(served + 1));
    expect(ocs.arrived.length).toBe(seen + 1);
  });
});
