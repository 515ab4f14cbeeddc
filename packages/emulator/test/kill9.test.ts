import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { tempDir } from './harness.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const bin = join(root, 'packages/emulator/dist/bin.js');
const dir = tempDir();
const db = join(dir, 'durable.sqlite');
const children: ChildProcess[] = [];

beforeAll(() => {
  // The child runs the compiled emulator, exactly as `ocs-emulator` does in production.
  execFileSync(join(root, 'node_modules/.bin/tsc'), ['-b', 'packages/emulator/tsconfig.build.json'], {
    cwd: root,
  });
}, 120_000);

afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

/** Spawns the built bin on a free port and resolves with its base URL from the first log line. */
function spawnEmulator(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [bin], {
    env: { ...process.env, OCS_EMULATOR_PORT: '0', OCS_EMULATOR_DB: db, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let buffer = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const match = /"url":"([^"]+)"/.exec(buffer);
      if (match?.[1]) resolve({ child, url: match[1] });
    });
    child.once('exit', (code) => reject(new Error(`emulator exited early (${code})`)));
  });
}

it('every acknowledged write survives kill -9', async () => {
  const first = await spawnEmulator();
  const ids: string[] = [];
  for (let i = 0; i < 25; i++) {
    const res = await fetch(`${first.url}/subscribers`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ msisdn: `4366455${String(i).padStart(5, '0')}` }),
    });
    expect(res.status).toBe(201);
    ids.push(((await res.json()) as { subscriberId: string }).subscriberId);
  }
  const exited = new Promise((resolve) => first.child.once('exit', resolve));
  first.child.kill('SIGKILL');
  await exited;

  const second = await spawnEmulator();
  for (const id of ids) {
    expect((await fetch(`${second.url}/subscribers/${id}`)).status).toBe(200);
  }
  // SIGTERM is a graceful shutdown with exit code 0.
  const code = new Promise((resolve) => second.child.once('exit', resolve));
  second.child.kill('SIGTERM');
  expect(await code).toBe(0);
});
