import type { SecretRedactor } from '@ocsai/contract';
import pino, { type Logger } from 'pino';

/**
 * pino to STDERR, always: over stdio, stdout carries only MCP protocol messages. The OCS API key
 * and bearer tokens are redacted by path should they end up in a logged object, and every
 * configured secret value is redacted from each line as written, wherever it appears (an OCS
 * error body that echoes the API key, say).
 */
export function createLogger(level: string, redactor?: SecretRedactor): Logger {
  return pino(
    {
      name: 'ocs-mcp',
      level,
      redact: {
        paths: ['apiKey', 'ocsApiKey', 'authorization', 'headers.authorization', 'headers["x-api-key"]'],
        censor: '[redacted]',
      },
      ...(redactor && redactor.size > 0
        ? { hooks: { streamWrite: (line: string) => redactor.text(line) } }
        : {}),
    },
    pino.destination({ fd: 2, sync: true }),
  );
}
