import { describe, expect, it } from 'vitest';
import {
  confirmationFromInputRequired,
  confirmationFromResult,
  descriptionWithoutConfirmationToken,
  ROUTER_CONFIRMS_SENTENCE,
  schemaWithoutConfirmationToken,
  withoutConfirmationToken,
} from '../../src/tool-loop/confirmation-request.js';
import { fenceToolResult, resultText, truncate } from '../../src/tool-loop/untrusted-tool-result.js';

describe('tool results for the model', () => {
  it('turns every content kind into text and prefers text over structured content', () => {
    expect(
      resultText({
        content: [
          { type: 'text', text: 'hello' },
          { type: 'image', data: 'AAAA', mimeType: 'image/png' },
          { type: 'resource_link', uri: 'ocs://subscriber/1', name: 'sub' },
          { type: 'resource', resource: { uri: 'ocs://x', text: 'embedded' } },
        ],
        structuredContent: { ignored: true },
      }),
    ).toBe('hello\n[image content omitted]\n[resource link: ocs://subscriber/1]\nembedded');
    expect(resultText({ content: [], structuredContent: { a: 1 } })).toBe('{"a":1}');
  });

  it('fences with safe attributes and leaves short text alone', () => {
    expect(truncate('abc', 5)).toBe('abc');
    expect(fenceToolResult('id "1"<x>', 'tool/name', 'ok', false, 100)).toBe(
      '<untrusted-tool-result id="id__1__x_" tool="tool_name">\nok\n</untrusted-tool-result>',
    );
  });
});

describe('confirmation requests', () => {
  it('accepts only the stable confirmation shape of non-error results', () => {
    const base = { content: [] };
    expect(
      confirmationFromResult(
        { ...base, isError: true, structuredContent: { confirmation_required: true } },
        't',
      ),
    ).toBeUndefined();
    expect(
      confirmationFromResult({ ...base, structuredContent: { confirmation_required: true } }, 't'),
    ).toBeUndefined();
    expect(confirmationFromResult({ ...base, structuredContent: [1] }, 't')).toBeUndefined();
    expect(
      confirmationFromResult(
        { ...base, structuredContent: { confirmation_required: true, confirmation_token: 'tk' } },
        'drop',
      ),
    ).toEqual({ kind: 'token', message: 'Run drop?', token: 'tk' });
  });

  it('answers only yes/no form elicitations', () => {
    expect(confirmationFromInputRequired({}, undefined, 't')).toEqual({
      unsupported: 't asked for input without saying what',
    });
    expect(
      confirmationFromInputRequired({ a: { method: 'sampling/createMessage', params: {} } }, undefined, 't'),
    ).toEqual({
      unsupported: 't asked for input the router cannot provide (sampling/createMessage)',
    });
    expect(
      confirmationFromInputRequired(
        { a: { method: 'elicitation/create', params: { mode: 'url', url: 'https://x' } } },
        undefined,
        't',
      ),
    ).toMatchObject({ unsupported: expect.stringContaining('cannot provide') });
    expect(
      confirmationFromInputRequired(
        {
          a: {
            method: 'elicitation/create',
            params: { requestedSchema: { type: 'object', properties: { ok: { type: 'boolean' } } } },
          },
        },
        undefined,
        't',
      ),
    ).toEqual({
      kind: 'input_required',
      message: 'Run t?',
      approveResponses: { a: { action: 'accept', content: { ok: true } } },
    });
  });

  it('strips confirmation_token from arguments and schemas', () => {
    const args = { id: 1 };
    expect(withoutConfirmationToken(args)).toBe(args);
    expect(withoutConfirmationToken({ id: 1, confirmation_token: 'x' })).toEqual({ id: 1 });
    const schema = { type: 'object', properties: { id: {} } };
    expect(schemaWithoutConfirmationToken(schema)).toBe(schema);
    expect(
      schemaWithoutConfirmationToken({
        type: 'object',
        properties: { id: {}, confirmation_token: {} },
        required: ['id', 'confirmation_token'],
      }),
    ).toEqual({ type: 'object', properties: { id: {} }, required: ['id'] });
  });

  it('drops the sentences of a tool description that tell a direct MCP client about confirmation_token', () => {
    const plain = 'Look up a subscriber by MSISDN. Returns the subscriber.';
    expect(descriptionWithoutConfirmationToken(plain)).toBe(plain);
    const held =
      "Permanently delete a subscriber. Irreversible: needs the human's confirmation. Otherwise the first call changes nothing and returns {confirmation_required: true, confirmation_token, expires_at}; only if they agree, repeat the identical call with confirmation_token (valid 5 minutes, once).";
    const rewritten = descriptionWithoutConfirmationToken(held);
    expect(rewritten).not.toContain('confirmation_token');
    expect(rewritten).toBe(
      `Permanently delete a subscriber. Irreversible: needs the human's confirmation. ${ROUTER_CONFIRMS_SENTENCE}`,
    );
  });
});
