import { html } from 'htm/preact';
import { balanceUsage, unitLabel } from '../format.js';
import type { BalanceView } from '../ocs-entities.js';

/** One balance as a bar: the filled part is what the subscriber has used. */
export function BalanceBar({ balance }: { balance: BalanceView }) {
  const usage = balanceUsage(balance);
  const label = `${unitLabel(balance.unitType)} balance`;
  const percent = Math.round(usage.usedFraction * 100);
  return html`
    <li class=${`balance${balance.deleted ? ' is-deleted' : ''}`} data-unit=${balance.unitType}>
      <div class="balance-head">
        <span class="balance-name">${unitLabel(balance.unitType)}</span>
        <span class="balance-total">${usage.availableText} left of ${usage.totalText}</span>
      </div>
      <div
        class="bar"
        role="meter"
        aria-label=${label}
        aria-valuemin="0"
        aria-valuemax=${usage.total}
        aria-valuenow=${usage.used}
        aria-valuetext=${usage.summary}
      >
        <span class="bar-used" style=${`width: ${percent}%`}></span>
      </div>
      <div class="balance-foot">
        <span>${usage.usedText} used</span>
        <span class="mono" title="Balance id">${balance.balanceId}</span>
      </div>
      ${balance.deleted ? html`<p class="badge badge-danger">deleted</p>` : null}
    </li>
  `;
}
