import fc from 'fast-check';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadRouterConfig } from '../../src/config.js';
import {
  type ChatRequest,
  type ChatResult,
  type ProviderAdapter,
  ProviderError,
  type ProviderName,
  type StreamEvent,
} from '../../src/providers/types.js';
import {
  answeredBy,
  CircuitBreaker,
  fullJitterDelay,
  loadCockatiel,
  ResilientProviders,
  retryDelay,
} from '../../src/resilience/index.js';

const RESULT: ChatResult = { model: 'm', content: 'ok', toolCalls: [], finishReason: 'stop', usage: null };

/** An adapter whose calls run `behaviour` in order (the last one repeats). */
function adapter(
  name: ProviderName,
  behaviours: (() => Promise<ChatResult>)[],
): ProviderAdapter & { calls: number } {
  const self = {
    name,
    defaultModel: 'm',
    baseUrl: 'http://127.0.0.1:1',
    calls: 0,
    chat(_request: ChatRequest) {
      const behaviour = behaviours[Math.min(self.calls, behaviours.length - 1)];
      self.calls++;
      return (behaviour as () => Promise<ChatResult>)();
    },
    async *stream(request: ChatRequest): AsyncGenerator<StreamEvent> {
      const result = await self.chat(request);
      yield { type: 'text', text: '' };
      yield { type: 'text', text: result.content };
      yield { type: 'done', result };
    },
  };
  return self;
}

const fail = (name: ProviderName, kind: 'upstream' | 'bad_request', retryAfterMs?: number) => () =>
  Promise.reject(
    new ProviderError(name, kind, 'boom', {
      retryable: kind === 'upstream',
      ...(retryAfterMs !== undefined && { retryAfterMs }),
    }),
  );
const ok = () => Promise.resolve({ ...RESULT });

function providers(env: Record<string, string>, adapters: Partial<Record<ProviderName, ProviderAdapter>>) {
  const config = loadRouterConfig({ ROUTER_STORE: 'memory', LLM_RETRY_BASE_MS: '1', ...env });
  return new ResilientProviders({
    config,
    createAdapter: (name) => {
      const found = adapters[name];
      if (!found) throw new Error(`${name} not configured`);
      return found;
    },
    isConfigured: (name) => adapters[name] !== undefined,
  });
}

describe('backoff', () => {
  it('full jitter stays within [0, min(cap, base * 2^n))', () => {
    fc.assert(
      fc.property(
        fc.nat(20),
        fc.integer({ min: 1, max: 5000 }),
        fc.double({ min: 0, max: 0.9999, noNaN: true }),
        (n, base, r) => {
          const delay = fullJitterDelay(n, base, 8000, () => r);
          return delay >= 0 && delay < Math.min(8000, base * 2 ** n) + 1e-9;
        },
      ),
    );
  });

  it('never waits less than Retry-After', () => {
    expect(retryDelay(0, { baseMs: 100, capMs: 1000, retryAfterMs: 5000, random: () => 0.5 })).toBe(5000);
    expect(retryDelay(3, { baseMs: 100, capMs: 1000, random: () => 0.5 })).toBe(400);
  });
});

describe('CircuitBreaker', () => {
  // The breaker is cockatiel's policy, which reads Date.now(); an outcome reaches it a microtask
  // after the permit is settled, hence the fake clock and the `settled()` before each look. It is
  // loaded with the first provider call; a breaker built directly needs it loaded first.
  beforeAll(() => loadCockatiel());
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(0);
  });
  afterEach(() => {
    vi.useRealTimers();
  });
  const settled = () => new Promise((resolve) => setImmediate(resolve));

  it('opens at the failure rate once the window has the minimum volume, half-opens with one probe', async () => {
    const breaker = new CircuitBreaker({
      failureRate: 0.5,
      minRequests: 4,
      windowMs: 1000,
      cooldownMs: 100,
    });
    breaker.tryAcquire()?.failure();
    breaker.tryAcquire()?.failure();
    breaker.tryAcquire()?.success();
    await settled();
    expect(breaker.state).toBe('closed');
    breaker.tryAcquire()?.failure();
    await settled();
    expect(breaker.state).toBe('open');
    expect(breaker.tryAcquire()).toBeUndefined();
    expect(breaker.retryAfterMs()).toBe(100);
    vi.setSystemTime(100);
    expect(breaker.state).toBe('half_open');
    const probe = breaker.tryAcquire();
    expect(probe).toBeDefined();
    expect(breaker.tryAcquire()).toBeUndefined();
    probe?.failure();
    await settled();
    expect(breaker.state).toBe('open');
    vi.setSystemTime(250);
    const second = breaker.tryAcquire();
    second?.release();
    await settled();
    const third = breaker.tryAcquire();
    third?.success();
    await settled();
    expect(breaker.state).toBe('closed');
  });

  /** At time `at`, one permit per outcome, settled; then the policy has seen them. */
  async function record(breaker: CircuitBreaker, at: number, ...outcomes: ('success' | 'failure')[]) {
    vi.setSystemTime(at);
    for (const outcome of outcomes) breaker.tryAcquire()?.[outcome]();
    await settled();
  }

  it('forgets outcomes older than the window', async () => {
    const breaker = new CircuitBreaker({
      failureRate: 0.5,
      minRequests: 2,
      windowMs: 1000,
      cooldownMs: 100,
    });
    await record(breaker, 0, 'failure');
    await record(breaker, 2000, 'success', 'success', 'failure');
    expect(breaker.state).toBe('closed');
  });

  it('counts outcomes for the whole window and drops them once the window has passed', async () => {
    const options = { failureRate: 0.5, minRequests: 2, windowMs: 1000, cooldownMs: 100 };
    const inside = new CircuitBreaker(options);
    await record(inside, 0, 'failure');
    await record(inside, 850, 'failure');
    expect(inside.state).toBe('open');

    const outside = new CircuitBreaker(options);
    await record(outside, 0, 'failure');
    await record(outside, 1001, 'failure');
    expect(outside.state).toBe('closed');
    // Many quiet windows later the counts are still empty, not negative.
    await record(outside, 1_000_000, 'success', 'failure');
    expect(outside.state).toBe('open');
  });

  it('a permit counts once', async () => {
    const breaker = new CircuitBreaker({ failureRate: 1, minRequests: 2, windowMs: 1000, cooldownMs: 100 });
    const permit = breaker.tryAcquire();
    permit?.failure();
    permit?.failure();
    await settled();
    expect(breaker.state).toBe('closed');
  });
});

describe('ResilientProviders', () => {
  it('reports who answered and how many calls it took', async () => {
    const primary = adapter('openai', [fail('openai', 'upstream'), ok]);
    const wrapped = providers({}, { openai: primary }).create('openai');
    const result = await wrapped.chat({ model: 'm', messages: [] });
    expect(answeredBy(result)).toEqual({ provider: 'openai', model: 'm', attempts: 2 });
  });

  it('a client abort during a backoff wait ends the request at once, without another call', async () => {
    const primary = adapter('openai', [fail('openai', 'upstream', 60_000), ok]);
    const wrapped = providers({ LLM_RETRY_BUDGET_MS: '600000' }, { openai: primary }).create('openai');
    const controller = new AbortController();
    const pending = wrapped.chat({ model: 'm', messages: [], signal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 20));
    controller.abort();
    await expect(pending).rejects.toMatchObject({ kind: 'aborted' });
    expect(primary.calls).toBe(1);
  });

  it('passes non-retryable errors through untouched and skips fallbacks', async () => {
    const primary = adapter('openai', [fail('openai', 'bad_request')]);
    const fallback = adapter('anthropic', [ok]);
    const wrapped = providers(
      { LLM_FALLBACKS: 'anthropic:c' },
      { openai: primary, anthropic: fallback },
    ).create('openai');
    await expect(wrapped.chat({ model: 'm', messages: [] })).rejects.toMatchObject({ kind: 'bad_request' });
    expect(fallback.calls).toBe(0);
  });

  it('skips unconfigured fallbacks; streams carry who answered on their done event', async () => {
    const primary = adapter('openai', [fail('openai', 'upstream')]);
    const fallback = adapter('ollama', [ok]);
    const resilient = providers(
      { LLM_MAX_RETRIES: '0', LLM_FALLBACKS: 'azure:x,ollama:llama' },
      { openai: primary, ollama: fallback },
    );
    const events: StreamEvent[] = [];
    for await (const event of resilient.create('openai').stream({ model: 'm', messages: [] }))
      events.push(event);
    const done = events.at(-1);
    expect(done?.type).toBe('done');
    if (done?.type === 'done')
      expect(answeredBy(done.result)).toMatchObject({ provider: 'ollama', attempts: 2 });
    expect(events[0]).toEqual({ type: 'text', text: '' });
    await resilient.close();
  });

  it('rejects a malformed LLM_FALLBACKS naming the entry', () => {
    expect(() => loadRouterConfig({ LLM_FALLBACKS: 'openai-gpt' })).toThrow(
      /"openai-gpt" is not provider:model[^\n]*\n\s*→ at LLM_FALLBACKS/,
    );
    expect(() => loadRouterConfig({ LLM_FALLBACKS: 'nope:model' })).toThrow(/LLM_FALLBACKS/);
  });
});
