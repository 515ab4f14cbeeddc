import { PassThrough } from 'node:stream';
import type { CliIo } from '../../src/cli/run.js';

export interface FakeIo extends CliIo {
  stdin: PassThrough & { isTTY?: boolean };
  out(): string;
  err(): string;
}

/**
 * Captured stdout/stderr and a scriptable stdin. `input` is written to stdin; unless `keepOpen`,
 * stdin then ends (like a pipe or a closed terminal).
 */
export function fakeIo(
  options: {
    tty?: boolean;
    stdoutTty?: boolean;
    input?: string;
    keepOpen?: boolean;
    env?: Record<string, string>;
  } = {},
): FakeIo {
  const stdin = Object.assign(new PassThrough(), { isTTY: options.tty ?? false });
  if (options.input !== undefined) stdin.write(options.input);
  if (!options.keepOpen) stdin.end();
  let out = '';
  let err = '';
  return {
    stdin,
    stdout: { write: (text: string) => (out += text), isTTY: options.stdoutTty ?? options.tty ?? false },
    stderr: { write: (text: string) => (err += text), isTTY: options.tty ?? false },
    env: options.env ?? {},
    version: '9.9.9-test',
    out: () => out,
    err: () => err,
  };
}
