import type { SecretRedactor } from '@ocsai/contract';
import { currentTraceIds } from '@ocsai/telemetry';
import pino, { type DestinationStream, type Logger } from 'pino';

/**
 * pino to STDERR, always: over stdio, stdout carries only MCP protocol messages. The OCS API key
 * and bearer tokens are redacted by path should they end up in a logged object, and every
 * configured secret value is redacted from each line as written, wherever it appears (an OCS
 * error body that echoes the API key, say). Inside a span every line carries `trace_id` and
 * `span_id` (nothing while tracing is off), so the log joins the trace.
 */
export function createLogger(
  level: string,
  redactor?: SecretRedactor,
  destination: DestinationStream = pino.destination({ fd: 2, sync: true }),
): Logger {
  return pino(
    {
      name: 'ocs-mcp',
      level,
      mixin: currentTraceIds,
      redact: {
        paths: ['apiKey', 'ocsApiKey', 'authorization', 'headers.authorization', 'headers["x-api-key"]'],
        censor: '[redacted]',
      },
      ...(redactor && redactor.size > 0
        ? { hooks: { streamWrite: (line: string) => redactor.text(line) } }
        : {}),
    },
    destination,
  );
}
