import type { Confirmation } from '@ocsai/client';
import { html } from 'htm/preact';
import { useEffect, useRef } from 'preact/hooks';
import { formatJson } from '../format.js';
import { useModalDialog } from './modal-dialog.js';

interface Props {
  confirmation: Confirmation | null;
  /** The agent answered. */
  onAnswer: (confirmation: Confirmation, approve: boolean) => void;
  /** Escape: decide later (the banner in the chat reopens the dialog). */
  onDismiss: () => void;
  open: boolean;
}

function argumentValue(value: unknown): string {
  return typeof value === 'string' ? value : formatJson(value);
}

/**
 * Asks the agent before the router runs a destructive tool. It shows exactly what will run (tool and
 * every argument), and focus starts on Reject so a stray Enter never deletes anything.
 */
export function ConfirmationDialog({ confirmation, onAnswer, onDismiss, open }: Props) {
  const ref = useModalDialog(open && confirmation !== null);
  const rejectRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (open && confirmation) rejectRef.current?.focus();
  }, [open, confirmation]);
  const entries = confirmation ? Object.entries(confirmation.arguments ?? {}) : [];
  const expires = confirmation ? new Date(confirmation.expires_at) : null;
  return html`
    <dialog
      ref=${ref}
      class="dialog confirm-dialog"
      aria-labelledby="confirm-title"
      aria-describedby="confirm-message"
      onCancel=${(event: Event) => {
        event.preventDefault();
        onDismiss();
      }}
    >
      ${
        confirmation
          ? html`
            <h2 id="confirm-title">Approve this action?</h2>
            <p id="confirm-message">${confirmation.message}</p>
            <p>The assistant wants to run <code class="confirm-tool">${confirmation.tool}</code> with:</p>
            <table class="confirm-arguments">
              <caption class="visually-hidden">Arguments of ${confirmation.tool}</caption>
              <tbody>
                ${entries.length === 0 ? html`<tr><td colspan="2" class="muted">no arguments</td></tr>` : null}
                ${entries.map(
                  ([key, value]) =>
                    html`<tr><th scope="row" class="mono">${key}</th><td class="mono">${argumentValue(value)}</td></tr>`,
                )}
              </tbody>
            </table>
            ${
              expires && !Number.isNaN(expires.getTime())
                ? html`<p class="muted small">Expires at ${expires.toLocaleTimeString()}</p>`
                : null
            }
            <div class="dialog-actions">
              <button type="button" ref=${rejectRef} class="button" onClick=${() => onAnswer(confirmation, false)}>
                Reject
              </button>
              <button type="button" class="button button-danger" onClick=${() => onAnswer(confirmation, true)}>
                Approve
              </button>
            </div>
          `
          : null
      }
    </dialog>
  `;
}
