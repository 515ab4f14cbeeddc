// The Node floor: the least a Node MCP server over HTTP can do per tools/call. node:http reads the JSON-RPC body,
// one undici pool makes the same OCS calls the tool makes (lookup_subscriber: lookup + GET; get_subscriber: GET;
// create_balance: POST), and the answer goes back as the 2025-11-25 stateless transport writes it (one SSE
// `message` event holding the result with text and structuredContent). No MCP SDK, no schema, no check of any
// kind: whatever a real server spends above this figure, in the same run, is the price of being an MCP server
// that validates, authorises, audits and measures. Not a server to use: it trusts every byte it is sent.
// With --stdio it is the same over stdio instead: newline-delimited JSON-RPC on stdin and stdout, the
// initialize handshake answered, every other message but a tools/call ignored (the stdio transport's floor).
// Usage: MCP_HTTP_PORT=N OCS_API_URL=URL node bench/node-floor.mjs (GET /healthz answers 200)
//        OCS_API_URL=URL node bench/node-floor.mjs --stdio

import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { Pool } from 'undici';

const ocs = new URL(process.env.OCS_API_URL ?? 'http://127.0.0.1:8080/ocs/prov/v1');
const pool = new Pool(ocs.origin, { connections: 16 });
const base = ocs.pathname.replace(/\/+$/, '');

/**
 * One OCS call with the X-Transaction-ID a tool call sends (ocs-mcp makes one per call; the emulator keeps a
 * replay record for a POST that carries one), so the floor makes the same OCS requests as the server it bounds.
 * @param {'GET' | 'POST'} method
 * @param {string} path below the OCS base path
 * @param {string} transactionId
 * @param {unknown} [body]
 * @returns {Promise<any>}
 */
async function rest(method, path, transactionId, body) {
  /** @type {Record<string, string>} */
  const headers = { 'x-transaction-id': transactionId };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const answer = await pool.request({
    method,
    path: `${base}${path}`,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return answer.body.json();
}

/** @type {Record<string, (args: any, transactionId: string) => Promise<unknown>>} */
const TOOLS = {
  get_subscriber: (args, tx) => rest('GET', `/subscribers/${encodeURIComponent(args.subscriberId)}`, tx),
  lookup_subscriber: async (args, tx) => {
    const found = await rest('GET', `/subscribers/lookup?msisdn=${encodeURIComponent(args.msisdn)}`, tx);
    return rest('GET', `/subscribers/${encodeURIComponent(found.subscriberId)}`, tx);
  },
  create_balance: ({ subscriptionId, ...balance }, tx) =>
    rest('POST', `/subscriptions/${encodeURIComponent(subscriptionId)}/balances`, tx, balance),
};

/**
 * The answer to one tools/call, as the JSON text of its JSON-RPC response.
 * @param {{id: unknown, params?: {name?: string, arguments?: Record<string, unknown>}}} message
 */
async function answer(message) {
  const run = TOOLS[message.params?.name ?? ''];
  const structured = run
    ? await run(message.params?.arguments ?? {}, randomUUID())
    : { error: 'unknown tool' };
  const result = {
    content: [{ type: 'text', text: JSON.stringify(structured) }],
    structuredContent: structured,
  };
  return JSON.stringify({ result, jsonrpc: '2.0', id: message.id });
}

/** Newline-delimited JSON-RPC on stdin and stdout, as the stdio transport frames it. */
function serveStdio() {
  let partial = '';
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (/** @type {string} */ chunk) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      if (line.trim() === '') continue;
      const message = JSON.parse(line);
      if (message.method === 'initialize') {
        const result = {
          protocolVersion: message.params?.protocolVersion,
          capabilities: { tools: {} },
          serverInfo: { name: 'node-floor', version: '1.0.0' },
        };
        process.stdout.write(`${JSON.stringify({ result, jsonrpc: '2.0', id: message.id })}\n`);
      } else if (message.method === 'tools/call') {
        void answer(message).then((json) => process.stdout.write(`${json}\n`));
      }
    }
  });
  process.stdin.once('end', () => process.exit(0));
}

function serveHttp() {
  const http = createServer((req, res) => {
    if (req.url === '/healthz') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
      return;
    }
    /** @type {Buffer[]} */
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', async () => {
      const json = await answer(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      res.end(`event: message\ndata: ${json}\n\n`);
    });
  });
  http.listen(Number(process.env.MCP_HTTP_PORT ?? 0), '127.0.0.1');
}

if (process.argv.includes('--stdio')) serveStdio();
else serveHttp();
const stop = () => process.exit(0);
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
