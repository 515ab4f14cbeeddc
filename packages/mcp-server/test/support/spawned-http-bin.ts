import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { TEST_SECRET } from '../helpers.js';

const BIN = fileURLToPath(new URL('../../dist/bin.js', import.meta.url));

export interface SpawnedHttpBin {
  child: ChildProcess;
  /** The MCP endpoint the bin logged it listens on. */
  url: string;
  /** Everything the bin wrote to stderr so far (logs, and what a preloaded probe reports). */
  stderr(): string;
}

/**
 * The built bin started as users start it (`ocs-mcp --http` on a free port, warn-level logs), with a
 * probe preloaded through NODE_OPTIONS; resolves once it logs where it listens.
 */
export async function spawnProbedHttpBin(options: {
  probe: string;
  ocsUrl: string;
  env?: Record<string, string>;
}): Promise<SpawnedHttpBin> {
  const child = spawn(process.execPath, [BIN, '--http'], {
    env: {
      PATH: process.env.PATH ?? '',
      NODE_OPTIONS: `--import=${options.probe}`,
      OCS_API_URL: options.ocsUrl,
      MCP_CONFIRMATION_SECRET: TEST_SECRET,
      MCP_HTTP_PORT: '0',
      LOG_LEVEL: 'warn',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr?.on('data', (d) => {
      err += String(d);
      const m = /listening on (http:\/\/\S+)/.exec(err);
      if (m?.[1]) resolve(m[1]);
    });
    child.on('exit', () => reject(new Error(err)));
  });
  return { child, url, stderr: () => err };
}
