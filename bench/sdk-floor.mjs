// The SDK's floor: a bare MCP server on the official SDK v2, wired the way its docs show (createMcpHandler +
// toNodeHandler, a fresh McpServer per request), with one constant tool per benchmarked operation and no OCS
// behind it. Whatever an MCP call costs here, the SDK costs; the gap to ocs-mcp is ours.
// Usage: MCP_HTTP_PORT=N node bench/sdk-floor.mjs (GET /healthz answers 200).

import { createServer } from 'node:http';
import { toNodeHandler } from '@modelcontextprotocol/node';
import { createMcpHandler, McpServer } from '@modelcontextprotocol/server';
import { z } from 'zod';

const Answer = z.object({ ok: z.boolean() });
const Args = z.looseObject({});
const CONSTANT = {
  content: [{ type: /** @type {const} */ ('text'), text: '{"ok":true}' }],
  structuredContent: { ok: true },
};
const TOOLS = ['lookup_subscriber', 'get_subscriber', 'create_balance'];

const handler = createMcpHandler(() => {
  const server = new McpServer({ name: 'sdk-floor', version: '1.0.0' }, { capabilities: { tools: {} } });
  for (const name of TOOLS)
    server.registerTool(
      name,
      { description: 'constant answer', inputSchema: Args, outputSchema: Answer },
      async () => CONSTANT,
    );
  return server;
});
const mcp = toNodeHandler(handler);
const http = createServer((req, res) => {
  if (req.url === '/healthz') {
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
    return;
  }
  void mcp(req, res);
});
http.listen(Number(process.env.MCP_HTTP_PORT ?? 0), '127.0.0.1');
// Exit at once (a --cpu-prof profile is written on exit); keep-alive clients need not be drained here.
const stop = () => process.exit(0);
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
