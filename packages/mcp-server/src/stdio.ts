import { serveStdio } from '@modelcontextprotocol/server/stdio';
import type { McpConfig } from './config.js';
import { closeRuntime, getRuntime } from './runtime.js';
import { createOcsMcpServer } from './server.js';
import { ToolCallFastStdioTransport } from './stdio-fast-path.js';

/**
 * Serves MCP over stdin/stdout until stdin closes or SIGTERM/SIGINT arrives. stdout carries only
 * protocol messages: console.log is pointed at stderr in case a dependency writes to it. Plain
 * tools/call requests of an opened connection (2025-11-25 or 2026-07-28) are answered by the fast
 * path (stdio-fast-path.ts), which reads stdin; everything else by the SDK's connection-pinned server.
 */
export async function runStdioServer(config: McpConfig): Promise<void> {
  console.log = console.error;
  console.info = console.error;
  const runtime = getRuntime(config);
  const handle = serveStdio(() => createOcsMcpServer(config), {
    transport: new ToolCallFastStdioTransport(runtime),
    onerror: (err) => runtime.logger.warn({ err: err.message }, 'stdio MCP error'),
  });
  runtime.logger.info('MCP server ready on stdio');
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.stdin.once('end', stop);
    process.stdin.once('close', stop);
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
  await handle.close();
  await closeRuntime(config);
}
