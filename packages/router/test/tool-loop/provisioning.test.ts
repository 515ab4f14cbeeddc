import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROVIDER_NAMES, type ProviderAdapter, type ProviderName } from '../../src/providers/types.js';
import { type FakeServer, startFakeAnthropic } from '../fakes/index.js';
import { startAllFakes } from '../support/fake-upstreams.js';
import { answerFor } from '../support/principals.js';
import { adapterFor, collect, createLoop, httpServer } from './loop-harness.js';
import { type OcsStack, provisionedState, provisioningScript, startOcsStack } from './ocs-stack.js';

/**
 * The tool loop end to end for every provider: real adapter against its byte-faithful fake (each
 * provider's own tool-call wire format, streamed argument fragments included), the real OCS MCP
 * server over HTTP and the real emulator, whose REST API proves the result.
 */
let stack: OcsStack;
let harness: ReturnType<typeof createLoop>;
let upstreams: Awaited<ReturnType<typeof startAllFakes>>;
const adapters = new Map<ProviderName, ProviderAdapter>();

beforeAll(async () => {
  stack = await startOcsStack();
  // One MCP connection for the whole file, as in the running router.
  harness = createLoop({ servers: [httpServer('ocs', stack.mcp.url)] });
  upstreams = await startAllFakes();
  for (const name of PROVIDER_NAMES) adapters.set(name, adapterFor(name, upstreams.fakes[name]));
});
afterAll(async () => {
  for (const adapter of adapters.values()) await adapter.close?.();
  await upstreams?.close();
  await harness?.close();
  await stack?.close();
});

describe.each(PROVIDER_NAMES.map((name, index) => [name, index] as const))(
  'provisioning via %s',
  (name, index) => {
    it.each([
      ['a plain answer', false],
      ['a stream', true],
    ] as const)('creates a subscriber with offer 1003 (%s)', async (_label, stream) => {
      const digits = `43660${String(index * 2 + (stream ? 1 : 0)).padStart(2, '0')}12345`;
      const typed = `+43 660 ${digits.slice(5)}`;
      upstreams.fakes[name].setScript(provisioningScript(typed));
      const adapter = adapters.get(name)!;
      const { events, outcome } = await collect(
        harness.loop.run({
          adapter,
          chat: {
            model: adapter.defaultModel ?? 'model',
            messages: [{ role: 'user', content: `Provision ${typed} with offer 1003` }],
          },
          stream,
          access: {},
          principal: 'local',
          userId: 'agent-1',
        }),
      );
      expect(outcome.finishReason).toBe('stop');
      expect(outcome.content).toContain('Monthly data bundle 25GB');
      expect(outcome.toolCalls.map((call) => call.name).sort()).toEqual(
        ['create_subscriber', 'create_subscription', 'list_offers', 'lookup_subscriber'].sort(),
      );
      expect(outcome.toolCalls.find((call) => call.name === 'lookup_subscriber')?.is_error).toBe(true);
      expect(
        outcome.toolCalls.filter((call) => call.name !== 'lookup_subscriber').every((call) => !call.is_error),
      ).toBe(true);
      if (stream) expect(events.some((event) => event.type === 'delta')).toBe(true);
      expect(events.filter((event) => event.type === 'tool_result')).toHaveLength(4);

      const state = await provisionedState(stack, digits);
      expect(state?.subscriptions).toEqual([expect.objectContaining({ offerId: '1003', state: 'active' })]);
      expect(state?.balances.length).toBeGreaterThan(0);
    });
  },
);

describe('deleting through the model needs a human', () => {
  let fake: FakeServer;
  let adapter: ProviderAdapter;
  beforeAll(async () => {
    fake = await startFakeAnthropic();
    adapter = adapterFor('anthropic', fake);
  });
  afterAll(async () => {
    await adapter.close?.();
    await fake.close();
  });

  it.each([
    ['approve', true],
    ['reject', false],
  ] as const)('refuses the delete until approved (%s)', async (_label, approve) => {
    const digits = approve ? '436609990001' : '436609990002';
    fake.setScript(provisioningScript(`+${digits}`));
    const run = (stream: boolean) =>
      collect(
        harness.loop.run({
          adapter,
          chat: { model: 'claude-fake', messages: [{ role: 'user', content: 'go' }] },
          stream,
          access: {},
          principal: 'local',
          userId: 'agent-2',
        }),
      );
    await run(false);
    const before = await provisionedState(stack, digits);
    expect(before).toBeDefined();

    fake.setScript([
      { toolCalls: [{ name: 'delete_subscriber', arguments: { subscriberId: before!.subscriberId } }] },
      { text: approve ? 'The subscriber is deleted.' : 'Understood, I left the subscriber in place.' },
    ]);
    const first = await run(true);
    expect(first.outcome.finishReason).toBe('confirmation_required');
    expect(first.outcome.confirmation).toMatchObject({
      tool: 'delete_subscriber',
      server: 'ocs',
      arguments: { subscriberId: before!.subscriberId },
    });
    expect(first.outcome.confirmation?.message).toMatch(/delete subscriber/i);
    // Nothing happened yet.
    expect(await provisionedState(stack, digits)).toBeDefined();

    const taken = await harness.loop.takePending(first.outcome.confirmation!.id, answerFor('agent-2'));
    if (taken.status !== 'ok') throw new Error('pending confirmation missing');
    const second = await collect(
      harness.loop.resume(taken.resume, { adapter, approve, stream: false, userId: 'agent-2' }),
    );
    expect(second.outcome.finishReason).toBe('stop');
    const after = await provisionedState(stack, digits);
    if (approve) {
      expect(after).toBeUndefined();
      expect(second.outcome.toolCalls).toEqual([
        expect.objectContaining({ name: 'delete_subscriber', is_error: false }),
      ]);
    } else {
      expect(after?.subscriberId).toBe(before!.subscriberId);
      expect(second.outcome.toolCalls).toEqual([
        expect.objectContaining({ name: 'delete_subscriber', is_error: true }),
      ]);
    }
  });
});
