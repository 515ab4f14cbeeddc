import { createHmac } from 'node:crypto';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { describe, expect, it } from 'vitest';
import { MemoryStateStore } from '../src/state/state-store.js';
import { ConfirmationRequired, ConfirmationTokens } from '../src/tool-kit/confirmation.js';
import { call, connectInMemory, freshMsisdn, ok, TEST_SECRET } from './helpers.js';
import { useMcpHttpServer } from './support/fixtures.js';

describe('confirmation tokens', () => {
  let now = 1_000_000;
  const used = new MemoryStateStore({ now: () => now });
  const tokens = new ConfirmationTokens(TEST_SECRET, used, () => now);
  const args = { subscriberId: 'abc' };

  it('redeems once for the same subject, tool and arguments', async () => {
    const { token, expiresAt } = tokens.issue('alice', 'delete_subscriber', args);
    expect(expiresAt.getTime()).toBe(now + 5 * 60 * 1000);
    expect(await tokens.redeem(token, 'alice', 'delete_subscriber', { subscriberId: 'abc' })).toMatchObject({
      ok: true,
    });
    expect(await tokens.redeem(token, 'alice', 'delete_subscriber', args)).toEqual({
      ok: false,
      reason: 'token was already used',
    });
  });

  it('a token issued to one credential is refused for another (bound to who asked)', async () => {
    const { token } = tokens.issue('alice', 'delete_subscriber', args);
    expect(await tokens.redeem(token, 'mallory', 'delete_subscriber', args)).toEqual({
      ok: false,
      reason: 'token was issued to another credential',
    });
  });

  it('fails closed on another tool, other arguments, expiry, tampering and garbage', async () => {
    const { token } = tokens.issue('alice', 'delete_subscriber', args);
    expect((await tokens.redeem(token, 'alice', 'delete_subscription', args)).ok).toBe(false);
    expect(await tokens.redeem(token, 'alice', 'delete_subscriber', { subscriberId: 'xyz' })).toMatchObject({
      reason: 'arguments differ from the ones that were confirmed',
    });
    const [body, mac] = token.split('.') as [string, string];
    const forged = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(body, 'base64url').toString()), e: now + 10 ** 9 }),
    ).toString('base64url');
    expect(await tokens.redeem(`${forged}.${mac}`, 'alice', 'delete_subscriber', args)).toMatchObject({
      reason: 'token signature is invalid',
    });
    expect(await tokens.redeem('garbage', 'alice', 'delete_subscriber', args)).toMatchObject({
      reason: 'malformed token',
    });
    const other = new ConfirmationTokens('another-secret-another-secret-123', used);
    expect((await other.redeem(token, 'alice', 'delete_subscriber', args)).ok).toBe(false);
    now += 5 * 60 * 1000 + 1;
    expect(await tokens.redeem(token, 'alice', 'delete_subscriber', args)).toMatchObject({
      reason: 'token has expired',
    });
  });

  it('refuses a correctly signed token with a malformed payload', async () => {
    const body = Buffer.from('{"p":"token","t":1}').toString('base64url');
    const mac = createHmac('sha256', TEST_SECRET).update(`ocs-mcp.confirm.v2:${body}`).digest('base64url');
    expect(await tokens.redeem(`${body}.${mac}`, 'alice', 'x', {})).toMatchObject({
      reason: 'malformed token',
    });
    const notJson = Buffer.from('nope').toString('base64url');
    const mac2 = createHmac('sha256', TEST_SECRET)
      .update(`ocs-mcp.confirm.v2:${notJson}`)
      .digest('base64url');
    expect(await tokens.redeem(`${notJson}.${mac2}`, 'alice', 'x', {})).toMatchObject({
      reason: 'malformed token',
    });
  });

  it('keeps elicitation state and confirmation tokens apart', async () => {
    const state = tokens.issue('alice', 'delete_subscriber', args, 'elicitation').token;
    expect(await tokens.redeem(state, 'alice', 'delete_subscriber', args)).toMatchObject({
      reason: 'token was not issued for this step',
    });
    expect(await tokens.redeem(state, 'alice', 'delete_subscriber', args, 'elicitation')).toMatchObject({
      ok: true,
    });
  });
});

describe('confirmation flows', () => {
  const fx = useMcpHttpServer();

  async function newSubscriber(client: Client): Promise<string> {
    const { subscriber } = await ok(client, 'create_subscriber', { msisdn: freshMsisdn() });
    return subscriber.subscriberId;
  }

  it('asks a 2026-07-28 client through input_required and proceeds on accept', async () => {
    const messages: string[] = [];
    const client = await connectInMemory(fx.config, {
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
    const client = await connectInMemory(fx.config, { era: 'modern', elicit: 'decline' });
    const id = await newSubscriber(client);
    const r = await call(client, 'delete_subscriber', { subscriberId: id });
    expect(r.isError).toBe(true);
    expect(r.text).toMatch(/Not confirmed by the user \(decline\)/);
    expect((await ok(client, 'get_subscriber', { subscriberId: id })).subscriber.subscriberId).toBe(id);
    await client.close();
  });

  it('uses elicitation on a stateful 2025 connection (stdio-like)', async () => {
    const client = await connectInMemory(fx.config, { era: 'legacy', elicit: 'accept' });
    const id = await newSubscriber(client);
    const r = await ok(client, 'change_subscriber_state', { subscriberId: id, state: 'TERMINATED' });
    expect(r.subscriber.currentState).toBe('terminated');
    await client.close();
  });

  it('needs no confirmation for harmless transitions', async () => {
    const client = await connectInMemory(fx.config, { era: 'modern' });
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
    await client.connect(new StreamableHTTPClientTransport(new URL(fx.http.url)));
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
    await client.connect(new StreamableHTTPClientTransport(new URL(fx.http.url)));
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
