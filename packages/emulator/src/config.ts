import { parseEnv } from '@ocsai/contract';
import { z } from 'zod';

const port = z.coerce.number().int().min(0).max(65535);

/** Every environment variable the emulator reads, with defaults (used to generate docs and .env.example). */
export const emulatorEnvSchema = z.object({
  OCS_EMULATOR_HOST: z.string().min(1).default('127.0.0.1').describe('Interface to bind.'),
  OCS_EMULATOR_PORT: port.default(8080).describe('TCP port (0 picks a free one).'),
  OCS_EMULATOR_DB: z
    .string()
    .min(1)
    .default('./data/ocs-emulator.sqlite')
    .describe("SQLite file (its directory is created); ':memory:' for a throw-away database."),
  OCS_EMULATOR_API_KEY: z
    .string()
    .min(1)
    .optional()
    .describe('When set, every request except /health-check needs a matching X-API-Key header (else 401).'),
  OCS_EMULATOR_FIDELITY: z
    .enum(['friendly', 'strict'])
    .default('friendly')
    .describe(
      'strict: copy the real backend where it is less friendly (bodiless 4xx, 500 for non-numeric limit/offset); friendly: always a Spring-style error body naming the problem.',
    ),
  OCS_OFFERS_FILE: z
    .string()
    .min(1)
    .optional()
    .describe('Offer catalogue (.csv or .json) served by GET /offers; default: the bundled offers.csv.'),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default('info')
    .describe('pino log level (JSON logs on stdout).'),
});
export type EmulatorEnv = z.infer<typeof emulatorEnvSchema>;

/** Parses the environment; fails fast with a {@link ConfigError} naming each bad variable. Blank values count as unset. */
export function loadEmulatorConfig(env: Readonly<Record<string, string | undefined>>): EmulatorEnv {
  return parseEnv('emulator', emulatorEnvSchema, env);
}
