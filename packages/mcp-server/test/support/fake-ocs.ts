// A fake OCS for the tests that script its answers: a node:http server on a loopback port, reached at the
// OCS base path, and stopped without waiting for the keep-alive connections the OCS client's pool holds.

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ListeningOcs {
  /** The base URL the MCP server is given as OCS_API_URL: `http://127.0.0.1:<port>/ocs/prov/v1`. */
  base: string;
  /** Drops every open connection, then closes the server. */
  stop(): Promise<void>;
}

/** Starts `server` on a free loopback port and returns its OCS base URL. */
export async function listenOcs(server: Server, basePath = '/ocs/prov/v1'): Promise<ListeningOcs> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}${basePath}`,
    async stop() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** The OCS base URL of a loopback port nothing listens on: every connection to it is refused. */
export async function refusedOcsBase(): Promise<string> {
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const { port } = closed.address() as AddressInfo;
  await new Promise((resolve) => closed.close(resolve));
  return `http://127.0.0.1:${port}/ocs/prov/v1`;
}
