import pino, { type Logger } from 'pino';

/**
 * pino to STDERR, always: over stdio, stdout carries only MCP protocol messages. The OCS API key
 * and bearer tokens are redacted should they ever end up in a logged object.
 */
export function createLogger(level: string): Logger {
  return pino(
    {
      name: 'ocs-mcp',
      level,
      redact: {
        paths: ['apiKey', 'ocsApiKey', 'authorization', 'headers.authorization', 'headers["x-api-key"]'],
        censor: '[redacted]',
      },
    },
    pino.destination({ fd: 2, sync: true }),
  );
}
