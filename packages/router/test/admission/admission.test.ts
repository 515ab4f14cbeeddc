import { describe, expect, it } from 'vitest';
import {
  ApiKeyVerifier,
  assertAuthForHost,
  hashApiKey,
  isLoopbackHost,
  MemoryRateLimiter,
} from '../../src/admission/index.js';
import { startRouter } from '../../src/index.js';
import { writeKeysFile } from '../support/principals.js';
import { captureLogs, createTestRouter, json, parseSse } from '../support/test-router.js';

const KEY = 'rk-live-0123456789abcdefSECRET';
const OTHER_KEY = 'rk-live-other-key-9876543210';

/** Waits out the end of the clock minute when close to it, so a fixed-window count stays in one window. */
async function awayFromMinuteEdge(marginMs = 3000): Promise<void> {
  const remaining = 60_000 - (Date.now() % 60_000);
  if (remaining < marginMs) await new Promise((resolve) => setTimeout(resolve, remaining + 50));
}

describe('API keys', () => {
  const { app } = createTestRouter({ env: { ROUTER_API_KEYS: `${KEY}, ${OTHER_KEY}` } });

  it('refuses requests without a key, with WWW-Authenticate and a JSON error', async () => {
    const res = await app.request('/ask', json({ message: 'hi' }));
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(await res.json()).toMatchObject({ error: { type: 'unauthorized' } });
  });

  it('refuses a wrong key and never echoes it', async () => {
    const res = await app.request('/ask', json({ message: 'hi' }, { authorization: 'Bearer wrong-key-XYZ' }));
    expect(res.status).toBe(401);
    expect(await res.text()).not.toContain('wrong-key-XYZ');
  });

  it('accepts Authorization: Bearer and x-api-key', async () => {
    expect(
      (await app.request('/ask', json({ message: 'hi' }, { authorization: `Bearer ${KEY}` }))).status,
    ).toBe(200);
    expect((await app.request('/ask', json({ message: 'hi' }, { 'x-api-key': OTHER_KEY }))).status).toBe(200);
    expect((await app.request('/context/u1', { headers: { authorization: `bearer ${KEY}` } })).status).toBe(
      404,
    );
  });

  it('keeps /health, /ready and /metrics open', async () => {
    for (const path of ['/health', '/ready', '/metrics']) expect((await app.request(path)).status).toBe(200);
    expect((await app.request('/schema/context.json')).status).toBe(401);
  });

  it('accepts precomputed SHA-256 hashes instead of keys', async () => {
    const hashed = createTestRouter({ env: { ROUTER_API_KEY_HASHES: hashApiKey(KEY).toUpperCase() } });
    expect((await hashed.app.request('/ask', json({ message: 'hi' }, { 'x-api-key': KEY }))).status).toBe(
      200,
    );
    expect(
      (await hashed.app.request('/ask', json({ message: 'hi' }, { 'x-api-key': OTHER_KEY }))).status,
    ).toBe(401);
  });

  it('rejects malformed hashes at start-up, naming the variable', () => {
    expect(() => createTestRouter({ env: { ROUTER_API_KEY_HASHES: 'abc' } })).toThrow(
      /ROUTER_API_KEY_HASHES/,
    );
  });

  it('never logs the keys', async () => {
    const { logger, lines } = captureLogs('trace');
    const logged = createTestRouter({ env: { ROUTER_API_KEYS: KEY }, logger });
    await logged.app.request('/ask', json({ message: 'hi' }, { authorization: `Bearer ${KEY}` }));
    await logged.app.request('/ask', json({ message: 'hi' }, { 'x-api-key': `${KEY}x` }));
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.join('\n')).not.toContain(KEY);
  });

  it('the verifier compares hashes and returns a short, non-secret id', () => {
    const verifier = new ApiKeyVerifier([hashApiKey(KEY)]);
    expect(verifier.verify(KEY)).toBe(hashApiKey(KEY).slice(0, 16));
    expect(verifier.verify(OTHER_KEY)).toBeUndefined();
    expect(new ApiKeyVerifier([]).enabled).toBe(false);
  });
});

describe('loopback default', () => {
  it('refuses to listen beyond loopback without keys, naming the variables', async () => {
    await expect(
      startRouter({ env: { ROUTER_STORE: 'memory' }, host: '0.0.0.0', port: 0, logger: false }),
    ).rejects.toThrow(/ROUTER_API_KEYS/);
    expect(() => assertAuthForHost('192.168.1.10', new ApiKeyVerifier([]))).toThrow(
      /ROUTER_HOST=192\.168\.1\.10/,
    );
    expect(() => assertAuthForHost('0.0.0.0', new ApiKeyVerifier([hashApiKey(KEY)]))).not.toThrow();
  });

  it('knows the loopback spellings', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]'])
      expect(isLoopbackHost(host)).toBe(true);
    for (const host of ['0.0.0.0', '::', '10.0.0.1', 'example.com']) expect(isLoopbackHost(host)).toBe(false);
  });
});

describe('rate limits', () => {
  it('limits requests per minute per principal with 429 and Retry-After', async () => {
    await awayFromMinuteEdge();
    const keysFile = writeKeysFile([
      { id: 'a', keys: [KEY] },
      { id: 'b', keys: [OTHER_KEY] },
    ]);
    const { app } = createTestRouter({
      env: { ROUTER_KEYS_FILE: keysFile, ROUTER_RATE_LIMIT_RPM: '2' },
    });
    const as = (key: string) => app.request('/ask', json({ message: 'hi' }, { 'x-api-key': key }));
    expect((await as(KEY)).status).toBe(200);
    expect((await as(KEY)).status).toBe(200);
    const limited = await as(KEY);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await limited.json()).toMatchObject({ error: { type: 'rate_limited' } });
    expect((await as(OTHER_KEY)).status).toBe(200);
    expect((await app.request('/health')).status).toBe(200);
  });

  it('limits tokens per minute from the answers, plain and streamed', async () => {
    await awayFromMinuteEdge();
    const { app, adapters } = createTestRouter({
      env: { ROUTER_API_KEYS: KEY, ROUTER_RATE_LIMIT_TPM: '20' },
    });
    adapters.openai.next = { usage: { inputTokens: 8, outputTokens: 4, totalTokens: 12 } };
    const ask = (stream: boolean) =>
      app.request('/ask', json({ message: 'hi', stream }, { 'x-api-key': KEY }));
    const first = await ask(false);
    expect((await first.json()).usage.total_tokens).toBe(12);
    const second = await ask(true);
    expect(second.status).toBe(200);
    expect(parseSse(await second.text()).at(-1)?.event).toBe('done');
    const third = await ask(false);
    expect(third.status).toBe(429);
    expect((await third.json()).error.message).toContain('ROUTER_RATE_LIMIT_TPM');
  });

  it('memory limiter: windows reset each clock minute', async () => {
    let now = 120_000;
    const limiter = new MemoryRateLimiter(() => now);
    expect(await limiter.admit('k', { rpm: 1, tpm: 0 })).toEqual({ ok: true });
    expect(await limiter.admit('k', { rpm: 1, tpm: 0 })).toMatchObject({
      ok: false,
      limit: 'requests',
      retryAfterMs: 60_000,
    });
    await limiter.charge('k', 50);
    expect(await limiter.admit('k', { rpm: 0, tpm: 50 })).toMatchObject({ ok: false, limit: 'tokens' });
    now += 60_000;
    expect(await limiter.admit('k', { rpm: 1, tpm: 50 })).toEqual({ ok: true });
    await limiter.close();
  });
});

describe('CORS', () => {
  it('is off unless origins are configured', async () => {
    const { app } = createTestRouter();
    const res = await app.request('/health', { headers: { origin: 'https://app.example.com' } });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('allows exactly the configured origins, preflight included', async () => {
    const { app } = createTestRouter({
      env: { ROUTER_CORS_ORIGINS: 'https://app.example.com', ROUTER_API_KEYS: KEY },
    });
    const preflight = await app.request('/ask', {
      method: 'OPTIONS',
      headers: {
        origin: 'https://app.example.com',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    const allowed = await app.request(
      '/ask',
      json({ message: 'hi' }, { origin: 'https://app.example.com', 'x-api-key': KEY }),
    );
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    const foreign = await app.request(
      '/ask',
      json({ message: 'hi' }, { origin: 'https://evil.example', 'x-api-key': KEY }),
    );
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('rejects origins that are not URLs', () => {
    expect(() => createTestRouter({ env: { ROUTER_CORS_ORIGINS: 'not a url' } })).toThrow(
      /ROUTER_CORS_ORIGINS/,
    );
  });
});

describe('size limits', () => {
  const { app } = createTestRouter({ env: { ROUTER_MAX_BODY_BYTES: '4096' } });

  it('413 for a body over ROUTER_MAX_BODY_BYTES, declared or chunked', async () => {
    const big = JSON.stringify({ message: 'x'.repeat(5000) });
    expect(
      (
        await app.request('/ask', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: big,
        })
      ).status,
    ).toBe(413);
    const chunked = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(big));
        controller.close();
      },
    });
    const res = await app.request('/ask', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: chunked,
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(413);
  });

  it('422 naming the field for one message over 100 000 characters', async () => {
    const { app: roomy } = createTestRouter({ env: { ROUTER_MAX_BODY_BYTES: String(4 * 1024 * 1024) } });
    const res = await roomy.request(
      '/ask',
      json({ messages: [{ role: 'user', content: 'x'.repeat(100_001) }] }),
    );
    expect(res.status).toBe(422);
    expect((await res.json()).error.issues[0].path).toBe('messages.0.content');
  });
});
