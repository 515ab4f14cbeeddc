import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOOLSETS } from '../src/config.js';
import { closeRuntime } from '../src/runtime.js';
import { call, connectInMemory, freshMsisdn, ok, testConfig } from './helpers.js';
import { useEmulator } from './support/fixtures.js';

/**
 * Confirmation is decided by what a call does, not by the tool's name: the attacks of issue #13
 * (finding 1: expire a subscription without a confirmation; finding 2: rewrite the history that
 * records it).
 */
const fx = useEmulator({ OCS_MCP_TOOLSETS: TOOLSETS.join(',') });
let client: Client;

beforeAll(async () => {
  // A client without elicitation: every confirmation is the visible two-step token form.
  client = await connectInMemory(fx.config, { era: 'modern' });
});
afterAll(async () => {
  await client?.close();
});

async function activeSubscription(): Promise<string> {
  const { subscriber } = await ok(client, 'create_subscriber', { msisdn: freshMsisdn() });
  const { subscription } = await ok(client, 'create_subscription', {
    subscriberId: subscriber.subscriberId,
    offerId: '1000',
    activate: true,
  });
  return subscription.subscriptionId;
}

describe('a renew that will expire the subscription', () => {
  it('asks for confirmation after maxRecurringCycles was lowered to 1 (expire-by-renew attack)', async () => {
    const id = await activeSubscription();
    await ok(client, 'update_subscription', {
      subscriptionId: id,
      updates: [{ fieldName: 'maxRecurringCycles', fieldValue: 1 }],
    });
    const renew = await ok(client, 'change_subscription_state', { subscriptionId: id, action: 'renew' });
    expect(renew.confirmation_required).toBe(true);
    expect(renew.message).toMatch(/EXPIRES it/);
    // Nothing happened yet: still active, no cycle counted.
    const before = (await ok(client, 'get_subscription', { subscriptionId: id })).subscription;
    expect(before).toMatchObject({ state: 'active', recurringCyclesCompleted: 0 });

    const done = await ok(client, 'change_subscription_state', {
      subscriptionId: id,
      action: 'renew',
      confirmation_token: renew.confirmation_token,
    });
    expect(done.subscription.state).toBe('expired');
  });

  it('needs no confirmation for a renew that leaves cycles (reversible in effect)', async () => {
    const id = await activeSubscription();
    await ok(client, 'update_subscription', {
      subscriptionId: id,
      updates: [{ fieldName: 'maxRecurringCycles', fieldValue: 3 }],
    });
    const renew = await ok(client, 'change_subscription_state', { subscriptionId: id, action: 'renew' });
    expect(renew.confirmation_required).toBeUndefined();
    expect(renew.subscription).toMatchObject({ state: 'active', recurringCyclesCompleted: 1 });
  });

  it('asks for a PATCH of maxRecurringCycles to at most the cycles already used', async () => {
    const id = await activeSubscription();
    await ok(client, 'change_subscription_state', { subscriptionId: id, action: 'renew' });
    const lower = await ok(client, 'update_subscription', {
      subscriptionId: id,
      updates: [{ fieldName: 'maxRecurringCycles', fieldValue: '1' }],
    });
    expect(lower.confirmation_required).toBe(true);
    expect(lower.message).toMatch(/1 cycle\(s\) are already used/);
    expect(
      (await ok(client, 'get_subscription', { subscriptionId: id })).subscription.maxRecurringCycles,
    ).toBe(null);
    // Above the cycles used it is an ordinary, reversible change.
    const higher = await ok(client, 'update_subscription', {
      subscriptionId: id,
      updates: [{ fieldName: 'maxRecurringCycles', fieldValue: 5 }],
    });
    expect(higher.subscription.maxRecurringCycles).toBe(5);
  });

  it('refuses rather than guesses when the state cannot be read', async () => {
    const down = testConfig('http://127.0.0.1:9/ocs/prov/v1');
    const c = await connectInMemory(down, { era: 'modern' });
    const r = await call(c, 'change_subscription_state', { subscriptionId: 'sub-1', action: 'renew' });
    expect(r.isError).toBe(true);
    expect(r.text).toMatch(/Nothing was changed: the irreversibility check failed/);
    await c.close();
    await closeRuntime(down);
  });
});

describe('account history edits (history-admin)', () => {
  it('are not offered or callable unless the history-admin toolset is on', async () => {
    const plain = testConfig(fx.emulator.url);
    const c = await connectInMemory(plain, { era: 'modern' });
    const names = (await c.listTools()).tools.map((t) => t.name);
    expect(names).not.toContain('update_account_history');
    expect(names).not.toContain('delete_account_history');
    const r = await c
      .callTool({ name: 'update_account_history', arguments: { interactionId: 'x', status: 'Y' } })
      .then(
        (v) => v,
        (e: Error) => ({ isError: true, content: [{ type: 'text', text: e.message }] }),
      );
    expect(r.isError).toBe(true);
    await c.close();
    await closeRuntime(plain);
  });

  it('are always confirmed when it is on: the cover-up of an automatic entry needs a human', async () => {
    const id = await activeSubscription();
    await ok(client, 'change_subscription_state', { subscriptionId: id, action: 'suspend' });
    const { entries } = await ok(client, 'list_account_history', { entityId: id });
    const automatic = entries.find((e: { description?: string }) => /SUSPENDED/.test(e.description ?? ''));
    expect(automatic).toBeDefined();

    const rewrite = await ok(client, 'update_account_history', {
      interactionId: automatic.interactionId,
      description: 'Routine check, nothing changed',
    });
    expect(rewrite.confirmation_required).toBe(true);
    const unchanged = await ok(client, 'get_account_history', { interactionId: automatic.interactionId });
    expect(unchanged.entry.description).toBe(automatic.description);

    const remove = await ok(client, 'delete_account_history', { interactionId: automatic.interactionId });
    expect(remove.confirmation_required).toBe(true);
    const deleted = await ok(client, 'delete_account_history', {
      interactionId: automatic.interactionId,
      confirmation_token: remove.confirmation_token,
    });
    expect(deleted).toMatchObject({ deleted: true, interactionId: automatic.interactionId });
    expect(
      (await call(client, 'get_account_history', { interactionId: automatic.interactionId })).isError,
    ).toBe(true);
  });
});

describe('terminal subscriber states and deletes', () => {
  it('confirms termination and deactivation, but not suspension', async () => {
    const { subscriber } = await ok(client, 'create_subscriber', { msisdn: freshMsisdn() });
    for (const state of ['TERMINATED', 'DEACTIVATED']) {
      const r = await ok(client, 'change_subscriber_state', { subscriberId: subscriber.subscriberId, state });
      expect(r.confirmation_required, state).toBe(true);
    }
    const suspend = await ok(client, 'change_subscriber_state', {
      subscriberId: subscriber.subscriberId,
      state: 'SUSPENDED',
    });
    expect(suspend.subscriber.currentState).toBe('suspended');
  });

  it('confirms every delete and the removal of balances', async () => {
    const id = await activeSubscription();
    for (const [tool, args] of [
      ['delete_balances', { subscriptionId: id }],
      ['delete_subscription', { subscriptionId: id }],
    ] as const) {
      const r = await ok(client, tool, args);
      expect(r.confirmation_required, tool).toBe(true);
    }
    expect((await ok(client, 'get_subscription', { subscriptionId: id })).subscription.subscriptionId).toBe(
      id,
    );
  });
});
