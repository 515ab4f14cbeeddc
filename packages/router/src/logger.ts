import { pino } from 'pino';

// Hyphenated keys need pino's bracket notation.
const SECRET_KEYS = [
  'authorization',
  'Authorization',
  'apiKey',
  'api_key',
  '["api-key"]',
  '["x-api-key"]',
  'OPENAI_API_KEY',
  'ANTHROPIC_API_KEY',
  'AZURE_OPENAI_API_KEY',
  'OPENROUTER_API_KEY',
  'LMSTUDIO_API_KEY',
  'OLLAMA_API_KEY',
];

/**
 * Paths pino blanks out. The router never logs headers or configuration on purpose; these are the
 * safety net should someone log a request, an upstream error or the env later.
 */
export const REDACT_PATHS = [
  ...SECRET_KEYS.filter((key) => !key.startsWith('[')),
  ...SECRET_KEYS.map((key) => (key.startsWith('[') ? `*${key}` : `*.${key}`)),
  ...SECRET_KEYS.map((key) => (key.startsWith('[') ? `*.*${key}` : `*.*.${key}`)),
  'req.headers.cookie',
];

export type Logger = pino.Logger;

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { service: 'ocs-router' },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
  };
  return destination ? pino(options, destination) : pino(options);
}

export const silentLogger = (): Logger => pino({ level: 'silent' });
