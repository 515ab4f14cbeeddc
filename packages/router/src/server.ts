import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Hono } from 'hono';
import type { RouterEnv } from './http/router-env.js';

export interface RunningServer {
  url: string;
  port: number;
  /** Stops accepting connections, lets in-flight requests finish, then resolves. */
  close(): Promise<void>;
}

/** Puts a router app on a TCP port. */
export async function listen(
  app: Hono<RouterEnv>,
  host: string,
  port: number,
  options: { shutdownGraceMs?: number } = {},
): Promise<RunningServer> {
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const created = serve({ fetch: app.fetch, hostname: host, port }, () => resolve(created));
    created.once('error', reject);
  });
  const address = server.address() as AddressInfo;
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const httpServer = server as import('node:http').Server;
  return {
    url: `http://${urlHost}:${address.port}`,
    port: address.port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        // A stream that never ends must not block shutdown forever: cut what is left after the grace period.
        const deadline = setTimeout(
          () => httpServer.closeAllConnections(),
          options.shutdownGraceMs ?? 10_000,
        );
        deadline.unref();
        // Idle keep-alive sockets would hold close() open until they time out; busy ones finish
        // first and are closed as soon as they go idle, so shutdown takes as long as the slowest
        // in-flight request and no longer.
        httpServer.on('request', (_req, res) => res.setHeader('connection', 'close'));
        const sweep = setInterval(() => httpServer.closeIdleConnections(), 50);
        httpServer.close((error) => {
          clearTimeout(deadline);
          clearInterval(sweep);
          if (error) reject(error);
          else resolve();
        });
        httpServer.closeIdleConnections();
      }),
  };
}
