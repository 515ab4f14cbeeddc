import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOOLSETS } from '../src/config.js';
import { call, callConfirmed, connectInMemory, freshMsisdn, ok, okConfirmed } from './helpers.js';
import { useMcpHttpServer } from './support/fixtures.js';

type Transport = 'in-memory 2026-07-28' | 'http 2026-07-28' | 'http 2025-11-25';

const fx = useMcpHttpServer({ OCS_MCP_TOOLSETS: TOOLSETS.join(',') });

async function connect(transport: Transport): Promise<Client> {
  if (transport === 'in-memory 2026-07-28')
    return connectInMemory(fx.config, { era: 'modern', elicit: 'accept' });
  const client = new Client(
    { name: 'tools-test', version: '1' },
    transport === 'http 2026-07-28' ? { versionNegotiation: { mode: { pin: '2026-07-28' } } } : {},
  );
  await client.connect(new StreamableHTTPClientTransport(new URL(fx.http.url)));
  return client;
}

describe.each<Transport>(['in-memory 2026-07-28', 'http 2026-07-28', 'http 2025-11-25'])(
  'every tool over %s',
  (transport) => {
    let client: Client;
    beforeAll(async () => {
      client = await connect(transport);
    });
    afterAll(async () => {
      await client?.close();
    });

    describe('subscriber tools', () => {
      it('creates, looks up (with + and spaces), gets, updates and changes state', async () => {
        const msisdn = freshMsisdn();
        const created = await ok(client, 'create_subscriber', {
          msisdn,
          firstName: 'Ada',
          lastName: `Lovelace-${msisdn}`,
          email: 'ada@example.com',
          city: 'Vienna',
          subscriberType: 'PREPAID',
        });
        expect(created.subscriber.msisdn).toBe(msisdn);
        expect(created.transaction_id).toMatch(/[0-9a-f-]{36}/);
        const id = created.subscriber.subscriberId;

        const pretty = `+${msisdn.slice(0, 2)} ${msisdn.slice(2, 5)} ${msisdn.slice(5)}`;
        const found = await ok(client, 'lookup_subscriber', {
          msisdn: pretty,
          transaction_id: 'TXN-LOOKUP-1',
        });
        expect(found.subscriber.subscriberId).toBe(id);
        expect(found).not.toHaveProperty('subscriberId');
        expect(found.transaction_id).toBe('TXN-LOOKUP-1');
        expect(found.subscriber.personalInfo.firstName).toBe('Ada');

        const byName = await ok(client, 'lookup_subscriber', {
          firstName: 'Ada',
          lastName: `Lovelace-${msisdn}`,
        });
        expect(byName.subscriber.subscriberId).toBe(id);

        const got = await ok(client, 'get_subscriber', { subscriberId: id });
        expect(got.subscriber.currentState).toBe('pre-provisioned');

        const updated = await ok(client, 'update_subscriber', {
          subscriberId: id,
          updates: [
            { fieldName: 'email', fieldValue: 'ada@lovelace.org' },
            { fieldName: 'billingCity', fieldValue: 'Graz' },
            { fieldName: 'billcycleDay', fieldValue: '15' },
          ],
        });
        expect(updated.subscriber.personalInfo.email).toBe('ada@lovelace.org');
        expect(updated.subscriber.billing.billingAddress.city).toBe('Graz');
        expect(updated.subscriber.billing.billcycleDay).toBe(15);

        const active = await ok(client, 'change_subscriber_state', { subscriberId: id, state: 'active' });
        expect(active.subscriber.currentState).toBe('active');
      });

      it('maps lookup misses, duplicates and bad input to short tool errors', async () => {
        const missing = await call(client, 'lookup_subscriber', { msisdn: '43699999999999' });
        expect(missing.isError).toBe(true);
        expect(missing.text).toMatch(/MSISDN 43699999999999 was not found/);
        expect(missing.text).toMatch(/transaction_id: /);

        const bad = await call(client, 'lookup_subscriber', { msisdn: '+43 12' });
        expect(bad.isError).toBe(true);
        expect(bad.text).toMatch(/not a valid MSISDN/);

        const none = await call(client, 'lookup_subscriber', { firstName: 'Only' });
        expect(none.isError).toBe(true);
        expect(none.text).toMatch(/Give msisdn, or imsi/);

        const msisdn = freshMsisdn();
        await ok(client, 'create_subscriber', { msisdn });
        const dup = await call(client, 'create_subscriber', { msisdn });
        expect(dup.isError).toBe(true);
        expect(dup.text).toMatch(new RegExp(`MSISDN ${msisdn} already exists.*lookup_subscriber`));

        const unknown = await call(client, 'get_subscriber', { subscriberId: 'no-such-id' });
        expect(unknown.isError).toBe(true);
        expect(unknown.text).toMatch(/Subscriber no-such-id was not found.*lookup_subscriber/);

        const badDay = await call(client, 'update_subscriber', {
          subscriberId: 'x',
          updates: [{ fieldName: 'billcycleDay', fieldValue: 'soon' }],
        });
        expect(badDay.text).toMatch(/billcycleDay must be a whole number/);

        const badField = await call(client, 'update_subscriber', {
          subscriberId: 'x',
          updates: [{ fieldName: 'personalInfo.email', fieldValue: 'a@b.c' }],
        });
        expect(badField.isError).toBe(true);
      });

      it('deletes a subscriber after confirmation', async () => {
        const { subscriber } = await ok(client, 'create_subscriber', { msisdn: freshMsisdn() });
        const deleted = await okConfirmed(client, 'delete_subscriber', {
          subscriberId: subscriber.subscriberId,
        });
        expect(deleted).toMatchObject({ deleted: true, subscriberId: subscriber.subscriberId });
        const again = await call(client, 'get_subscriber', { subscriberId: subscriber.subscriberId });
        expect(again.isError).toBe(true);
      });
    });

    describe('subscription and balance tools', () => {
      it('runs the onboarding flow from an offer and manages the subscription', async () => {
        const { subscriber } = await ok(client, 'create_subscriber', { msisdn: freshMsisdn() });
        const sid = subscriber.subscriberId;
        const created = await ok(client, 'create_subscription', {
          subscriberId: sid,
          offerId: '1000',
          createBalances: true,
          activate: true,
        });
        expect(created.subscription).toMatchObject({
          offerId: '1000',
          state: 'active',
          cycleLengthType: 'MONTHS',
        });
        expect(created.balances).toHaveLength(3);
        const subId = created.subscription.subscriptionId;

        const listed = await ok(client, 'list_subscriptions', { subscriberId: sid });
        expect(listed).toMatchObject({ total: 1, limit: 50, offset: 0 });
        const paged = await ok(client, 'list_subscriptions', { subscriberId: sid, offset: 1 });
        expect(paged.subscriptions).toEqual([]);

        const got = await ok(client, 'get_subscription', { subscriptionId: subId });
        expect(got.subscription.offerName).toBe('Basic prepaid plan');

        const renamed = await ok(client, 'update_subscription', {
          subscriptionId: subId,
          updates: [
            { fieldName: 'offerName', fieldValue: 'Renamed plan' },
            { fieldName: 'paidFlag', fieldValue: false },
          ],
        });
        expect(renamed.subscription).toMatchObject({ offerName: 'Renamed plan', paidFlag: false });

        const suspended = await ok(client, 'change_subscription_state', {
          subscriptionId: subId,
          action: 'suspend',
        });
        expect(suspended.subscription.state).toBe('suspended');
        const illegal = await call(client, 'change_subscription_state', {
          subscriptionId: subId,
          action: 'suspend',
        });
        expect(illegal.isError).toBe(true);
        expect(illegal.text).toMatch(/suspend/);

        const balances = await ok(client, 'list_balances', { subscriptionId: subId });
        expect(balances.total).toBe(3);
        const topUp = await ok(client, 'create_balance', {
          subscriptionId: subId,
          unitType: 'BYTES',
          balanceAmount: 1073741824,
          expirationDate: '2037-12-31T23:59:59Z',
        });
        expect(topUp.balance).toMatchObject({
          unitType: 'BYTES',
          balanceAmount: 1073741824,
          balanceAvailable: 1073741824,
        });
        expect((await ok(client, 'list_balances', { subscriptionId: subId })).total).toBe(4);

        await okConfirmed(client, 'delete_balances', { subscriptionId: subId });
        expect((await ok(client, 'list_balances', { subscriptionId: subId })).total).toBe(0);

        const cancelled = await okConfirmed(client, 'change_subscription_state', {
          subscriptionId: subId,
          action: 'cancel',
        });
        expect(cancelled.subscription.state).toBe('cancelled');

        await okConfirmed(client, 'delete_subscription', { subscriptionId: subId });
        const gone = await call(client, 'get_subscription', { subscriptionId: subId });
        expect(gone.text).toMatch(/Subscription .* was not found.*list_subscriptions/);
      });

      it('refuses an offer that is not in the catalogue and names the known ones', async () => {
        const r = await call(client, 'create_subscription', { subscriberId: 'x', offerId: '9999' });
        expect(r.isError).toBe(true);
        expect(r.text).toMatch(/Offer 9999 is not in the catalogue.*1000/);
      });

      it('retries a create_balance with the same transaction_id without crediting twice', async () => {
        const { subscriber } = await ok(client, 'create_subscriber', { msisdn: freshMsisdn() });
        const { subscription } = await ok(client, 'create_subscription', {
          subscriberId: subscriber.subscriberId,
          offerId: '1003',
        });
        const args = {
          subscriptionId: subscription.subscriptionId,
          unitType: 'BYTES',
          balanceAmount: 500,
          // One id per transport: the same id with other arguments is (rightly) refused.
          transaction_id: `TXN-IDEMPOTENT-${transport.replace(/\W+/g, '-')}`,
        };
        const first = await ok(client, 'create_balance', args);
        const second = await ok(client, 'create_balance', args);
        expect(second.balance.balanceId).toBe(first.balance.balanceId);
        const list = await ok(client, 'list_balances', { subscriptionId: subscription.subscriptionId });
        expect(list.total).toBe(1);
      });
    });

    describe('account history tools', () => {
      it('creates, lists (paged), gets and updates entries', async () => {
        const { subscriber } = await ok(client, 'create_subscriber', { msisdn: freshMsisdn() });
        const sid = subscriber.subscriberId;
        const created = await ok(client, 'create_account_history', {
          entityId: sid,
          entityType: 'SUBSCRIBER',
          description: 'Customer called about data',
          direction: 'INBOUND',
          channel: 'CALL_CENTER',
          status: 'COMPLETED',
        });
        const iid = created.entry.interactionId;
        const page = await ok(client, 'list_account_history', { entityId: sid, limit: 1 });
        expect(page.entries).toHaveLength(1);
        const all = await ok(client, 'list_account_history', { entityId: sid });
        expect(all.entries.length).toBeGreaterThanOrEqual(2);
        const got = await ok(client, 'get_account_history', { interactionId: iid });
        expect(got.entry.description).toBe('Customer called about data');
        const updated = await okConfirmed(client, 'update_account_history', {
          interactionId: iid,
          status: 'ESCALATED',
        });
        expect(updated.entry).toMatchObject({
          status: 'ESCALATED',
          description: 'Customer called about data',
        });

        const dup = await call(client, 'create_account_history', {
          entityId: sid,
          entityType: 'SUBSCRIBER',
          interactionId: iid,
        });
        expect(dup.text).toMatch(/already exists/);
        const empty = await callConfirmed(client, 'update_account_history', { interactionId: iid });
        expect(empty.text).toMatch(/at least one field/);
        const missing = await call(client, 'get_account_history', { interactionId: 'nope' });
        expect(missing.text).toMatch(/nope was not found.*list_account_history/);
      });
    });

    describe('offer tools, resources and prompts', () => {
      it('lists and filters offers and gets one', async () => {
        const all = await ok(client, 'list_offers');
        expect(all.total).toBe(5);
        const postpaid = await ok(client, 'list_offers', { type: 'POSTPAID' });
        expect(postpaid.offers.map((o: { offerId: string }) => o.offerId)).toEqual(['1001']);
        const one = await ok(client, 'get_offer', { offerId: '1010' });
        expect(one.offer.balances).toHaveLength(3);
        const missing = await call(client, 'get_offer', { offerId: '42' });
        expect(missing.isError).toBe(true);
        expect(missing.text).toMatch(/Known offers/);
      });

      it('serves the catalogue and subscriber resources', async () => {
        const offers = await client.readResource({ uri: 'ocs://offers' });
        expect(JSON.parse((offers.contents[0] as { text: string }).text)).toHaveLength(5);
        const { subscriber } = await ok(client, 'create_subscriber', { msisdn: freshMsisdn() });
        const r = await client.readResource({ uri: `ocs://subscribers/${subscriber.subscriberId}` });
        expect(JSON.parse((r.contents[0] as { text: string }).text).subscriberId).toBe(
          subscriber.subscriberId,
        );
        await expect(client.readResource({ uri: 'ocs://subscribers/nope' })).rejects.toThrow();
        const templates = await client.listResourceTemplates();
        expect(templates.resourceTemplates[0]?.uriTemplate).toBe('ocs://subscribers/{subscriberId}');
      });

      it('offers the workflow prompts', async () => {
        const { prompts } = await client.listPrompts();
        expect(prompts.map((p) => p.name)).toEqual(['onboard_subscriber', 'investigate_balance_complaint']);
        const p = await client.getPrompt({
          name: 'onboard_subscriber',
          arguments: { msisdn: '4366012345678', offerId: '1000' },
        });
        expect(JSON.stringify(p.messages)).toMatch(/create_subscription/);
        const q = await client.getPrompt({
          name: 'investigate_balance_complaint',
          arguments: { msisdn: '4366012345678', complaint: 'no data' },
        });
        expect(JSON.stringify(q.messages)).toMatch(/no data/);
      });

      it('sends operating instructions', () => {
        expect(client.getInstructions()).toMatch(/lookup_subscriber/);
      });
    });
  },
);
