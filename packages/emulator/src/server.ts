import type { ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { loadOfferCatalogue, OCS_BASE_PATH } from '@ocsai/contract';
import type { Logger } from 'pino';
import { createEmulatorApp } from './app.js';
import type { Fidelity } from './http/app-env.js';
import { OcsStore } from './store/ocs-store.js';

/** How long close() waits for in-flight requests before cutting their sockets. */
const SHUTDOWN_GRACE_MS = 10_000;

export interface EmulatorOptions {
  host?: string;
  port?: number;
  db?: string;
  apiKey?: string;
  fidelity?: Fidelity;
  offersFile?: string;
  logger?: Logger | false;
}

export interface RunningEmulator {
  /** Base URL including the context path, e.g. http://127.0.0.1:43123/ocs/prov/v1 */
  url: string;
  port: number;
  /** Stops accepting, lets in-flight requests finish, then closes the database. Idempotent. */
  close(): Promise<void>;
}

/** Opens the database, starts the HTTP server and resolves once it listens. */
export async function startEmulator(opts: EmulatorOptions = {}): Promise<RunningEmulator> {
  const host = opts.host ?? '127.0.0.1';
  const store = OcsStore.open(opts.db ?? './data/ocs-emulator.sqlite');
  let server: ReturnType<typeof serve>;
  try {
    const offers = loadOfferCatalogue(opts.offersFile).offers;
    const app = createEmulatorApp({
      store,
      offers,
      fidelity: opts.fidelity ?? 'friendly',
      ...(opts.apiKey ? { apiKey: opts.apiKey } : {}),
      logger: opts.logger ?? false,
    });
    server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
      const s = serve({ fetch: app.fetch, hostname: host, port: opts.port ?? 8080 }, () => resolve(s));
      s.once('error', reject);
    });
  } catch (error) {
    store.close();
    throw error;
  }
  const inFlight = new Set<ServerResponse>();
  server.on('request', (_req: unknown, res: ServerResponse) => {
    inFlight.add(res);
    res.once('close', () => inFlight.delete(res));
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${urlHost}:${port}${OCS_BASE_PATH}`,
    port,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => {
          store.close();
          resolve();
        });
        // Keep-alive sockets with no request in flight would otherwise hold close() open, and so
        // would the sockets of in-flight requests once they turn idle; a client that keeps a
        // request hanging gets a grace period, then its socket is cut.
        if ('closeIdleConnections' in server) {
          const http = server;
          http.closeIdleConnections();
          http.on('request', (_req, res) =>
            res.once('finish', () => setImmediate(() => http.closeIdleConnections())),
          );
          for (const res of inFlight)
            res.once('finish', () => setImmediate(() => http.closeIdleConnections()));
          setTimeout(() => http.closeAllConnections(), SHUTDOWN_GRACE_MS).unref();
        }
      });
      return closing;
    },
  };
}
