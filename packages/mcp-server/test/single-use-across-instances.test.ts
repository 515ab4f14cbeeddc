import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/client';
import type { RunningEmulator } from '@ocsai/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningRedis, startRedis } from '../../../test/support/redis.js';
import type { McpConfig } from '../src/config.js';
import { closeRuntime } from '../src/runtime.js';
import { call, connectInMemory, freshMsisdn, ok, startTestEmulator, testConfig } from './helpers.js';

/**
 * Finding 3 of #13: a confirmation token already used to terminate a subscriber worked again on a
 * second instance sharing MCP_CONFIRMATION_SECRET, and on the first after a restart.
 */
let emulator: RunningEmulator;
let redis: RunningRedis;
let dir: string;
beforeAll(async () => {
  emulator = await startTestEmulator();
  redis = await startRedis();
  dir = mkdtempSync(join(tmpdir(), 'ocs-mcp-state-'));
});
afterAll(async () => {
  await emulator?.close();
  await redis?.stop();
  rmSync(dir, { recursive: true, force: true });
});

interface Instance {
  config: McpConfig;
  client: Client;
  stop(): Promise<void>;
}

async function instance(env: Record<string, string>): Promise<Instance> {
  const config = testConfig(emulator.url, env);
  const client = await connectInMemory(config, { era: 'modern' });
  return {
    config,
    client,
    async stop() {
      await client.close();
      await closeRuntime(config);
    },
  };
}

/** Terminates a fresh subscriber on `a` with a confirmed token; returns the call and its token. */
async function terminateWithToken(a: Instance) {
  const { subscriber } = await ok(a.client, 'create_subscriber', { msisdn: freshMsisdn() });
  const args = { subscriberId: subscriber.subscriberId, state: 'TERMINATED' };
  const first = await ok(a.client, 'change_subscriber_state', args);
  expect(first.confirmation_required).toBe(true);
  const done = await ok(a.client, 'change_subscriber_state', {
    ...args,
    confirmation_token: first.confirmation_token,
  });
  expect(done.subscriber.currentState).toBe('terminated');
  // Bring it back, so that a second use of the token would have an effect to show.
  await ok(a.client, 'change_subscriber_state', { subscriberId: subscriber.subscriberId, state: 'ACTIVE' });
  return { args, token: first.confirmation_token as string };
}

describe.each([
  ['a shared SQLite state file', () => ({ MCP_STATE_FILE: join(dir, 'state.sqlite') })],
  ['Redis (REDIS_URL)', () => ({ REDIS_URL: redis.url })],
])('used confirmation tokens in %s', (_name, env) => {
  it('a token used on one instance is refused on a second instance with the same secret', async () => {
    const a = await instance(env());
    const b = await instance(env());
    const { args, token } = await terminateWithToken(a);
    const replay = await call(b.client, 'change_subscriber_state', { ...args, confirmation_token: token });
    expect(replay.isError).toBe(true);
    expect(replay.text).toMatch(/token was already used/);
    expect(
      (await ok(b.client, 'get_subscriber', { subscriberId: args.subscriberId })).subscriber.currentState,
    ).toBe('active');
    await a.stop();
    await b.stop();
  });

  it('a token used before a restart is refused after it', async () => {
    const a = await instance(env());
    const { args, token } = await terminateWithToken(a);
    await a.stop();
    const restarted = await instance(env());
    const replay = await call(restarted.client, 'change_subscriber_state', {
      ...args,
      confirmation_token: token,
    });
    expect(replay.text).toMatch(/token was already used/);
    await restarted.stop();
  });

  it('a token issued on one instance is honoured once on another (shared secret), then nowhere', async () => {
    const a = await instance(env());
    const b = await instance(env());
    const { subscriber } = await ok(a.client, 'create_subscriber', { msisdn: freshMsisdn() });
    const args = { subscriberId: subscriber.subscriberId };
    const held = await ok(a.client, 'delete_subscriber', args);
    const onB = await ok(b.client, 'delete_subscriber', {
      ...args,
      confirmation_token: held.confirmation_token,
    });
    expect(onB.deleted).toBe(true);
    const onA = await call(a.client, 'delete_subscriber', {
      ...args,
      confirmation_token: held.confirmation_token,
    });
    expect(onA.text).toMatch(/token was already used/);
    await a.stop();
    await b.stop();
  });

  it('the transaction ledger holds across instances: the repeat on another instance gets the first result', async () => {
    const a = await instance(env());
    const b = await instance(env());
    const { subscriber } = await ok(a.client, 'create_subscriber', { msisdn: freshMsisdn() });
    const { subscription } = await ok(a.client, 'create_subscription', {
      subscriberId: subscriber.subscriberId,
      offerId: '1000',
    });
    const txid = `LEDGER-${subscription.subscriptionId}`;
    const topup = {
      subscriptionId: subscription.subscriptionId,
      unitType: 'BYTES',
      balanceAmount: 5,
      transaction_id: txid,
    };
    const first = await ok(a.client, 'create_balance', topup);
    expect(await ok(b.client, 'create_balance', topup)).toEqual(first);
    const other = await call(b.client, 'create_balance', { ...topup, balanceAmount: 6 });
    expect(other.text).toMatch(/already used for another call/);
    expect((await ok(b.client, 'list_balances', { subscriptionId: subscription.subscriptionId })).total).toBe(
      1,
    );
    await a.stop();
    await b.stop();
  });
});

describe('strict confirmation mode (OCS_MCP_CONFIRMATION=elicitation)', () => {
  it('refuses irreversible calls from a client that cannot elicit, and never accepts a token', async () => {
    const strict = await instance({ OCS_MCP_CONFIRMATION: 'elicitation' });
    const { subscriber } = await ok(strict.client, 'create_subscriber', { msisdn: freshMsisdn() });
    const r = await call(strict.client, 'delete_subscriber', { subscriberId: subscriber.subscriberId });
    expect(r.isError).toBe(true);
    expect(r.text).toMatch(/only by elicitation/);
    expect(r.data.confirmation_token).toBeUndefined();
    // A token minted elsewhere with the same secret is no way around it either.
    const lenient = await instance({});
    const held = await ok(lenient.client, 'delete_subscriber', { subscriberId: subscriber.subscriberId });
    const withToken = await call(strict.client, 'delete_subscriber', {
      subscriberId: subscriber.subscriberId,
      confirmation_token: held.confirmation_token,
    });
    expect(withToken.text).toMatch(/only by elicitation/);
    await ok(strict.client, 'get_subscriber', { subscriberId: subscriber.subscriberId });
    await strict.stop();
    await lenient.stop();
  });

  it('still confirms through elicitation for a client that can', async () => {
    const config = testConfig(emulator.url, { OCS_MCP_CONFIRMATION: 'elicitation' });
    const client = await connectInMemory(config, { era: 'modern', elicit: 'accept' });
    const { subscriber } = await ok(client, 'create_subscriber', { msisdn: freshMsisdn() });
    expect((await ok(client, 'delete_subscriber', { subscriberId: subscriber.subscriberId })).deleted).toBe(
      true,
    );
    await client.close();
    await closeRuntime(config);
  });
});
