import type { ContextEnvelope } from '@ocsai/client';
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import {
  type ContextFormValues,
  EMPTY_CONTEXT_FORM,
  envelopeFromForm,
  formFromEnvelope,
} from '../context-form.js';

interface Props {
  userId: string;
  /** Loads the stored envelope; null when the router stores none for this user. */
  load: () => Promise<ContextEnvelope | null>;
  save: (envelope: ContextEnvelope) => Promise<ContextEnvelope>;
  /** Bumped after each answer, because the router appends the turn to the stored memory. */
  refreshKey: number;
}

type Status = { kind: 'idle' | 'loading' | 'saving' | 'saved' } | { kind: 'error'; message: string };

const FIELDS: { key: keyof ContextFormValues; label: string; hint?: string; autocomplete?: string }[] = [
  { key: 'name', label: 'Name', autocomplete: 'name' },
  { key: 'role', label: 'Role', hint: 'e.g. care agent' },
  { key: 'locale', label: 'Locale', hint: 'BCP 47, e.g. en-GB' },
  { key: 'tenant', label: 'Tenant' },
];

/** The user's stored context (identity and memory), viewable and editable. */
export function ContextPanel({ userId, load, save, refreshKey }: Props) {
  const [loaded, setLoaded] = useState<ContextEnvelope | null>(null);
  const [form, setForm] = useState<ContextFormValues>(EMPTY_CONTEXT_FORM);
  const [dirty, setDirty] = useState(false);
  const [status, setStatus] = useState<Status>({ kind: 'idle' });

  const reload = async (keepEdits: boolean) => {
    setStatus({ kind: 'loading' });
    try {
      const envelope = await load();
      setLoaded(envelope);
      if (!keepEdits) {
        setForm(formFromEnvelope(envelope));
        setDirty(false);
      }
      setStatus({ kind: 'idle' });
    } catch (error) {
      setStatus({ kind: 'error', message: error instanceof Error ? error.message : String(error) });
    }
  };

  // A new user id starts from what is stored for that user.
  useEffect(() => {
    void reload(false);
  }, [userId]);
  // After each answer only the remembered messages change; unsaved edits stay.
  useEffect(() => {
    if (refreshKey > 0) void reload(dirty);
  }, [refreshKey]);

  const onSubmit = async (event: Event) => {
    event.preventDefault();
    setStatus({ kind: 'saving' });
    try {
      const stored = await save(envelopeFromForm(form, loaded, userId));
      setLoaded(stored);
      setForm(formFromEnvelope(stored));
      setDirty(false);
      setStatus({ kind: 'saved' });
    } catch (error) {
      setStatus({ kind: 'error', message: error instanceof Error ? error.message : String(error) });
    }
  };

  const update = (key: keyof ContextFormValues) => (event: Event) => {
    setForm({ ...form, [key]: (event.target as HTMLInputElement | HTMLTextAreaElement).value });
    setDirty(true);
    if (status.kind === 'saved') setStatus({ kind: 'idle' });
  };

  const messages = loaded?.memory?.messages ?? [];
  return html`
    <section class="panel context-panel" aria-labelledby="context-heading">
      <h2 id="context-heading">Stored context <span class="muted small mono">${userId}</span></h2>
      <form class="context-form" onSubmit=${onSubmit}>
        <fieldset>
          <legend>Identity</legend>
          ${FIELDS.map(
            (field) => html`
              <div class="field">
                <label for=${`ctx-${field.key}`}>${field.label}</label>
                <input
                  id=${`ctx-${field.key}`}
                  name=${field.key}
                  value=${form[field.key]}
                  autocomplete=${field.autocomplete ?? 'off'}
                  placeholder=${field.hint ?? ''}
                  onInput=${update(field.key)}
                />
              </div>
            `,
          )}
        </fieldset>
        <fieldset>
          <legend>Memory</legend>
          <div class="field">
            <label for="ctx-summary">Summary</label>
            <textarea id="ctx-summary" name="summary" rows="3" value=${form.summary} onInput=${update('summary')}></textarea>
          </div>
          <div class="field">
            <label for="ctx-facts">Facts <span class="muted small">(one per line)</span></label>
            <textarea id="ctx-facts" name="facts" rows="3" value=${form.facts} onInput=${update('facts')}></textarea>
          </div>
          <details class="remembered">
            <summary>Remembered messages (${messages.length})</summary>
            ${
              messages.length === 0
                ? html`<p class="muted small">None yet.</p>`
                : html`<ol class="remembered-list">
                    ${messages.map((m) => html`<li><span class="badge">${m.role}</span> ${m.content}</li>`)}
                  </ol>`
            }
          </details>
        </fieldset>
        <div class="form-actions">
          <button type="submit" class="button button-primary" disabled=${status.kind === 'saving'}>Save context</button>
          <button type="button" class="button" onClick=${() => void reload(false)}>Reload</button>
          <span class="small" role="status">
            ${status.kind === 'saved' ? 'Saved.' : status.kind === 'loading' ? 'Loading…' : status.kind === 'saving' ? 'Saving…' : ''}
          </span>
        </div>
        ${status.kind === 'error' ? html`<p class="error" role="alert">${status.message}</p>` : null}
      </form>
    </section>
  `;
}
