import { currentTraceIds } from '@ocsai/telemetry';
import { pino } from 'pino';
import { SECRET_VARIABLES } from './providers/catalogue.js';

const SECRET_HEADERS = ['authorization', 'cookie', '["x-api-key"]', '["api-key"]'];
const HEADER_HOLDERS = ['headers', 'req.headers', 'request.headers', 'err.headers', 'options.headers'];

/**
 * Paths pino blanks out. The router never logs headers or configuration on purpose; these are the
 * safety net should someone log a request, an upstream error or the env later. Only explicit
 * paths: pino's wildcard redaction costs tens of microseconds per line, which would dominate the
 * router's sub-millisecond overhead.
 */
export const REDACT_PATHS = [
  ...HEADER_HOLDERS.flatMap((holder) =>
    SECRET_HEADERS.map((header) => (header.startsWith('[') ? `${holder}${header}` : `${holder}.${header}`)),
  ),
  'authorization',
  'apiKey',
  'api_key',
  ...SECRET_VARIABLES.flatMap((name) => [name, `env.${name}`, `config.${name}`]),
];

export type Logger = pino.Logger;

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { service: 'ocs-router' },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    // trace_id and span_id on every line written inside a span, so logs and traces join.
    mixin: currentTraceIds,
  };
  return destination ? pino(options, destination) : pino(options);
}

export const silentLogger = (): Logger => pino({ level: 'silent' });
