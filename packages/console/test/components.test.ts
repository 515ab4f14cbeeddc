import { describe, expect, it } from 'vitest';
import { BalanceBar } from '../src/components/balance-bar.js';
import { SubscriberPanel } from '../src/components/subscriber-panel.js';
import { ToolCallCard } from '../src/components/tool-call-card.js';
import type { OcsEntities } from '../src/ocs-entities.js';
import { findAll, textOf } from './support/vnode.js';

const data = {
  balanceId: 'b1',
  subscriptionId: 's1',
  unitType: 'BYTES',
  balanceAmount: 10 * 1024 ** 3,
  balanceAvailable: 6 * 1024 ** 3,
};

describe('BalanceBar', () => {
  it('draws what is left and describes the balance for screen readers', () => {
    const bar = BalanceBar({ balance: data });
    expect(textOf(bar)).toContain('6 GB left of 10 GB');
    expect(textOf(bar)).toContain('4 GB used');
    const [meter] = findAll(bar, (props) => props['role'] === 'meter');
    expect(meter).toMatchObject({
      'aria-label': 'Data left',
      'aria-valuenow': 6 * 1024 ** 3,
      'aria-valuetext': '4 GB used of 10 GB, 6 GB left',
    });
    expect(findAll(bar, (props) => props['class'] === 'bar-left')[0]?.['style']).toBe('width: 60%');
  });

  it('flags a deleted balance unless its subscription already says so', () => {
    expect(textOf(BalanceBar({ balance: { ...data, deleted: true } }))).toContain('deleted');
    expect(textOf(BalanceBar({ balance: { ...data, deleted: true }, inDeleted: true }))).not.toContain(
      'deleted',
    );
  });
});

describe('SubscriberPanel', () => {
  it('invites the agent when nothing was touched yet', () => {
    expect(
      textOf(SubscriberPanel({ entities: { subscribers: [], subscriptions: [], balances: [] } })),
    ).toContain('appear here');
  });

  it('nests balances under subscriptions under the subscriber', () => {
    const entities: OcsEntities = {
      subscribers: [{ subscriberId: 'sub-1', msisdn: '436601234567', state: 'active', name: 'Ada Lovelace' }],
      subscriptions: [
        {
          subscriptionId: 's1',
          subscriberId: 'sub-1',
          offerId: '1000',
          offerName: 'Basic prepaid plan',
          state: 'active',
        },
        { subscriptionId: 's2', subscriberId: 'someone-else', deleted: true },
      ],
      balances: [
        data,
        {
          ...data,
          balanceId: 'b9',
          subscriptionId: 'unknown',
          unitType: 'EVENTS',
          balanceAmount: 5,
          balanceAvailable: 5,
        },
      ],
    };
    const panel = SubscriberPanel({ entities });
    const text = textOf(panel);
    expect(text).toContain('Ada Lovelace');
    expect(text).toContain('436601234567');
    expect(text).toContain('Basic prepaid plan');
    expect(text).toContain('offer 1000');
    expect(text).toContain('Other subscriptions');
    expect(text).toContain('5 SMS left of 5 SMS');
    expect(findAll(panel, (props) => props['role'] === 'meter')).toHaveLength(2);
    expect(findAll(panel, (props) => String(props['class']).includes('is-deleted'))).toHaveLength(1);
  });

  it('shows a subscriber by MSISDN or id when it has no name, and marks it deleted', () => {
    const text = textOf(
      SubscriberPanel({
        entities: {
          subscribers: [{ subscriberId: 'sub-2', deleted: true }],
          subscriptions: [],
          balances: [],
        },
      }),
    );
    expect(text).toContain('sub-2');
    expect(text).toContain('deleted');
  });
});

describe('ToolCallCard', () => {
  const base = { id: 't1', name: 'create_subscription', arguments: { offerId: '1000' } };

  it('shows status, tool, server, duration, transaction id, arguments and result', () => {
    const card = ToolCallCard({
      call: {
        ...base,
        server: 'ocs',
        status: 'ok',
        durationMs: 42,
        transactionId: 'tx-1',
        result: {
          content: [{ type: 'text', text: '{}' }],
          structuredContent: { subscription: { subscriptionId: 's1' } },
        },
      },
    });
    const text = textOf(card);
    for (const part of [
      'done',
      'create_subscription',
      'on ocs',
      '42 ms',
      'tx tx-1',
      '"offerId": "1000"',
      '"subscriptionId": "s1"',
    ]) {
      expect(text).toContain(part);
    }
    expect(findAll(card, (_props, type) => type === 'details')[0]?.['open']).toBe(false);
  });

  it('opens failed calls and shows the error text', () => {
    const card = ToolCallCard({
      call: {
        ...base,
        status: 'error',
        result: { content: [{ type: 'text', text: 'Offer 9 is not in the catalogue' }], isError: true },
      },
    });
    expect(textOf(card)).toContain('Offer 9 is not in the catalogue');
    expect(textOf(card)).toContain('failed');
    expect(findAll(card, (_props, type) => type === 'details')[0]?.['open']).toBe(true);
  });

  it('says when a call is running or waiting for approval', () => {
    expect(textOf(ToolCallCard({ call: { ...base, status: 'running' } }))).toContain('Waiting for the tool');
    expect(textOf(ToolCallCard({ call: { ...base, status: 'awaiting_approval' } }))).toContain(
      'awaiting approval',
    );
  });
});
