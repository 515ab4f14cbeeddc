#!/usr/bin/env node
// Entry point of `ocs-ask`: wires the process to runCli, which holds all the logic (and the tests).
import { readFileSync } from 'node:fs';
import { runCli } from './cli/run.js';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string;
};
const interrupt = new AbortController();
process.once('SIGINT', () => interrupt.abort());

process.exitCode = await runCli(process.argv.slice(2), {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  version: pkg.version,
  signal: interrupt.signal,
});
// A readline left on a TTY stdin would otherwise keep the process waiting.
process.stdin.unref?.();
