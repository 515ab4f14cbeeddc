/**
 * Complaint #6 (memory leaks in streaming): finished, failed and abandoned requests must not leave
 * listeners on a shared abort signal or open sockets behind.
 */
import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { PROVIDER_NAMES } from '../../src/providers/catalogue.js';
import { collect, eventually, rejection, rig, user } from './harness.js';

describe.each(PROVIDER_NAMES)('%s resources', (name) => {
  it('a long-lived signal reused for many requests keeps no listeners; abandoned streams free their sockets', async () => {
    const r = await rig(name);
    try {
      const controller = new AbortController();
      const request = { model: '', messages: [user('x')], signal: controller.signal };
      r.fake.setScript((_req, turn) =>
        turn % 4 === 3
          ? { error: { status: 500 } }
          : { text: 'a fairly long streamed answer', chunkDelayMs: turn % 4 === 2 ? 120 : 0 },
      );
      for (let i = 0; i < 3; i += 1) {
        await r.adapter.chat(request);
        await collect(r.adapter.stream(request));
        for await (const _event of r.adapter.stream(request)) break; // abandoned early
        await rejection(r.adapter.chat(request));
      }
      // undici detaches its listener when the body stream closes, a tick after the body resolved.
      await eventually(() => getEventListeners(controller.signal, 'abort').length === 0);
      // Abandoned streams close their sockets; the rest stay pooled, so the count stays small.
      await eventually(() => r.fake.aborted === 3);
      expect(r.fake.connections).toBeLessThanOrEqual(8);
    } finally {
      await r.close();
    }
  });
});
