import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostHeaderValidation, originValidation } from '@modelcontextprotocol/node';
import {
  createMcpHandler,
  localhostAllowedHostnames,
  localhostAllowedOrigins,
} from '@modelcontextprotocol/server';
import { Authenticator } from './auth/authenticate.js';
import { principalOf } from './auth/principal.js';
import { auditDenied, missingScope } from './auth/scope-gate.js';
import type { McpConfig } from './config.js';
import { createToolCallFastPath } from './http-fast-path.js';
import {
  batchRefusal,
  duplicateHostRefusal,
  jsonRpcError,
  messagesOf,
  type Refusal,
  readJsonBody,
} from './http-guards.js';
import { createNodeMcpAdapter, parsedBodyOf } from './node-adapter.js';
import { closeRuntime, getRuntime } from './runtime.js';
import { calledToolName, createOcsMcpServer } from './server.js';

/** Largest accepted POST body on /mcp; bigger ones get 413 before anything is parsed. */
export const MAX_REQUEST_BODY_BYTES = 1024 * 1024;

export type HttpServerOptions = McpConfig & {
  host?: string;
  port?: number;
  /**
   * Serve plain tools/call requests on the fast path (http-fast-path.ts); default true. false sends
   * every request through the SDK's per-request server: the differential tests compare the two.
   */
  fastPath?: boolean;
};

export interface McpHttpServerHandle {
  /** http://HOST:PORT/mcp */
  url: string;
  port: number;
  /** tools/call requests answered by the fast path so far (tests and benchmarks check it is taken). */
  readonly fastPathCalls: number;
  close(): Promise<void>;
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

/**
 * The request target's path as `new URL(target, base).pathname` gives it, without building a URL
 * for the usual origin-form target (`/mcp`, `/mcp?x`): only an absolute-form target or one with
 * dot segments (also percent-encoded), backslashes, a leading `//` or characters outside printable
 * ASCII, which the URL parser rewrites, goes through the parser.
 */
export function pathOf(target: string | undefined): string {
  if (target === undefined || target === '') return '/';
  if (
    target.charCodeAt(0) !== 47 /* / */ ||
    target.charCodeAt(1) === 47 ||
    target.includes('/.') ||
    target.includes('%') ||
    target.includes('\\') ||
    /[^\x21-\x7e]/.test(target)
  )
    return new URL(target, 'http://localhost').pathname;
  const end = target.search(/[?#]/);
  return end === -1 ? target : target.slice(0, end);
}

const send = (res: ServerResponse, refusal: Refusal) =>
  sendJson(res, refusal.status, refusal.body, refusal.headers);

/**
 * Plain node:http with its own small routing, not a Hono app: @hono/node-server turns every Node
 * request into a Web Request and back, which is what the lean adapter (node-adapter.ts) removed from
 * the MCP path. Measured on a bearer-checked JSON POST, Hono + node-server took 0.45-0.50 ms of
 * server CPU per request against 0.20-0.25 ms for node:http, on a path whose whole tools/call costs
 * about 1.4 ms; Hono's bearer-auth would not replace the Authenticator either (scopes, OAuth JWTs,
 * WWW-Authenticate challenges). So this package does not depend on hono.
 *
 * Streamable HTTP at /mcp, stateless: every POST gets a fresh McpServer from the factory, serving
 * 2026-07-28 clients and (statelessly) 2025-11-25 clients. Host and Origin are checked (403),
 * bearer tokens when configured (401), bodies are capped (413). GET /healthz answers 200; GET
 * /metrics serves the Prometheus metrics.
 */
export async function startMcpHttpServer(options: HttpServerOptions): Promise<McpHttpServerHandle> {
  const config: McpConfig = options;
  const host = options.host ?? config.httpHost;
  const port = options.port ?? config.httpPort;
  const runtime = getRuntime(config);
  const log = runtime.logger.child({ component: 'http' });

  // Per request: a server scoped to what the verified credential may call (tools/list shows only
  // what its scopes allow) and to what the message needs (a tools/call registers only its tool).
  const handler = createMcpHandler(
    (ctx) =>
      createOcsMcpServer(config, ctx.authInfo, { onlyTool: calledToolName(parsedBodyOf(ctx.requestInfo)) }),
    {
      maxRequestBodySize: MAX_REQUEST_BODY_BYTES,
      onerror: (err) => log.warn({ err: err.message }, 'MCP request rejected or failed'),
    },
  );
  const mcp = createNodeMcpAdapter(handler, {
    onerror: (err) => log.error({ err }, 'MCP handler failed'),
  });
  const bindHost = host === '0.0.0.0' || host === '::' ? [] : [host.includes(':') ? `[${host}]` : host];
  const checkHost = hostHeaderValidation([
    ...localhostAllowedHostnames(),
    ...bindHost,
    ...config.allowedHosts,
  ]);
  const checkOrigin = originValidation([...localhostAllowedOrigins(), ...config.allowedOrigins]);
  const fastPath = options.fastPath === false ? undefined : createToolCallFastPath(runtime);

  let auth: Authenticator | undefined;
  let fastPathCalls = 0;

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      const path = pathOf(req.url);
      const twoHosts = duplicateHostRefusal(req);
      if (twoHosts) return send(res, twoHosts);
      if (!checkHost(req, res)) return;
      if (
        auth &&
        (path === '/.well-known/oauth-protected-resource' ||
          path === `/.well-known/oauth-protected-resource${new URL(auth.resourceUrl).pathname}`)
      ) {
        if (req.method !== 'GET' && req.method !== 'HEAD')
          return sendJson(res, 405, { error: 'method not allowed' }, { allow: 'GET' });
        return sendJson(res, 200, auth.protectedResourceMetadata(), { 'access-control-allow-origin': '*' });
      }
      if (path === '/healthz') {
        if (req.method === 'GET' || req.method === 'HEAD') return sendJson(res, 200, { status: 'ok' });
        return sendJson(res, 405, { error: 'method not allowed' }, { allow: 'GET' });
      }
      // Open like /healthz, for Prometheus: the series carry tool names, outcomes, OCS route
      // templates and statuses, never an id, an argument, a principal or a secret.
      if (path === '/metrics') {
        if (req.method !== 'GET' && req.method !== 'HEAD')
          return sendJson(res, 405, { error: 'method not allowed' }, { allow: 'GET' });
        const { contentType, body } = await runtime.metrics.exposition();
        res.writeHead(200, { 'content-type': contentType });
        return res.end(req.method === 'HEAD' ? undefined : body);
      }
      if (path !== '/mcp') return sendJson(res, 404, { error: 'not found' });
      if (!checkOrigin(req, res)) return;
      const gate = auth as Authenticator;
      const who = await gate.authenticate(req.headers.authorization);
      if (!who.ok) {
        log.warn({ hasHeader: req.headers.authorization !== undefined }, 'unauthorized MCP request');
        return send(res, who.refusal);
      }
      let parsed: unknown;
      if (req.method === 'POST') {
        const read = await readJsonBody(req, MAX_REQUEST_BODY_BYTES);
        if (!read.ok) return send(res, read.refusal);
        const batch = batchRefusal(read.body, req);
        if (batch) return send(res, batch);
        if (who.authInfo) {
          const principal = principalOf(who.authInfo);
          for (const message of messagesOf(read.body)) {
            const missing = await missingScope(message, principal, runtime);
            if (!missing) continue;
            auditDenied(runtime, principal, message, missing.reason);
            const wanted = [...new Set([...principal.scopes, missing.scope])].join(' ');
            return sendJson(
              res,
              403,
              jsonRpcError(
                -32003,
                `Forbidden: insufficient_scope: ${missing.reason}; the token needs the scope ${missing.scope}`,
                message.id ?? null,
              ),
              { 'www-authenticate': gate.challenge('insufficient_scope', missing.reason, wanted) },
            );
          }
        }
        parsed = read.body;
        if (fastPath && (await fastPath.serve(req, res, parsed, who.authInfo))) {
          fastPathCalls++;
          return;
        }
      }
      await mcp(req, res, { parsedBody: parsed, authInfo: who.authInfo });
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
  // prom-client loads once the server listens: it adds nothing to start-to-healthy, and a tool
  // call answered before it is loaded is counted when it is.
  void runtime.metrics.load();
  const actualPort = (server.address() as AddressInfo).port;
  const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  const url = `http://${urlHost}:${actualPort}/mcp`;
  auth = new Authenticator(config, runtime.staticTokens.tokens, url, log);
  log.info({ url, auth: auth.enabled, oauth: auth.oauth }, 'MCP Streamable HTTP server listening');
  if (config.authTokens.length > 0)
    log.warn(
      'MCP_AUTH_TOKENS grants every OCS scope to each token; prefer MCP_AUTH_TOKENS_FILE with subjects and scopes',
    );
  if (!auth.enabled && !['127.0.0.1', 'localhost', '::1'].includes(host))
    log.warn(
      { host },
      'listening beyond loopback without MCP_AUTH_TOKENS: anyone who can reach it can provision',
    );

  let closing: Promise<void> | undefined;
  return {
    url,
    port: actualPort,
    get fastPathCalls() {
      return fastPathCalls;
    },
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
