import { html } from 'htm/preact';
import { balanceUsage, unitLabel } from '../format.js';
import type { BalanceView } from '../ocs-entities.js';

/**
 * One balance as a bar. The filled part is what is left, like a phone's data gauge; the empty part
 * of the track is what the subscriber has used. `inDeleted`: the subscription already says deleted.
 */
export function BalanceBar({ balance, inDeleted = false }: { balance: BalanceView; inDeleted?: boolean }) {
  const usage = balanceUsage(balance);
  const name = unitLabel(balance.unitType);
  const leftPercent = Math.round((1 - usage.usedFraction) * 100);
  return html`
    <li class=${`balance${balance.deleted ? ' is-deleted' : ''}`} data-unit=${balance.unitType}>
      <div class="balance-head">
        <span class="balance-name">${name}</span>
        <span class="balance-left"><strong>${usage.availableText}</strong> left of ${usage.totalText}</span>
      </div>
      <div
        class="bar"
        role="meter"
        aria-label=${`${name} left`}
        aria-valuemin="0"
        aria-valuemax=${Math.max(usage.total, usage.available)}
        aria-valuenow=${Math.max(0, usage.available)}
        aria-valuetext=${usage.summary}
      >
        <span class="bar-left" style=${`width: ${leftPercent}%`}></span>
      </div>
      <div class="balance-foot">
        <span class="balance-used">${usage.usedText} used</span>
        ${balance.deleted && !inDeleted ? html`<span class="badge badge-danger">deleted</span>` : null}
        <span class="mono" title=${`Balance id ${balance.balanceId}`}>${balance.balanceId}</span>
      </div>
    </li>
  `;
}
