import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';

export interface RunningRedis {
  url: string;
  port: number;
  /** Stops the server for good and removes its directory. */
  stop(): Promise<void>;
  /** Kills the server (SIGKILL, like a crash) and starts it again on the same port, empty. */
  restart(): Promise<void>;
  /** Kills the server without starting it again (restart later with start()). */
  kill(): Promise<void>;
  start(): Promise<void>;
}

/** Resolves once the port accepts a PING, polling every 20 ms up to `timeoutMs`. */
async function waitForPong(port: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = new Socket();
      socket.once('error', () => resolve(false));
      socket.connect(port, '127.0.0.1', () => socket.write('PING\r\n'));
      socket.once('data', (data) => {
        socket.destroy();
        resolve(String(data).startsWith('+PONG'));
      });
    });
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`redis-server on port ${port} did not answer PING in ${timeoutMs} ms`);
}

/**
 * A real redis-server (the Debian package; CI installs it) on a free loopback port, without
 * persistence, in a temporary directory. For tests of the redis context store and rate limiter.
 */
export async function startRedis(): Promise<RunningRedis> {
  const dir = mkdtempSync(join(tmpdir(), 'ocsai-redis-'));
  const port = await freePort();
  let child: ChildProcess | undefined;

  const start = async () => {
    const spawned = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
      { stdio: 'ignore' },
    );
    child = spawned;
    const failed = once(spawned, 'error').then(([error]) => {
      throw new Error(`cannot start redis-server (apt-get install -y redis-server): ${String(error)}`);
    });
    await Promise.race([waitForPong(port), failed]);
  };

  const kill = async () => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    const exited = once(running, 'exit');
    running.kill('SIGKILL');
    await exited;
  };

  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    start,
    kill,
    async restart() {
      await kill();
      await start();
    },
    async stop() {
      await kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
