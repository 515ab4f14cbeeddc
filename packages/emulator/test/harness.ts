import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadOfferCatalogue, OCS_BASE_PATH } from '@ocsai/contract';
import {
  type CreateAppOptions,
  createEmulatorApp,
  type EmulatorOptions,
  OcsStore,
  type RunningEmulator,
  startEmulator,
} from '@ocsai/emulator';

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: tests inspect arbitrary JSON bodies
  body: any;
}

/** Calls the API by path below the context path, e.g. `call('GET', '/health-check')`. */
export interface Caller {
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Reply>;
  close(): Promise<void>;
}

export interface Harness extends Caller {
  emulator: RunningEmulator;
  dir: string;
}

type Send = (url: string, init: RequestInit) => Promise<Response>;

/** One request, read whole: the body as text and, when it parses, as JSON. */
function caller(base: string, send: Send): Caller['call'] {
  return async (method, path, body, headers = {}) => {
    const init: RequestInit = { method, headers: { ...headers } };
    if (body !== undefined) {
      init.body = typeof body === 'string' ? body : JSON.stringify(body);
      (init.headers as Record<string, string>)['Content-Type'] ??= 'application/json';
    }
    const res = await send(`${base}${path}`, init);
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    return { status: res.status, headers: res.headers, text, body: parsed };
  };
}

/**
 * The emulator's app on a fresh in-memory database, called through Hono's `app.request()`: no
 * socket, no port. For everything that is not about the HTTP server itself.
 */
export function appHarness(opts: Omit<CreateAppOptions, 'store'> & { offersFile?: string } = {}): Caller {
  const { offersFile, ...rest } = opts;
  const store = OcsStore.open(':memory:');
  const app = createEmulatorApp({
    store,
    logger: false,
    ...(offersFile ? { offers: loadOfferCatalogue(offersFile).offers } : {}),
    ...rest,
  });
  return {
    call: caller(`http://localhost${OCS_BASE_PATH}`, async (url, init) => app.request(url, init)),
    async close() {
      store.close();
    },
  };
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
    call: caller(emulator.url, fetch),
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

/** A subscriber with a fresh MSISDN and one subscription to offer 1000: the usual starting point. */
export async function seedSubscription(h: Caller): Promise<{ subscriberId: string; subscriptionId: string }> {
  const subscriberId = (await h.call('POST', '/subscribers', { msisdn: uniqueMsisdn() })).body.subscriberId;
  const subscriptionId = (
    await h.call('POST', `/subscribers/${subscriberId}/subscriptions`, { offerId: '1000' })
  ).body.subscriptionId;
  return { subscriberId, subscriptionId };
}
