/** Test harness: a fake upstream plus the adapter pointed at it. */
import { afterAll, beforeAll } from 'vitest';
import { createProvider, loadProvidersConfig } from '../../src/providers/catalogue.js';
import type { ChatMessage, ProviderAdapter, ProviderName, StreamEvent } from '../../src/providers/types.js';
import { type FakeEnvOptions, type FakeServer, providerEnvFor, startFakeFor } from '../fakes/index.js';

export const startFake = startFakeFor;

export interface Rig {
  fake: FakeServer;
  adapter: ProviderAdapter;
  close(): Promise<void>;
}

export async function rig(
  name: ProviderName,
  options: FakeEnvOptions & { env?: Record<string, string> } = {},
): Promise<Rig> {
  const fake = await startFake[name]();
  const adapter = createProvider(
    name,
    loadProvidersConfig({ ...providerEnvFor(name, fake, options), ...options.env }),
  );
  return {
    fake,
    adapter,
    async close() {
      await adapter.close?.();
      await fake.close();
    },
  };
}

/**
 * A rig for the enclosing describe: started before its first test, closed after its last. The
 * returned object reads the started rig, so it can be declared where the hooks are.
 */
export function useRig(name: ProviderName, options?: Parameters<typeof rig>[1]): Rig {
  let current: Rig | undefined;
  beforeAll(async () => {
    current = await rig(name, options);
  });
  afterAll(() => current?.close());
  const started = (): Rig => {
    if (!current) throw new Error(`the ${name} rig is not started`);
    return current;
  };
  return {
    get fake() {
      return started().fake;
    },
    get adapter() {
      return started().adapter;
    },
    close: () => started().close(),
  };
}

export async function collect(stream: AsyncIterable<StreamEvent>): Promise<StreamEvent[]> {
  const events: StreamEvent[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

// biome-ignore lint/suspicious/noExplicitAny: tests inspect provider-specific error fields
export async function rejection(promise: Promise<unknown>): Promise<any> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

export const user = (content: string) => ({ role: 'user' as const, content });

/** An assistant turn that called get_weather, and the tool's answer to it. */
export const weatherRound = (id: string, city: string, answer: string): ChatMessage[] => [
  { role: 'assistant', content: '', toolCalls: [{ id, name: 'get_weather', arguments: { city } }] },
  { role: 'tool', toolCallId: id, name: 'get_weather', content: answer },
];

/** Waits (bounded) until a condition holds; for effects that land on the server side asynchronously. */
export async function eventually(check: () => boolean, ms = 2000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

export const weatherTool = {
  name: 'get_weather',
  description: 'Weather for a city',
  inputSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};
