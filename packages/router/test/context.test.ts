import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteContextStore } from '../src/stores/context/sqlite.js';
import { createTestRouter, json } from './support/test-router.js';

const dir = mkdtempSync(join(tmpdir(), 'router-context-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const request = (method: string, body?: unknown): RequestInit => ({
  method,
  headers: { 'content-type': 'application/json' },
  body: body === undefined ? undefined : JSON.stringify(body),
});

describe('/context/{user_id}', () => {
  it('round-trips PUT/POST (replace), GET, PATCH (merge) and DELETE', async () => {
    const { app } = createTestRouter();
    expect((await app.request('/context/alice')).status).toBe(404);

    const first = {
      identity: { user_id: 'alice', name: 'Alice', locale: 'en-GB' },
      memory: { facts: ['likes tea'] },
      docs: [{ id: 'd1', title: 'Tariffs', content: 'old' }],
    };
    const put = await app.request('/context/alice', request('PUT', first));
    expect(put.status).toBe(200);
    expect(await (await app.request('/context/alice')).json()).toEqual(first);

    const patched = await app.request(
      '/context/alice',
      request('PATCH', {
        identity: { name: 'Alice B.' },
        memory: { facts: ['likes tea', 'prepaid plan'], summary: 'Asked about roaming' },
        docs: [
          { id: 'd1', title: 'Tariffs', content: 'new' },
          { id: 'd2', title: 'Roaming', content: 'EU' },
        ],
        tools: { servers: ['ocs'] },
      }),
    );
    expect(patched.status).toBe(200);
    expect(await (await app.request('/context/alice')).json()).toEqual({
      identity: { user_id: 'alice', name: 'Alice B.', locale: 'en-GB' },
      memory: { facts: ['likes tea', 'prepaid plan'], summary: 'Asked about roaming' },
      docs: [
        { id: 'd1', title: 'Tariffs', content: 'new' },
        { id: 'd2', title: 'Roaming', content: 'EU' },
      ],
      tools: { servers: ['ocs'] },
    });

    await app.request('/context/alice', request('POST', { identity: { name: 'Replaced' } }));
    expect(await (await app.request('/context/alice')).json()).toEqual({ identity: { name: 'Replaced' } });

    expect((await app.request('/context/alice', { method: 'DELETE' })).status).toBe(204);
    expect((await app.request('/context/alice', { method: 'DELETE' })).status).toBe(404);
    expect((await app.request('/context/alice')).status).toBe(404);
  });

  it('PATCH creates the context when none is stored', async () => {
    const { app } = createTestRouter();
    const res = await app.request('/context/bob', request('PATCH', { memory: { facts: ['a'] } }));
    expect(await res.json()).toEqual({ memory: { facts: ['a'] } });
  });

  it('422 for a bad user_id or a bad envelope; 400 for malformed JSON', async () => {
    const { app } = createTestRouter();
    const badId = await app.request(`/context/${'x'.repeat(129)}`);
    expect(badId.status).toBe(422);
    expect((await badId.json()).error.issues[0].path).toBe('user_id');
    expect((await app.request('/context/a%20b', request('PUT', {}))).status).toBe(422);
    const badEnvelope = await app.request(
      '/context/carol',
      request('PUT', { identity: { locale: 'x'.repeat(40) } }),
    );
    expect(badEnvelope.status).toBe(422);
    expect((await badEnvelope.json()).error.issues[0].path).toBe('identity.locale');
    const badJson = await app.request('/context/carol', { method: 'PUT', body: '{' });
    expect(badJson.status).toBe(400);
  });
});

describe('/ask with user_id', () => {
  it('merges stored and request context into the prompt (request wins, facts and docs unioned)', async () => {
    const { app, adapters } = createTestRouter();
    await app.request(
      '/context/dave',
      request('PUT', {
        identity: { name: 'Dave', tenant: 'acme' },
        memory: { facts: ['postpaid'], messages: [{ role: 'user', content: 'earlier question' }] },
        docs: [{ id: 'faq', title: 'FAQ', content: 'stored faq' }],
      }),
    );
    const res = await app.request(
      '/ask',
      json({
        message: 'now',
        user_id: 'dave',
        context: {
          identity: { name: 'David' },
          memory: { facts: ['VIP'] },
          docs: [{ id: 'faq', title: 'FAQ', content: 'fresh faq' }],
        },
      }),
    );
    expect(res.status).toBe(200);
    const messages = adapters.openai.requests[0]?.messages ?? [];
    expect(messages.map((m) => m.role)).toEqual(['system', 'user', 'user']);
    const system = messages[0]?.content ?? '';
    expect(system).toContain('- User id: dave');
    expect(system).toContain('- Name: David');
    expect(system).toContain('- Tenant: acme');
    expect(system).toContain('fresh faq');
    expect(system).not.toContain('stored faq');
    expect(system).toContain('- postpaid\n- VIP');
    expect(messages[1]?.content).toBe('earlier question');
    expect(messages[2]?.content).toBe('now');
  });

  it('appends each exchange to memory.messages, bounded by ROUTER_MEMORY_MAX_MESSAGES', async () => {
    const { app, adapters } = createTestRouter({ env: { ROUTER_MEMORY_MAX_MESSAGES: '4' } });
    for (const [index, text] of ['one', 'two', 'three'].entries()) {
      adapters.openai.next = { chunks: [`answer ${index + 1}`] };
      const stream = index === 2;
      const res = await app.request('/ask', json({ message: text, user_id: 'erin', stream }));
      await res.text();
    }
    const stored = await (await app.request('/context/erin')).json();
    expect(stored.identity).toEqual({ user_id: 'erin' });
    expect(stored.memory.messages).toEqual([
      { role: 'user', content: 'two' },
      { role: 'assistant', content: 'answer 2' },
      { role: 'user', content: 'three' },
      { role: 'assistant', content: 'answer 3' },
    ]);
  });

  it('remembers nothing when the provider fails', async () => {
    const { app, adapters } = createTestRouter();
    const { ProviderError } = await import('../src/providers/types.js');
    adapters.openai.next = { error: new ProviderError('openai', 'upstream', 'down') };
    expect((await app.request('/ask', json({ message: 'x', user_id: 'fay' }))).status).toBe(502);
    expect((await app.request('/context/fay')).status).toBe(404);
  });

  it('remembers the last user message of a messages list', async () => {
    const { app } = createTestRouter();
    await app.request(
      '/ask',
      json({
        user_id: 'gus',
        messages: [
          { role: 'system', content: 'be brief' },
          { role: 'user', content: 'q1' },
          { role: 'assistant', content: 'a1' },
          { role: 'user', content: 'q2' },
        ],
      }),
    );
    const stored = await (await app.request('/context/gus')).json();
    expect(stored.memory.messages).toEqual([
      { role: 'user', content: 'q2' },
      { role: 'assistant', content: 'Hello world' },
    ]);
  });
});

describe('SqliteContextStore', () => {
  it('keeps acknowledged writes across a restart on the same file', async () => {
    const file = join(dir, 'nested', 'router.sqlite');
    const first = new SqliteContextStore(file);
    await first.put('u1', { identity: { name: 'One' } });
    await first.patch('u1', { memory: { facts: ['f1'] } });
    await first.appendMessages('u1', [{ role: 'user', content: 'hello' }], 20);
    await first.put('u2', { identity: { name: 'Two' } });
    expect(await first.delete('u2')).toBe(true);
    await first.close();

    const reopened = new SqliteContextStore(file);
    expect(await reopened.get('u1')).toEqual({
      identity: { name: 'One' },
      memory: { facts: ['f1'], messages: [{ role: 'user', content: 'hello' }] },
    });
    expect(await reopened.get('u2')).toBeUndefined();
    await reopened.ping();
    await reopened.close();
    await reopened.close();
  });

  it('bounds appended messages, dropping the oldest, and 0 keeps none', async () => {
    const store = new SqliteContextStore(join(dir, 'bounded.sqlite'));
    for (let i = 0; i < 5; i++) await store.appendMessages('u', [{ role: 'user', content: `m${i}` }], 3);
    expect((await store.get('u'))?.memory?.messages?.map((m) => m.content)).toEqual(['m2', 'm3', 'm4']);
    await store.appendMessages('u', [{ role: 'user', content: 'x' }], 0);
    expect((await store.get('u'))?.memory?.messages).toEqual([]);
    await store.close();
  });

  it('serves the router through the sqlite backend', async () => {
    const store = new SqliteContextStore(join(dir, 'app.sqlite'));
    const { app } = createTestRouter({ store });
    await app.request('/ask', json({ message: 'hi', user_id: 'sq' }));
    expect((await store.get('sq'))?.memory?.messages).toHaveLength(2);
    expect((await app.request('/ready')).status).toBe(200);
    await store.close();
    const ready = await app.request('/ready');
    expect(ready.status).toBe(503);
    expect((await ready.json()).reasons[0]).toContain('context store (sqlite) unreachable');
  });
});
