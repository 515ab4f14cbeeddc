import { once } from 'node:events';
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { McpServerSet } from '../../src/mcp/mcp-server-set.js';

// A server that accepts TCP connections and drops them at once: counts every connection attempt.
let server: Server;
let accepts = 0;
let url = '';

beforeAll(async () => {
  server = createServer((socket) => {
    accepts++;
    socket.destroy();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  url = `http://127.0.0.1:${address.port}/mcp`;
});

afterAll(() => {
  server.close();
});

it('a server that failed to connect is not tried again on the next request while backing off', async () => {
  let now = 1_000_000;
  const warnings: object[] = [];
  const set = new McpServerSet(
    {
      servers: [
        { name: 'down', transport: 'http', url, headers: {}, trusted: false, protocolVersion: 'legacy' },
      ],
      roles: {},
    } as never,
    {
      timeoutMs: 2_000,
      toolsTtlMs: 60_000,
      now: () => now,
      logger: { warn: (object) => warnings.push(object) },
    },
  );
  const first = await set.listTools();
  expect(first.tools).toEqual([]);
  expect(first.unavailable).toEqual([
    { server: 'down', message: expect.stringContaining('"down" is unavailable') },
  ]);
  const attempts = accepts;
  expect(attempts).toBeGreaterThan(0);
  const second = await set.listTools();
  expect(second.unavailable).toHaveLength(1);
  expect(accepts).toBe(attempts);
  expect(warnings).toHaveLength(1);
  // Once the backoff has passed, the server is tried again (and the backoff doubles).
  now += 1_000;
  await set.listTools();
  expect(accepts).toBeGreaterThan(attempts);
  expect(warnings).toHaveLength(2);
  expect(warnings[1]).toMatchObject({ retry_in_ms: 2_000 });
  await set.close();
});
