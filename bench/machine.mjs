// Describes the machine and the code a run measured, so figures can be compared across runs honestly.

import { execFileSync } from 'node:child_process';
import os from 'node:os';

/** @param {string[]} args */
function git(args) {
  try {
    return execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return '';
  }
}

/** @returns {string} e.g. "Ubuntu 24.04.1 LTS" from /etc/os-release, else the kernel name */
function osName() {
  try {
    const text = execFileSync('cat', ['/etc/os-release'], { encoding: 'utf8' });
    const match = /^PRETTY_NAME="?([^"\n]+)"?/m.exec(text);
    if (match?.[1]) return `${match[1]} (${os.type()} ${os.release()}, ${os.arch()})`;
  } catch {
    // not Linux: fall through
  }
  return `${os.type()} ${os.release()} (${os.arch()})`;
}

/** @param {string} cwd repository root */
export function describeMachine(cwd = process.cwd()) {
  const cpus = os.cpus();
  const dirty = git(['-C', cwd, 'status', '--porcelain', '--untracked-files=no']) !== '';
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    available_parallelism: os.availableParallelism(),
    memory_gb: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    os: osName(),
    load_average_at_start: os.loadavg().map((v) => Math.round(v * 100) / 100),
    date: new Date().toISOString(),
    git_commit: git(['-C', cwd, 'rev-parse', '--short=12', 'HEAD']) || 'unknown',
    git_dirty: dirty,
  };
}
