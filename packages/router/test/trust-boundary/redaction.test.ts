import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRouter } from '../../src/index.js';
import { PROVIDER_NAMES, type ProviderName } from '../../src/providers/types.js';
import { FAKE_KEYS } from '../fakes/index.js';
import { startAllFakes } from '../support/fake-upstreams.js';
import { json } from '../support/test-router.js';

/**
 * An upstream error body that echoes a configured key exactly where the router cuts long error
 * text (500 characters): cutting first would leave the key's first characters in the /ask error.
 * Redaction runs first, for every provider's adapter, through the real router over HTTP.
 */
let upstreams: Awaited<ReturnType<typeof startAllFakes>>;
let router: Awaited<ReturnType<typeof startRouter>>;

beforeAll(async () => {
  upstreams = await startAllFakes();
  router = await startRouter({ env: upstreams.env, port: 0, logger: false });
});
afterAll(async () => {
  await router?.close();
  await upstreams?.close();
});

/** The key each provider's upstream echoes; Ollama has none of its own, so it echoes OpenAI's. */
const echoedKey = (provider: ProviderName): string =>
  provider === 'ollama' ? FAKE_KEYS.openai : FAKE_KEYS[provider];

/** Every run of 8 characters of the key (bar runs of provider names such as "anthropi"): none may appear. */
const fragments = (key: string) =>
  Array.from({ length: key.length - 7 }, (_, i) => key.slice(i, i + 8)).filter(
    (fragment) => !PROVIDER_NAMES.join(' ').includes(fragment.toLowerCase()),
  );

describe.each(PROVIDER_NAMES)('attack: a key straddling the 500-character cut (%s)', (provider) => {
  it.each([
    ['a plain-text error body', (text: string) => text],
    ['a JSON error message', (text: string) => ({ error: { message: text, type: 'invalid_request_error' } })],
  ])('is redacted from the /ask error for %s', async (_label, shape) => {
    const key = echoedKey(provider);
    // 492 characters before the key: a cut at 500 would keep its first 8.
    const text = `${'x'.repeat(492)}${key} trailing context`;
    upstreams.fakes[provider].setScript([{ error: { status: 400, body: shape(text) } }]);
    const response = await fetch(`${router.url}/ask`, json({ provider, message: 'hi' }));
    const body = await response.text();
    expect(response.status).toBe(400);
    expect(body).toContain('xxxxxxxx');
    for (const fragment of fragments(key)) expect(body).not.toContain(fragment);
    const message = (JSON.parse(body) as { error: { message: string } }).error.message;
    expect(message.length).toBeLessThan(700);
  });
});
