import { html } from 'htm/preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { useModalDialog } from './modal-dialog.js';

interface Props {
  open: boolean;
  /** The router refused the last key, so say so. */
  rejected: boolean;
  onSubmit: (key: string) => void;
  onCancel: () => void;
}

/** Asks for the router API key when the router answers 401; the key stays in sessionStorage only. */
export function ApiKeyDialog({ open, rejected, onSubmit, onCancel }: Props) {
  const ref = useModalDialog(open);
  const inputRef = useRef<HTMLInputElement>(null);
  const [key, setKey] = useState('');
  useEffect(() => {
    if (open) {
      setKey('');
      inputRef.current?.focus();
    }
  }, [open]);
  return html`
    <dialog
      ref=${ref}
      class="dialog key-dialog"
      aria-labelledby="key-title"
      onCancel=${(event: Event) => {
        event.preventDefault();
        onCancel();
      }}
    >
      <form
        onSubmit=${(event: Event) => {
          event.preventDefault();
          if (key.trim() !== '') onSubmit(key.trim());
        }}
      >
        <h2 id="key-title">Router API key</h2>
        <p>This router requires an API key. It is kept for this browser tab only.</p>
        ${rejected ? html`<p class="error" role="alert">The router did not accept that key.</p>` : null}
        <label for="api-key">API key</label>
        <input
          id="api-key"
          ref=${inputRef}
          type="password"
          autocomplete="off"
          required
          value=${key}
          onInput=${(event: Event) => setKey((event.target as HTMLInputElement).value)}
        />
        <div class="dialog-actions">
          <button type="button" class="button" onClick=${onCancel}>Cancel</button>
          <button type="submit" class="button button-primary">Use key</button>
        </div>
      </form>
    </dialog>
  `;
}
