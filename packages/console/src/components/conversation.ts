import type { Confirmation } from '@ocsai/client';
import { html } from 'htm/preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { formatDuration } from '../format.js';
import type { Turn } from '../state.js';
import { ToolCallCard } from './tool-call-card.js';

function RequestBubble({ turn }: { turn: Turn }) {
  const { request } = turn;
  if (request.kind === 'message') {
    return html`<div class="bubble bubble-user"><span class="visually-hidden">You: </span>${request.text}</div>`;
  }
  return html`<div class=${`bubble bubble-decision ${request.approve ? 'is-approved' : 'is-rejected'}`}>
    You ${request.approve ? 'approved' : 'rejected'} <code>${request.tool}</code>
  </div>`;
}

function TurnView({ turn, isLast }: { turn: Turn; isLast: boolean }) {
  const streaming = turn.status === 'streaming';
  return html`
    <li class="turn" data-status=${turn.status}>
      <${RequestBubble} turn=${turn} />
      ${
        turn.toolCalls.length > 0
          ? html`<ul class="tool-cards" aria-label="Tool calls">
              ${turn.toolCalls.map((call) => html`<${ToolCallCard} key=${call.id} call=${call} />`)}
            </ul>`
          : null
      }
      <div
        class="bubble bubble-assistant"
        aria-live=${isLast ? 'polite' : 'off'}
        aria-busy=${streaming ? 'true' : 'false'}
        hidden=${!turn.answer && !streaming}
      >
        <span class="visually-hidden">Assistant: </span>${turn.answer}
        ${streaming ? html`<span class="typing" aria-hidden="true"></span>` : null}
      </div>
      ${turn.error ? html`<p class="error turn-error" role="alert">${turn.error}</p>` : null}
      ${
        turn.response
          ? html`<p class="turn-meta muted small">
              ${turn.response.provider}/${turn.response.model} · ${formatDuration(turn.response.latency_ms)}
              ${turn.response.usage?.total_tokens != null ? html` · ${turn.response.usage.total_tokens} tokens` : null}
            </p>`
          : null
      }
    </li>
  `;
}

interface Props {
  turns: Turn[];
  busy: boolean;
  pendingConfirmation: Confirmation | null;
  onSend: (text: string) => void;
  onStop: () => void;
  onReview: () => void;
}

export function Conversation({ turns, busy, pendingConfirmation, onSend, onStop, onReview }: Props) {
  const [draft, setDraft] = useState('');
  const endRef = useRef<HTMLDivElement>(null);
  const last = turns.at(-1);
  const progress = `${last?.answer.length ?? 0}:${last?.toolCalls.length ?? 0}:${turns.length}`;
  // Keep the newest output in view while it streams.
  useEffect(() => {
    endRef.current?.scrollIntoView?.({ block: 'end' });
  }, [progress]);

  // One short line per tool step for screen readers; the cards themselves are not live regions.
  const lastCall = last?.toolCalls.at(-1);
  const toolStatus = lastCall ? `${lastCall.name}: ${lastCall.status.replace('_', ' ')}` : '';

  const send = (event: Event) => {
    event.preventDefault();
    const text = draft.trim();
    if (!text || busy || pendingConfirmation) return;
    onSend(text);
    setDraft('');
  };

  return html`
    <section class="conversation" aria-labelledby="conversation-heading">
      <h2 id="conversation-heading" class="visually-hidden">Conversation</h2>
      <p class="visually-hidden" role="status">${toolStatus}</p>
      <div class="turns-scroll">
        ${
          turns.length === 0
            ? html`<p class="empty muted">Ask the assistant to look up, provision or change a subscriber. Every tool call it makes shows up here.</p>`
            : html`<ol class="turns">
                ${turns.map((turn, index) => html`<${TurnView} key=${turn.id} turn=${turn} isLast=${index === turns.length - 1} />`)}
              </ol>`
        }
        <div ref=${endRef}></div>
      </div>
      ${
        pendingConfirmation
          ? html`<div class="pending-banner" role="status">
              <span><strong>${pendingConfirmation.tool}</strong> is waiting for your approval.</span>
              <button type="button" class="button button-primary" onClick=${onReview}>Review</button>
            </div>`
          : null
      }
      <form class="composer" onSubmit=${send}>
        <label for="message" class="visually-hidden">Message to the assistant</label>
        <textarea
          id="message"
          rows="2"
          placeholder="Message the assistant (Enter to send, Shift+Enter for a new line)"
          value=${draft}
          onInput=${(event: Event) => setDraft((event.target as HTMLTextAreaElement).value)}
          onKeyDown=${(event: KeyboardEvent) => {
            if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) send(event);
          }}
        ></textarea>
        ${
          busy
            ? html`<button type="button" class="button" onClick=${onStop}>Stop</button>`
            : html`<button type="submit" class="button button-primary" disabled=${!draft.trim() || pendingConfirmation !== null}>Send</button>`
        }
      </form>
    </section>
  `;
}
