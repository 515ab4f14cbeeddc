import { html } from 'htm/preact';
import { formatDuration, formatJson } from '../format.js';
import { resultData, resultText } from '../ocs-entities.js';
import type { ToolCallStatus, ToolCallView } from '../state.js';

const STATUS_TEXT: Record<ToolCallStatus, string> = {
  running: 'running',
  ok: 'done',
  error: 'failed',
  awaiting_approval: 'awaiting approval',
  approved: 'approved',
  rejected: 'rejected',
};

/**
 * One tool call as an expandable card: the summary line says what ran and how it went; the body
 * holds the exact arguments and result, for the agent who has to explain or report it.
 */
export function ToolCallCard({ call }: { call: ToolCallView }) {
  const data = call.result === undefined ? undefined : resultData(call.result);
  const message = call.result === undefined ? '' : resultText(call.result);
  const openByDefault = call.status === 'error' || call.status === 'awaiting_approval';
  return html`
    <li class="tool-card" data-status=${call.status} data-tool=${call.name}>
      <details open=${openByDefault}>
        <summary>
          <span class="tool-status" data-status=${call.status}>${STATUS_TEXT[call.status]}</span>
          <span class="tool-name mono">${call.name}</span>
          ${call.server ? html`<span class="muted small">on ${call.server}</span>` : null}
          ${call.transactionId ? html`<span class="muted small mono tool-tx" title="Transaction id">tx ${call.transactionId}</span>` : null}
          ${call.durationMs !== undefined ? html`<span class="muted small tool-duration">${formatDuration(call.durationMs)}</span>` : null}
        </summary>
        <div class="tool-body">
          ${
            call.transactionId
              ? html`<p class="small">Transaction id <code class="tool-transaction">${call.transactionId}</code></p>`
              : null
          }
          <h4>Arguments</h4>
          <pre class="json">${formatJson(call.arguments)}</pre>
          ${
            call.status === 'error' && message
              ? html`<h4>Error</h4><pre class="json tool-error">${message}</pre>`
              : null
          }
          ${
            call.result !== undefined && call.status !== 'error'
              ? html`<h4>Result</h4><pre class="json">${formatJson(data ?? message)}</pre>`
              : null
          }
          ${call.status === 'running' ? html`<p class="muted small">Waiting for the tool…</p>` : null}
        </div>
      </details>
    </li>
  `;
}
