import { describe, expect, it } from 'vitest';
import { ProviderError, type ProviderErrorKind } from '../src/providers/types.js';
import { ANSWER_KEYS } from './support/answer-keys.js';
import { createTestRouter, json, parseSse } from './support/test-router.js';

describe('POST /ask', () => {
  it('answers with the common response shape and timing headers', async () => {
    const { app, adapters } = createTestRouter();
    const res = await app.request('/ask', json({ message: 'hi' }));
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(Object.keys(body).sort()).toEqual(ANSWER_KEYS);
    expect(body).toMatchObject({
      provider: 'openai',
      model: 'openai-default',
      content: 'Hello world',
      message: { role: 'assistant', content: 'Hello world' },
      finish_reason: 'stop',
      tool_calls: [],
      usage: { input_tokens: 10, output_tokens: 5, total_tokens: 15 },
    });
    expect(typeof body.latency_ms).toBe('number');
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(Number(res.headers.get('x-router-overhead-ms'))).toBeGreaterThanOrEqual(0);
    expect(adapters.openai.requests[0]?.messages).toEqual([{ role: 'user', content: 'hi' }]);
  });

  it('keeps a valid incoming x-request-id and replaces an invalid one', async () => {
    const { app } = createTestRouter();
    const kept = await app.request('/ask', json({ message: 'hi' }, { 'x-request-id': 'abc-123' }));
    expect(kept.headers.get('x-request-id')).toBe('abc-123');
    const replaced = await app.request(
      '/ask',
      json({ message: 'hi' }, { 'x-request-id': 'bad id with spaces' }),
    );
    expect(replaced.headers.get('x-request-id')).not.toBe('bad id with spaces');
  });

  it('routes by provider, by "provider/model" and passes generation options', async () => {
    const { app, adapters } = createTestRouter();
    const a = await (
      await app.request('/ask', json({ message: 'x', provider: 'anthropic', model: 'claude-x' }))
    ).json();
    expect(a).toMatchObject({ provider: 'anthropic', model: 'claude-x' });
    const b = await (await app.request('/ask', json({ message: 'x', model: 'ollama/llama3.2' }))).json();
    expect(b).toMatchObject({ provider: 'ollama', model: 'llama3.2' });
    const c = await (
      await app.request('/ask', json({ message: 'x', model: 'openai/gpt-4o', provider: 'openrouter' }))
    ).json();
    expect(c).toMatchObject({ provider: 'openrouter', model: 'openai/gpt-4o' });
    await app.request('/ask', json({ message: 'x', provider: 'azure', temperature: 0.2, max_tokens: 50 }));
    expect(adapters.azure.requests[0]).toMatchObject({
      temperature: 0.2,
      maxTokens: 50,
      model: 'azure-default',
    });
    expect(adapters.azure.requests[0]?.signal).toBeInstanceOf(AbortSignal);
  });

  it('uses LLM_PROVIDER as the default provider', async () => {
    const { app } = createTestRouter({ env: { LLM_PROVIDER: 'lmstudio' } });
    const body = await (await app.request('/ask', json({ message: 'x' }))).json();
    expect(body.provider).toBe('lmstudio');
  });

  it('reports tool calls and null-safe usage', async () => {
    const { app, adapters } = createTestRouter();
    adapters.openai.next = {
      chunks: [''],
      toolCalls: [{ id: 'call_1', name: 'get_balance', arguments: { msisdn: '123' } }],
      usage: null,
    };
    const body = await (await app.request('/ask', json({ message: 'balance?' }))).json();
    expect(body.finish_reason).toBe('tool_calls');
    expect(body.tool_calls).toEqual([{ id: 'call_1', name: 'get_balance', arguments: { msisdn: '123' } }]);
    expect(body.usage).toEqual({ input_tokens: null, output_tokens: null, total_tokens: null });
  });

  it('reports cached input tokens when the provider gives them', async () => {
    const { app, adapters } = createTestRouter();
    adapters.openai.next = {
      usage: { inputTokens: 100, outputTokens: 2, totalTokens: 102, cachedInputTokens: 80 },
    };
    const body = await (await app.request('/ask', json({ message: 'x' }))).json();
    expect(body.usage).toEqual({
      input_tokens: 100,
      output_tokens: 2,
      total_tokens: 102,
      cached_input_tokens: 80,
    });
  });

  it('400 for an unknown provider, listing the valid ones', async () => {
    const { app } = createTestRouter();
    const res = await app.request('/ask', json({ message: 'x', provider: 'gemini' }));
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error.type).toBe('unknown_provider');
    expect(body.error.message).toContain('openai, anthropic, azure, openrouter, ollama, lmstudio');
  });

  it('400 naming the missing variable for an unconfigured provider', async () => {
    const { app } = createTestRouter({ unconfigured: ['anthropic'] });
    const res = await app.request('/ask', json({ message: 'x', provider: 'anthropic' }));
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error).toMatchObject({ type: 'provider_not_configured', provider: 'anthropic' });
    expect(body.error.message).toContain('ANTHROPIC_API_KEY');
  });

  it('400 when neither the request nor the provider names a model', async () => {
    const { app, adapters } = createTestRouter();
    (adapters.openai as { defaultModel: string | undefined }).defaultModel = undefined;
    const res = await app.request('/ask', json({ message: 'x' }));
    expect(res.status).toBe(400);
    expect((await res.json()).error.type).toBe('model_required');
  });
});

describe('POST /ask input validation', () => {
  const cases: [string, unknown, string][] = [
    ['no message at all', {}, 'message'],
    ['message and messages', { message: 'a', messages: [{ role: 'user', content: 'b' }] }, 'messages'],
    ['message of the wrong type', { message: 42 }, 'message'],
    ['empty message', { message: '' }, 'message'],
    ['empty messages', { messages: [] }, 'messages'],
    ['unknown role', { messages: [{ role: 'wizard', content: 'x' }] }, 'messages.0.role'],
    ['content of the wrong type', { messages: [{ role: 'user', content: ['x'] }] }, 'messages.0.content'],
    ['no user message', { messages: [{ role: 'system', content: 'x' }] }, 'messages'],
    ['oversized message', { message: 'x'.repeat(100_001) }, 'message'],
    ['bad user_id', { message: 'x', user_id: 'no spaces allowed' }, 'user_id'],
    ['too long user_id', { message: 'x', user_id: 'u'.repeat(129) }, 'user_id'],
    ['temperature out of range', { message: 'x', temperature: 3 }, 'temperature'],
    ['non-integer max_tokens', { message: 'x', max_tokens: 1.5 }, 'max_tokens'],
    ['stream not a boolean', { message: 'x', stream: 'yes' }, 'stream'],
    ['unknown field', { message: 'x', colour: 'blue' }, ''],
    ['provider of the wrong type', { message: 'x', provider: 7 }, 'provider'],
    ['bad context field', { message: 'x', context: { identity: { name: 5 } } }, 'context.identity.name'],
    ['unknown context section', { message: 'x', context: { secrets: {} } }, 'context'],
    [
      'too many facts',
      { message: 'x', context: { memory: { facts: Array(201).fill('f') } } },
      'context.memory.facts',
    ],
    [
      'bad prior turn role',
      { message: 'x', context: { memory: { messages: [{ role: 'tool', content: 'x' }] } } },
      'context.memory.messages.0.role',
    ],
    [
      'doc without id',
      { message: 'x', context: { docs: [{ title: 't', content: 'c' }] } },
      'context.docs.0.id',
    ],
    ['body is an array', [], ''],
  ];
  it.each(cases)('422 for %s', async (_name, body, path) => {
    const { app } = createTestRouter();
    const res = await app.request('/ask', json(body));
    expect(res.status).toBe(422);
    const { error } = await res.json();
    expect(error.type).toBe('validation_error');
    expect(error.issues.map((issue: { path: string }) => issue.path)).toContain(path);
    expect(error.issues[0].message).toEqual(expect.any(String));
  });

  it('400 for malformed JSON and for an empty body', async () => {
    const { app } = createTestRouter();
    const bad = await app.request('/ask', {
      method: 'POST',
      body: '{"message":',
      headers: { 'content-type': 'application/json' },
    });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.type).toBe('invalid_json');
    const empty = await app.request('/ask', { method: 'POST', body: '' });
    expect(empty.status).toBe(400);
  });

  it('413 for a body over ROUTER_MAX_BODY_BYTES, declared or chunked', async () => {
    const { app } = createTestRouter({ env: { ROUTER_MAX_BODY_BYTES: '2048' } });
    const big = JSON.stringify({ message: 'x'.repeat(5000) });
    const declared = await app.request('/ask', {
      method: 'POST',
      body: big,
      headers: { 'content-type': 'application/json', 'content-length': String(big.length) },
    });
    expect(declared.status).toBe(413);
    expect((await declared.json()).error.type).toBe('payload_too_large');
    const chunked = await app.request('/ask', {
      method: 'POST',
      body: new Blob([big]).stream(),
      duplex: 'half',
    } as RequestInit);
    expect(chunked.status).toBe(413);
  });
});

describe('POST /ask upstream failures', () => {
  const cases: [ProviderErrorKind, number, string, number | undefined][] = [
    ['auth', 502, 'upstream_auth_error', undefined],
    ['rate_limit', 429, 'rate_limited', 2],
    ['overloaded', 503, 'upstream_overloaded', 2],
    ['timeout', 504, 'upstream_timeout', undefined],
    ['connection', 502, 'upstream_unreachable', undefined],
    ['bad_request', 400, 'upstream_bad_request', undefined],
    ['upstream', 502, 'upstream_error', undefined],
  ];
  it.each(cases)('%s -> %i', async (kind, status, type, retryAfter) => {
    const { app, adapters } = createTestRouter();
    adapters.openai.next = {
      error: new ProviderError('openai', kind, `provider says ${kind}`, {
        retryAfterMs: retryAfter ? 1500 : undefined,
      }),
    };
    for (const stream of [false, true]) {
      const res = await app.request('/ask', json({ message: 'x', stream }));
      expect(res.status).toBe(status);
      const body = await res.json();
      expect(body.error).toMatchObject({ type, provider: 'openai' });
      expect(body.error.message).toContain(`provider says ${kind}`);
      expect(res.headers.get('retry-after')).toBe(retryAfter === undefined ? null : String(retryAfter));
    }
  });

  it('names the provider URL on connection failures', async () => {
    const { app, adapters } = createTestRouter();
    adapters.openai.next = { error: new ProviderError('openai', 'connection', 'ECONNREFUSED') };
    const body = await (await app.request('/ask', json({ message: 'x' }))).json();
    expect(body.error.message).toContain(adapters.openai.baseUrl);
  });

  it('500 with a generic message for unexpected failures', async () => {
    const { app, adapters } = createTestRouter();
    adapters.openai.chat = async () => {
      throw new TypeError('secret internals');
    };
    const res = await app.request('/ask', json({ message: 'x' }));
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ error: { type: 'internal_error', message: 'Internal router error' } });
  });
});

describe('POST /ask streaming', () => {
  it('streams delta events and a done event with the full answer', async () => {
    const { app } = createTestRouter();
    const res = await app.request('/ask', json({ message: 'hi', stream: true, provider: 'ollama' }));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    expect(Number(res.headers.get('x-router-overhead-ms'))).toBeGreaterThanOrEqual(0);
    const events = parseSse(await res.text());
    expect(events.map((e) => e.event)).toEqual(['delta', 'delta', 'done']);
    expect(events[0]?.data).toEqual({ text: 'Hello' });
    const done = events[2]?.data as Record<string, unknown>;
    expect(done).toMatchObject({ provider: 'ollama', content: 'Hello world', finish_reason: 'stop' });
    expect(Object.keys(done).sort()).toEqual([...ANSWER_KEYS, 'router_overhead_ms'].sort());
  });

  it('emits tool_call events', async () => {
    const { app, adapters } = createTestRouter();
    const call = { id: 'c1', name: 'lookup', arguments: { a: 1 } };
    adapters.openai.next = { chunks: ['thinking'], toolCalls: [call] };
    const events = parseSse(await (await app.request('/ask', json({ message: 'x', stream: true }))).text());
    expect(events.map((e) => e.event)).toEqual(['delta', 'tool_call', 'done']);
    expect(events[1]?.data).toEqual(call);
  });

  it('ends with an error event when the upstream fails mid-stream', async () => {
    const { app, adapters } = createTestRouter();
    adapters.openai.next = {
      chunks: ['partial'],
      streamError: new ProviderError('openai', 'upstream', 'boom'),
    };
    const res = await app.request('/ask', json({ message: 'x', stream: true }));
    expect(res.status).toBe(200);
    const events = parseSse(await res.text());
    expect(events.map((e) => e.event)).toEqual(['delta', 'error']);
    expect(events[1]?.data).toEqual({
      error: { type: 'upstream_error', message: 'openai failed: boom', provider: 'openai' },
    });
  });

  it('reports an error when the upstream stream ends without a result', async () => {
    const { app, adapters } = createTestRouter();
    adapters.openai.stream = async function* () {
      yield { type: 'text' as const, text: 'cut' };
    };
    const events = parseSse(await (await app.request('/ask', json({ message: 'x', stream: true }))).text());
    expect(events.map((e) => e.event)).toEqual(['delta', 'error']);
  });
});
