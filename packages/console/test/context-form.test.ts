import { describe, expect, it } from 'vitest';
import { EMPTY_CONTEXT_FORM, envelopeFromForm, formFromEnvelope } from '../src/context-form.js';

describe('context form', () => {
  it('starts empty when nothing is stored', () => {
    expect(formFromEnvelope(null)).toEqual(EMPTY_CONTEXT_FORM);
  });

  it('round-trips identity and memory, one fact per line', () => {
    const form = formFromEnvelope({
      identity: { user_id: 'agent-1', name: 'Ada', role: 'care agent', locale: 'en-GB', tenant: 'acme' },
      memory: { summary: 'Handles prepaid.', facts: ['prefers email', 'VIP'] },
    });
    expect(form).toEqual({
      name: 'Ada',
      role: 'care agent',
      locale: 'en-GB',
      tenant: 'acme',
      summary: 'Handles prepaid.',
      facts: 'prefers email\nVIP',
    });
    expect(envelopeFromForm(form, null, 'agent-1')).toEqual({
      identity: { user_id: 'agent-1', name: 'Ada', role: 'care agent', locale: 'en-GB', tenant: 'acme' },
      memory: { summary: 'Handles prepaid.', facts: ['prefers email', 'VIP'] },
    });
  });

  it('leaves empty fields out (the router rejects empty strings) and trims', () => {
    const envelope = envelopeFromForm(
      { ...EMPTY_CONTEXT_FORM, name: '  Bo ', facts: '\n  one \n\n' },
      null,
      'agent-2',
    );
    expect(envelope).toEqual({ identity: { user_id: 'agent-2', name: 'Bo' }, memory: { facts: ['one'] } });
  });

  it('keeps remembered messages, tool policy and documents it does not edit', () => {
    const loaded = {
      memory: { summary: 'old', messages: [{ role: 'user' as const, content: 'hi' }] },
      tools: { deny: ['delete_subscriber'] },
      docs: [{ id: 'd1', title: 'Policy', content: 'Be nice.' }],
    };
    expect(envelopeFromForm(EMPTY_CONTEXT_FORM, loaded, 'agent-1')).toEqual({
      identity: { user_id: 'agent-1' },
      memory: { messages: [{ role: 'user', content: 'hi' }] },
      tools: { deny: ['delete_subscriber'] },
      docs: [{ id: 'd1', title: 'Policy', content: 'Be nice.' }],
    });
  });
});
