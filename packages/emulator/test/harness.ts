import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type EmulatorOptions, type RunningEmulator, startEmulator } from '@ocsai/emulator';

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: tests inspect arbitrary JSON bodies
  body: any;
}

export interface Harness {
  emulator: RunningEmulator;
  dir: string;
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Reply>;
  close(): Promise<void>;
}

/** A temp directory that is removed at close. */
export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'ocs-emulator-test-'));
}

/**
 * Starts a real emulator on a free loopback port. Contract tests use an in-memory database (fsync
 * per write would dominate their run time); `onDisk` gives it a real SQLite file in a temp dir.
 */
export async function startHarness(opts: EmulatorOptions & { onDisk?: boolean } = {}): Promise<Harness> {
  const dir = tempDir();
  const { onDisk, ...rest } = opts;
  const db = onDisk ? join(dir, 'ocs.sqlite') : ':memory:';
  const emulator = await startEmulator({ port: 0, db, logger: false, ...rest });
  return {
    emulator,
    dir,
    async call(method, path, body, headers = {}) {
      const init: RequestInit = { method, headers: { ...headers } };
      if (body !== undefined) {
        init.body = typeof body === 'string' ? body : JSON.stringify(body);
        (init.headers as Record<string, string>)['Content-Type'] ??= 'application/json';
      }
      const res = await fetch(`${emulator.url}${path}`, init);
      const text = await res.text();
      let parsed: unknown;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        parsed = undefined;
      }
      return { status: res.status, headers: res.headers, text, body: parsed };
    },
    async close() {
      await emulator.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

let counter = 0;
/** A fresh, valid 13-digit MSISDN per call (unique within a test run). */
export function uniqueMsisdn(): string {
  counter += 1;
  return `4366${String(Date.now() % 1e6).padStart(6, '0')}${String(counter).padStart(3, '0')}`.slice(0, 15);
}
