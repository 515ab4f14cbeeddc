import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRouter } from '../src/index.js';
import { startAllFakes } from './support/fake-upstreams.js';

let upstreams: Awaited<ReturnType<typeof startAllFakes>>;
beforeAll(async () => {
  upstreams = await startAllFakes();
});
afterAll(async () => {
  await upstreams?.close();
});

/**
 * The shape of /metrics, what a dashboard or an alert depends on: every HELP and TYPE line (names,
 * help texts, types, the Node default metrics included), and every series of the router's own and
 * GenAI metrics with its labels and histogram buckets, values dropped (they are timings).
 */
function exposition(text: string): string[] {
  return text
    .split('\n')
    .filter((line) => line.startsWith('# ') || /^(router_|gen_ai_)/.test(line))
    .map((line) => (line.startsWith('# ') ? line : line.replace(/ [^ ]+$/, '')));
}

describe('/metrics exposition', () => {
  it('keeps every metric name, help text, label and bucket of the running router', async () => {
    const router = await startRouter({
      env: { ...upstreams.env, LLM_PROVIDER: 'openai' },
      port: 0,
      logger: false,
    });
    try {
      const chat = await fetch(`${router.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }),
      });
      expect(chat.status).toBe(200);
      await chat.text();
      const refused = await fetch(`${router.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ messages: 'not a list' }),
      });
      expect(refused.status).toBe(400);
      await refused.text();
      const metrics = await fetch(`${router.url}/metrics`);
      expect(metrics.status).toBe(200);
      expect(metrics.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
      const text = await metrics.text();
      // Each request above is counted once, under its route, method and status.
      expect(text).toContain(
        'router_http_requests_total{route="/v1/chat/completions",method="POST",status="200"} 1',
      );
      expect(text).toContain(
        'router_http_requests_total{route="/v1/chat/completions",method="POST",status="400"} 1',
      );
      await expect(`${exposition(text).join('\n')}\n`).toMatchFileSnapshot(
        '__snapshots__/metrics-exposition.txt',
      );
    } finally {
      await router.close();
    }
  });
});
