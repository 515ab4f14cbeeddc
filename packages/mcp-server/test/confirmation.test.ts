import { createHmac } from 'node:crypto';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import type { RunningEmulator } from '@ocsai/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { McpConfig } from '../src/config.js';
import { type McpHttpServerHandle, startMcpHttpServer } from '../src/http.js';
import { closeRuntime } from '../src/runtime.js';
import { ConfirmationRequired, ConfirmationTokens, canonicalJson } from '../src/tools/confirmation.js';
import {
  call,
  connectInMemory,
  freshMsisdn,
  ok,
  startTestEmulator,
  TEST_SECRET,
  testConfig,
} from './helpers.js';

describe('confirmation tokens', () => {
  let now = 1_000_000;
  const tokens = new ConfirmationTokens(TEST_SECRET, () => now);
  const args = { subscriberId: 'abc' };

  it('redeems once for the same tool and arguments', () => {
    const { token, expiresAt } = tokens.issue('delete_subscriber', args);
    expect(expiresAt.getTime()).toBe(now + 5 * 60 * 1000);
    expect(tokens.redeem(token, 'delete_subscriber', { subscriberId: 'abc' })).toEqual({ ok: true });
    expect(tokens.redeem(token, 'delete_subscriber', args)).toEqual({
      ok: false,
      reason: 'token was already used',
    });
  });

  it('fails closed on another tool, other arguments, expiry, tampering and garbage', () => {
    const { token } = tokens.issue('delete_subscriber', args);
    expect(tokens.redeem(token, 'delete_subscription', args).ok).toBe(false);
    expect(tokens.redeem(token, 'delete_subscriber', { subscriberId: 'xyz' })).toMatchObject({
      reason: 'arguments differ from the ones that were confirmed',
    });
    const [body, mac] = token.split('.') as [string, string];
    const forged = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(body, 'base64url').toString()), e: now + 10 ** 9 }),
    ).toString('base64url');
    expect(tokens.redeem(`${forged}.${mac}`, 'delete_subscriber', args)).toMatchObject({
      reason: 'token signature is invalid',
    });
    expect(tokens.redeem('garbage', 'delete_subscriber', args)).toMatchObject({ reason: 'malformed token' });
    expect(
      new ConfirmationTokens('another-secret-another-secret-123').redeem(token, 'delete_subscriber', args).ok,
    ).toBe(false);
    now += 5 * 60 * 1000 + 1;
    expect(tokens.redeem(token, 'delete_subscriber', args)).toMatchObject({ reason: 'token has expired' });
  });

  it('refuses a correctly signed token with a malformed payload', () => {
    const body = Buffer.from('{"p":"token","t":1}').toString('base64url');
    const mac = createHmac('sha256', TEST_SECRET).update(`ocs-mcp.confirm.v1:${body}`).digest('base64url');
    expect(tokens.redeem(`${body}.${mac}`, 'x', {})).toMatchObject({ reason: 'malformed token' });
    const notJson = Buffer.from('nope').toString('base64url');
    const mac2 = createHmac('sha256', TEST_SECRET)
      .update(`ocs-mcp.confirm.v1:${notJson}`)
      .digest('base64url');
    expect(tokens.redeem(`${notJson}.${mac2}`, 'x', {})).toMatchObject({ reason: 'malformed token' });
  });

  it('keeps elicitation state and confirmation tokens apart', () => {
    const state = tokens.issue('delete_subscriber', args, 'elicitation').token;
    expect(tokens.redeem(state, 'delete_subscriber', args)).toMatchObject({
      reason: 'token was not issued for this step',
    });
    expect(tokens.redeem(state, 'delete_subscriber', args, 'elicitation')).toEqual({ ok: true });
  });

  it('canonicalises argument order', () => {
    expect(canonicalJson({ b: 1, a: [1, { d: 2, c: undefined }] })).toBe('{"a":[1,{"d":2}],"b":1}');
  });
});

describe('confirmation flows', () => {
  let emulator: RunningEmulator;
  let config: McpConfig;
  let http: McpHttpServerHandle;

  beforeAll(async () => {
    emulator = await startTestEmulator();
    config = testConfig(emulator.url);
    http = await startMcpHttpServer({ ...config, port: 0 });
  });
  afterAll(async () => {
    await http?.close();
    await closeRuntime(config);
    await emulator?.close();
  });

  async function newSubscriber(client: Client): Promise<string> {
    const { subscriber } = await ok(client, 'create_subscriber', { msisdn: freshMsisdn() });
    return subscriber.subscriberId;
  }

  it('asks a 2026-07-28 client through input_required and proceeds on accept', async () => {
    const messages: string[] = [];
    const client = await connectInMemory(config, {
      era: 'modern',
      elicit: 'accept',
      onElicit: (m) => messages.push(m),
    });
    const id = await newSubscriber(client);
    const r = await ok(client, 'delete_subscriber', { subscriberId: id });
    expect(r.deleted).toBe(true);
    expect(messages[0]).toMatch(new RegExp(`delete subscriber ${id}.*cannot be undone`, 'i'));
    await client.close();
  });

  it('changes nothing when the human declines', async () => {
    const client = await connectInMemory(config, { era: 'modern', elicit: 'decline' });
    const id = await newSubscriber(client);
    const r = await call(client, 'delete_subscriber', { subscriberId: id });
    expect(r.isError).toBe(true);
    expect(r.text).toMatch(/Not confirmed by the user \(decline\)/);
    expect((await ok(client, 'get_subscriber', { subscriberId: id })).subscriber.subscriberId).toBe(id);
    await client.close();
  });

  it('uses elicitation on a stateful 2025 connection (stdio-like)', async () => {
    const client = await connectInMemory(config, { era: 'legacy', elicit: 'accept' });
    const id = await newSubscriber(client);
    const r = await ok(client, 'change_subscriber_state', { subscriberId: id, state: 'TERMINATED' });
    expect(r.subscriber.currentState).toBe('terminated');
    await client.close();
  });

  it('needs no confirmation for harmless transitions', async () => {
    const client = await connectInMemory(config, { era: 'modern' });
    const id = await newSubscriber(client);
    const r = await ok(client, 'change_subscriber_state', { subscriberId: id, state: 'SUSPENDED' });
    expect(r.subscriber.currentState).toBe('suspended');
    await client.close();
  });

  it('gives a 2025-era client over stateless HTTP a two-step token', async () => {
    const client = new Client(
      { name: 'legacy-router', version: '1' },
      { capabilities: { elicitation: { form: {} } } },
    );
    await client.connect(new StreamableHTTPClientTransport(new URL(http.url)));
    const id = await newSubscriber(client);

    const first = await call(client, 'delete_subscriber', { subscriberId: id });
    expect(first.isError).toBe(false);
    const pending = ConfirmationRequired.parse(first.data);
    expect(pending.action).toEqual({
      tool: 'delete_subscriber',
      arguments: { subscriberId: id },
      summary: expect.stringContaining(id),
    });
    expect(Date.parse(pending.expires_at)).toBeGreaterThan(Date.now());
    // Nothing happened yet.
    await ok(client, 'get_subscriber', { subscriberId: id });

    const wrongArgs = await call(client, 'delete_subscriber', {
      subscriberId: `${id}x`,
      confirmation_token: pending.confirmation_token,
    });
    expect(wrongArgs.isError).toBe(true);
    expect(wrongArgs.text).toMatch(/arguments differ/);

    const done = await ok(client, 'delete_subscriber', {
      subscriberId: id,
      confirmation_token: pending.confirmation_token,
    });
    expect(done).toMatchObject({ deleted: true, subscriberId: id });

    const replay = await call(client, 'delete_subscriber', {
      subscriberId: id,
      confirmation_token: pending.confirmation_token,
    });
    expect(replay.isError).toBe(true);
    expect(replay.text).toMatch(/already used/);

    const forged = await call(client, 'delete_balances', {
      subscriptionId: 's',
      confirmation_token: 'abc.def',
    });
    expect(forged.text).toMatch(/Confirmation token refused \(token signature is invalid\)/);
    await client.close();
  });

  it('confirms subscription cancellation by token too', async () => {
    const client = new Client({ name: 'legacy-router', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(new URL(http.url)));
    const id = await newSubscriber(client);
    const { subscription } = await ok(client, 'create_subscription', {
      subscriberId: id,
      offerId: '1002',
      activate: true,
    });
    const first = await ok(client, 'change_subscription_state', {
      subscriptionId: subscription.subscriptionId,
      action: 'cancel',
    });
    expect(first.confirmation_required).toBe(true);
    const done = await ok(client, 'change_subscription_state', {
      subscriptionId: subscription.subscriptionId,
      action: 'cancel',
      confirmation_token: first.confirmation_token,
    });
    expect(done.subscription.state).toBe('cancelled');
    await client.close();
  });
});
