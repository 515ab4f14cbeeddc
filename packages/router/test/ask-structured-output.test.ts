/**
 * /ask takes response_format too, so a care script can ask for a typed answer: the answer carries
 * the checked JSON in `parsed`, and an answer that does not match is a 502 naming the provider.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRouter } from '../src/index.js';
import { startAllFakes } from './support/fake-upstreams.js';
import { parseSse } from './support/test-router.js';

let upstreams: Awaited<ReturnType<typeof startAllFakes>>;
let router: Awaited<ReturnType<typeof startRouter>>;

beforeAll(async () => {
  upstreams = await startAllFakes();
  router = await startRouter({
    env: { ...upstreams.env, LLM_PROVIDER: 'ollama', LLM_MAX_RETRIES: '0' },
    port: 0,
    logger: false,
  });
});
afterAll(async () => {
  await router?.close();
  await upstreams?.close();
});

const schema = {
  type: 'object',
  properties: { plan: { type: 'string' }, data_left_mb: { type: 'integer' } },
  required: ['plan', 'data_left_mb'],
  additionalProperties: false,
};
const responseFormat = { type: 'json_schema', json_schema: { name: 'plan', schema, strict: true } };

// biome-ignore lint/suspicious/noExplicitAny: answers are probed loosely
async function ask(body: Record<string, unknown>): Promise<{ status: number; body: any; text: string }> {
  const res = await fetch(`${router.url}/ask`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: body.stream ? undefined : JSON.parse(text), text };
}

describe('/ask response_format', () => {
  it('round trip: the schema reaches the provider in its terms, the answer carries parsed', async () => {
    upstreams.fakes.anthropic.setScript([{ json: { plan: 'Max 5G', data_left_mb: 2048 } }]);
    const res = await ask({ message: 'My plan?', provider: 'anthropic', response_format: responseFormat });
    expect(res.status).toBe(200);
    expect(res.body.parsed).toEqual({ plan: 'Max 5G', data_left_mb: 2048 });
    expect(JSON.parse(res.body.content)).toEqual(res.body.parsed);
    expect(upstreams.fakes.anthropic.requests.at(-1)?.body.output_config).toEqual({
      format: { type: 'json_schema', schema },
    });
  });

  it('streamed: the done event carries parsed', async () => {
    upstreams.fakes.ollama.setScript([{ json: { plan: 'Eco', data_left_mb: 12 } }]);
    const res = await ask({ message: 'My plan?', response_format: responseFormat, stream: true });
    const done = parseSse(res.text).find((frame) => frame.event === 'done');
    expect((done?.data as { parsed: unknown } | undefined)?.parsed).toEqual({
      plan: 'Eco',
      data_left_mb: 12,
    });
    expect(upstreams.fakes.ollama.requests.at(-1)?.body.format).toEqual(schema);
  });

  it('json_object: parsed is the object', async () => {
    upstreams.fakes.openai.setScript([{ text: '{"ok":true}' }]);
    const res = await ask({ message: 'x', provider: 'openai', response_format: { type: 'json_object' } });
    expect(res.body.parsed).toEqual({ ok: true });
    expect(upstreams.fakes.openai.requests.at(-1)?.body.response_format).toEqual({ type: 'json_object' });
  });

  it('an answer that does not match is a 502 naming the provider; no response_format, no parsed', async () => {
    upstreams.fakes.ollama.setScript([{ json: { plan: 3 } }, { text: 'plain words' }]);
    const bad = await ask({ message: 'x', response_format: responseFormat });
    expect(bad.status).toBe(502);
    expect(bad.body.error.message).toMatch(/ollama answered with JSON that does not match the schema plan/);
    const plain = await ask({ message: 'x' });
    expect(plain.status).toBe(200);
    expect(plain.body.parsed).toBeUndefined();
  });

  it('a malformed response_format is refused naming the field', async () => {
    const res = await ask({ message: 'x', response_format: { type: 'json_schema' } });
    expect(res.status).toBe(422);
    expect(JSON.stringify(res.body.error.issues)).toContain('response_format');
  });
});
