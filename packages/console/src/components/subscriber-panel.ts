import { html } from 'htm/preact';
import type { BalanceView, OcsEntities, SubscriptionView } from '../ocs-entities.js';
import { BalanceBar } from './balance-bar.js';

function Subscription({
  subscription,
  balances,
}: {
  subscription: SubscriptionView;
  balances: BalanceView[];
}) {
  return html`
    <li class=${`subscription${subscription.deleted ? ' is-deleted' : ''}`}>
      <div class="subscription-head">
        <strong>${subscription.offerName ?? 'Subscription'}</strong>
        ${subscription.offerId ? html`<span class="muted"> · offer ${subscription.offerId}</span>` : null}
        ${
          subscription.deleted
            ? html`<span class="badge badge-danger">deleted</span>`
            : subscription.state
              ? html`<span class="badge">${subscription.state}</span>`
              : null
        }
      </div>
      <div class="mono muted small">${subscription.subscriptionId}</div>
      ${
        balances.length > 0
          ? html`<ul class="balances" aria-label=${`Balances of ${subscription.subscriptionId}`}>
              ${balances.map((balance) => html`<${BalanceBar} key=${balance.balanceId} balance=${balance} inDeleted=${subscription.deleted === true} />`)}
            </ul>`
          : null
      }
    </li>
  `;
}

/** What the conversation touched in the OCS: subscribers, their subscriptions, balances as bars. */
export function SubscriberPanel({ entities }: { entities: OcsEntities }) {
  const { subscribers, subscriptions, balances } = entities;
  const knownSubscriptions = new Set(subscriptions.map((s) => s.subscriptionId));
  const knownSubscribers = new Set(subscribers.map((s) => s.subscriberId));
  const balancesOf = (id: string) => balances.filter((b) => b.subscriptionId === id);
  const orphanSubscriptions = subscriptions.filter(
    (s) => !s.subscriberId || !knownSubscribers.has(s.subscriberId),
  );
  const orphanBalances = balances.filter(
    (b) => !b.subscriptionId || !knownSubscriptions.has(b.subscriptionId),
  );
  const renderSubscriptions = (list: SubscriptionView[]) =>
    html`<ul class="subscriptions">
      ${list.map((s) => html`<${Subscription} key=${s.subscriptionId} subscription=${s} balances=${balancesOf(s.subscriptionId)} />`)}
    </ul>`;
  const empty = subscribers.length === 0 && subscriptions.length === 0 && balances.length === 0;
  return html`
    <section class="panel subscriber-panel" aria-labelledby="subscriber-heading">
      <h2 id="subscriber-heading">Subscriber</h2>
      ${empty ? html`<p class="muted">Subscribers, subscriptions and balances the assistant touches appear here.</p>` : null}
      ${subscribers.map(
        (subscriber) => html`
          <article class=${`subscriber${subscriber.deleted ? ' is-deleted' : ''}`} key=${subscriber.subscriberId}>
            <h3>${subscriber.name || subscriber.msisdn || subscriber.subscriberId}</h3>
            <dl class="facts">
              ${subscriber.msisdn ? html`<dt>MSISDN</dt><dd class="mono">${subscriber.msisdn}</dd>` : null}
              <dt>State</dt><dd>${subscriber.deleted ? 'deleted' : (subscriber.state ?? 'unknown')}</dd>
              <dt>Id</dt><dd class="mono small">${subscriber.subscriberId}</dd>
            </dl>
            ${renderSubscriptions(subscriptions.filter((s) => s.subscriberId === subscriber.subscriberId))}
          </article>
        `,
      )}
      ${
        orphanSubscriptions.length > 0
          ? html`<h3>${subscribers.length > 0 ? 'Other subscriptions' : 'Subscriptions'}</h3>${renderSubscriptions(orphanSubscriptions)}`
          : null
      }
      ${
        orphanBalances.length > 0
          ? html`<h3>Balances</h3>
              <ul class="balances">
                ${orphanBalances.map((b) => html`<${BalanceBar} key=${b.balanceId} balance=${b} />`)}
              </ul>`
          : null
      }
    </section>
  `;
}
