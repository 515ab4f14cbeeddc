/**
 * The stored-context form and its mapping to the router's envelope. Kept pure so the rules (empty
 * field = absent, one fact per line, untouched parts preserved) are unit-tested.
 */
import type { ContextEnvelope } from '@ocsai/client';

export interface ContextFormValues {
  name: string;
  role: string;
  locale: string;
  tenant: string;
  summary: string;
  /** One fact per line. */
  facts: string;
}

export const EMPTY_CONTEXT_FORM: ContextFormValues = {
  name: '',
  role: '',
  locale: '',
  tenant: '',
  summary: '',
  facts: '',
};

export function formFromEnvelope(envelope: ContextEnvelope | null): ContextFormValues {
  const identity = envelope?.identity ?? {};
  const memory = envelope?.memory ?? {};
  return {
    name: identity.name ?? '',
    role: identity.role ?? '',
    locale: identity.locale ?? '',
    tenant: identity.tenant ?? '',
    summary: memory.summary ?? '',
    facts: (memory.facts ?? []).join('\n'),
  };
}

function optional(value: string): string | undefined {
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

/**
 * The full envelope to store (the save replaces the stored one): identity and memory from the form,
 * remembered messages, tool policy and documents carried over from what was loaded. The router
 * rejects empty strings, so empty fields are left out rather than sent blank.
 */
export function envelopeFromForm(
  form: ContextFormValues,
  loaded: ContextEnvelope | null,
  userId: string,
): ContextEnvelope {
  const identity = Object.fromEntries(
    Object.entries({
      user_id: userId,
      name: optional(form.name),
      role: optional(form.role),
      locale: optional(form.locale),
      tenant: optional(form.tenant),
    }).filter(([, value]) => value !== undefined),
  ) as NonNullable<ContextEnvelope['identity']>;
  const facts = form.facts
    .split('\n')
    .map((fact) => fact.trim())
    .filter((fact) => fact !== '');
  const summary = form.summary.trim();
  const memory: NonNullable<ContextEnvelope['memory']> = {};
  if (summary !== '') memory.summary = summary;
  if (facts.length > 0) memory.facts = facts;
  if (loaded?.memory?.messages?.length) memory.messages = loaded.memory.messages;
  const envelope: ContextEnvelope = { identity };
  if (Object.keys(memory).length > 0) envelope.memory = memory;
  if (loaded?.tools) envelope.tools = loaded.tools;
  if (loaded?.docs) envelope.docs = loaded.docs;
  return envelope;
}
