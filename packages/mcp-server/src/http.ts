import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostHeaderValidation, originValidation } from '@modelcontextprotocol/node';
import {
  createMcpHandler,
  localhostAllowedHostnames,
  localhostAllowedOrigins,
} from '@modelcontextprotocol/server';
import type { McpConfig } from './config.js';
import { createNodeMcpAdapter, parsedBodyOf } from './node-adapter.js';
import { closeRuntime, getRuntime } from './runtime.js';
import { calledToolName, createOcsMcpServer } from './server.js';

/** Largest accepted POST body on /mcp; bigger ones get 413 before anything is parsed. */
export const MAX_REQUEST_BODY_BYTES = 1024 * 1024;

export type HttpServerOptions = McpConfig & { host?: string; port?: number };

export interface McpHttpServerHandle {
  /** http://HOST:PORT/mcp */
  url: string;
  port: number;
  close(): Promise<void>;
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Constant-time check against every configured token (no early exit on a match). */
function bearerMatches(header: string | undefined, tokens: readonly Buffer[]): boolean {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  if (!m?.[1]) return false;
  const given = digest(m[1]);
  let ok = false;
  for (const t of tokens) ok = timingSafeEqual(given, t) || ok;
  return ok;
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

const jsonRpcError = (code: number, message: string) => ({
  jsonrpc: '2.0',
  error: { code, message },
  id: null,
});

/**
 * Streamable HTTP at /mcp, stateless: every POST gets a fresh McpServer from the factory, serving
 * 2026-07-28 clients and (statelessly) 2025-11-25 clients. Host and Origin are checked (403),
 * bearer tokens when configured (401), bodies are capped (413). GET /healthz answers 200.
 */
export async function startMcpHttpServer(options: HttpServerOptions): Promise<McpHttpServerHandle> {
  const config: McpConfig = options;
  const host = options.host ?? config.httpHost;
  const port = options.port ?? config.httpPort;
  const runtime = getRuntime(config);
  const log = runtime.logger.child({ component: 'http' });

  // Per request: a server scoped to what the message needs (a tools/call registers only its tool).
  const handler = createMcpHandler(
    (ctx) => createOcsMcpServer(config, { onlyTool: calledToolName(parsedBodyOf(ctx.requestInfo)) }),
    {
      maxRequestBodySize: MAX_REQUEST_BODY_BYTES,
      onerror: (err) => log.warn({ err: err.message }, 'MCP request rejected or failed'),
    },
  );
  const mcp = createNodeMcpAdapter(handler, {
    maxRequestBodySize: MAX_REQUEST_BODY_BYTES,
    onerror: (err) => log.error({ err }, 'MCP handler failed'),
  });
  const bindHost = host === '0.0.0.0' || host === '::' ? [] : [host.includes(':') ? `[${host}]` : host];
  const checkHost = hostHeaderValidation([
    ...localhostAllowedHostnames(),
    ...bindHost,
    ...config.allowedHosts,
  ]);
  const checkOrigin = originValidation([...localhostAllowedOrigins(), ...config.allowedOrigins]);
  const tokens = config.authTokens.map(digest);

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      const path = new URL(req.url ?? '/', 'http://localhost').pathname;
      if (!checkHost(req, res)) return;
      if (path === '/healthz') {
        if (req.method === 'GET' || req.method === 'HEAD') return sendJson(res, 200, { status: 'ok' });
        return sendJson(res, 405, { error: 'method not allowed' }, { allow: 'GET' });
      }
      if (path !== '/mcp') return sendJson(res, 404, { error: 'not found' });
      if (!checkOrigin(req, res)) return;
      if (tokens.length > 0 && !bearerMatches(req.headers.authorization, tokens)) {
        log.warn({ hasHeader: req.headers.authorization !== undefined }, 'unauthorized MCP request');
        return sendJson(res, 401, jsonRpcError(-32001, 'Unauthorized: a valid bearer token is required'), {
          'www-authenticate': 'Bearer realm="ocs-mcp", error="invalid_token"',
        });
      }
      await mcp(req, res);
    })().catch((err: unknown) => {
      log.error({ err }, 'HTTP request failed');
      if (!res.headersSent) sendJson(res, 500, jsonRpcError(-32603, 'Internal error'));
      else res.end();
    });
  });
  server.keepAliveTimeout = 5_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const actualPort = (server.address() as AddressInfo).port;
  const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  const url = `http://${urlHost}:${actualPort}/mcp`;
  log.info({ url, auth: tokens.length > 0 }, 'MCP Streamable HTTP server listening');
  if (tokens.length === 0 && !['127.0.0.1', 'localhost', '::1'].includes(host))
    log.warn(
      { host },
      'listening beyond loopback without MCP_AUTH_TOKENS: anyone who can reach it can provision',
    );

  let closing: Promise<void> | undefined;
  return {
    url,
    port: actualPort,
    close() {
      closing ??= (async () => {
        // Stop accepting first and let in-flight requests finish; only then close the MCP handler,
        // which would otherwise fail a request that is still being answered.
        const drained = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        // A keep-alive connection whose response ends during the drain goes idle: close it then.
        server.on('request', (_req, res) => res.setHeader('connection', 'close'));
        const sweep = setInterval(() => server.closeIdleConnections(), 50);
        const force = setTimeout(() => server.closeAllConnections(), 10_000);
        force.unref();
        await drained;
        clearInterval(sweep);
        clearTimeout(force);
        await handler.close();
        await closeRuntime(config);
      })();
      return closing;
    },
  };
}
