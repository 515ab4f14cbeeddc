import { parseArgs } from 'node:util';
import { DEFAULT_BASE_URL } from '../router-client.js';
import { PROVIDER_NAMES, type ProviderName } from '../types.js';

/** What the command line asked for, after defaults from the environment. */
export interface CliOptions {
  question: string | undefined;
  provider: ProviderName | undefined;
  model: string | undefined;
  user: string | undefined;
  stream: boolean;
  json: boolean;
  url: string;
  apiKey: string | undefined;
  /** Pre-answer a confirmation: true (--yes), false (--no), undefined (ask on the TTY). */
  answer: boolean | undefined;
  timeoutMs: number | undefined;
  help: boolean;
  version: boolean;
}

/** A mistake on the command line; the CLI prints it with a hint and exits 1. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export const HELP_TEXT = `Usage: ocs-ask [options] "question"

Ask the OCS AI router a question and print the answer.
The question may also be piped on stdin.

Options:
  -p, --provider <name>   ${PROVIDER_NAMES.join(' | ')}
  -m, --model <model>     model name (the provider's default when absent)
  -u, --user <id>         user id (selects the stored context)
  -s, --stream            print the answer as it is generated
      --json              print the full response as JSON (with --stream: one event per line)
      --url <url>         router URL (env OCS_ROUTER_URL, default ${DEFAULT_BASE_URL})
      --api-key <key>     router API key (env OCS_ROUTER_API_KEY)
      --timeout <ms>      give up after this many milliseconds of silence
  -y, --yes               approve a tool confirmation without asking
  -n, --no                reject a tool confirmation without asking
  -h, --help              show this help
  -v, --version           show the version

Exit codes: 0 ok, 1 usage error, 2 router or network error,
            3 confirmation needed but no way to answer it (no TTY, no --yes/--no).
`;

export function parseCliArgs(argv: string[], env: Record<string, string | undefined>): CliOptions {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    // parseArgs errors are already phrased for humans ("Unknown option '--foo'").
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  const provider = values.provider;
  if (provider !== undefined && !(PROVIDER_NAMES as readonly string[]).includes(provider)) {
    throw new UsageError(`--provider must be one of ${PROVIDER_NAMES.join(', ')} (got "${provider}")`);
  }
  if (values.yes && values.no) throw new UsageError('--yes and --no cannot be used together');
  const url = values.url ?? nonEmpty(env['OCS_ROUTER_URL']) ?? DEFAULT_BASE_URL;
  if (!/^https?:\/\/[^/]/i.test(url)) throw new UsageError(`--url must be an http(s) URL (got "${url}")`);
  let timeoutMs: number | undefined;
  if (values.timeout !== undefined) {
    timeoutMs = Number(values.timeout);
    if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) {
      throw new UsageError(`--timeout must be a positive number of milliseconds (got "${values.timeout}")`);
    }
  }
  for (const name of ['model', 'user', 'api-key'] as const) {
    if (values[name] !== undefined && values[name].trim() === '')
      throw new UsageError(`--${name} must not be empty`);
  }
  const question = positionals.join(' ').trim();
  return {
    question: question === '' ? undefined : question,
    provider: provider as ProviderName | undefined,
    model: values.model,
    user: values.user,
    stream: values.stream ?? false,
    json: values.json ?? false,
    url,
    apiKey: values['api-key'] ?? nonEmpty(env['OCS_ROUTER_API_KEY']),
    answer: values.yes ? true : values.no ? false : undefined,
    timeoutMs,
    help: values.help ?? false,
    version: values.version ?? false,
  };
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      provider: { type: 'string', short: 'p' },
      model: { type: 'string', short: 'm' },
      user: { type: 'string', short: 'u' },
      stream: { type: 'boolean', short: 's' },
      json: { type: 'boolean' },
      url: { type: 'string' },
      'api-key': { type: 'string' },
      timeout: { type: 'string' },
      yes: { type: 'boolean', short: 'y' },
      no: { type: 'boolean', short: 'n' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'v' },
    },
  });
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
