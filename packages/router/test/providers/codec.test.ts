/** Edge cases of the shared OpenAI-compatible codec and of the error helpers, without a server. */
import { describe, expect, it } from 'vitest';
import {
  ChatChunkAssembler,
  fromWireResponse,
  usageFrom,
} from '../../src/providers/openai-compatible/codec.js';
import { toolArgumentsFrom } from '../../src/providers/tool-arguments.js';
import {
  providerErrorFromHttp,
  providerErrorFromInBand,
  readErrorBody,
  redactSecrets,
  retryAfterMsFrom,
} from '../../src/providers/upstream-errors.js';

describe('ChatChunkAssembler', () => {
  it('keeps interleaved parallel tool-call fragments apart by index (#1)', () => {
    const a = new ChatChunkAssembler('m');
    const frag = (index: number, extra: object) => ({
      choices: [{ delta: { tool_calls: [{ index, ...extra }] } }],
    });
    a.push(frag(0, { id: 'c0', function: { name: 'f', arguments: '{"x":' } }));
    a.push(frag(1, { id: 'c1', function: { name: 'g', arguments: '{"y":' } }));
    a.push(frag(0, { function: { arguments: '1}' } }));
    a.push(frag(1, { function: { arguments: '2}' } }));
    const events = a.push({ choices: [{ delta: {}, finish_reason: 'tool_calls' }] });
    expect(events).toEqual([
      { type: 'tool_call', call: { id: 'c0', name: 'f', arguments: { x: 1 } } },
      { type: 'tool_call', call: { id: 'c1', name: 'g', arguments: { y: 2 } } },
    ]);
    expect(a.finish().result.finishReason).toBe('tool_calls');
  });

  it('a stream without finish_reason still flushes tool calls, generating missing ids', () => {
    const a = new ChatChunkAssembler('m');
    a.push({
      choices: [{ delta: { tool_calls: [{ index: 0, function: { name: 'f', arguments: { k: 1 } } }] } }],
    });
    const { events, result } = a.finish();
    expect(events).toHaveLength(1);
    expect(result.toolCalls[0]!.id).toMatch(/^call_/);
    expect(result.toolCalls[0]!.arguments).toEqual({ k: 1 });
    expect(result.usage).toBeNull();
  });

  it('maps finish reasons', () => {
    for (const [wire, mapped] of [
      ['length', 'length'],
      ['content_filter', 'content_filter'],
      ['function_call', 'tool_calls'],
      ['stop', 'stop'],
    ] as const) {
      const a = new ChatChunkAssembler('m');
      a.push({ choices: [{ delta: { content: 'x' }, finish_reason: wire }] });
      expect(a.finish().result.finishReason).toBe(mapped);
    }
  });
});

describe('wire helpers', () => {
  it('invalid tool arguments are kept raw as { _raw } rather than dropped', () => {
    expect(toolArgumentsFrom('{"a":')).toEqual({ _raw: '{"a":' });
    expect(toolArgumentsFrom('[1,2]')).toEqual({ _raw: '[1,2]' });
    expect(toolArgumentsFrom('')).toEqual({});
    expect(toolArgumentsFrom(null)).toEqual({});
    expect(toolArgumentsFrom(42)).toEqual({ _raw: '42' });
  });

  it('usage: null when absent, never NaN; total computed when missing', () => {
    expect(usageFrom(null)).toBeNull();
    expect(usageFrom({})).toBeNull();
    expect(usageFrom({ prompt_tokens: 3, completion_tokens: 4 })).toEqual({
      inputTokens: 3,
      outputTokens: 4,
      totalTokens: 7,
    });
    expect(fromWireResponse({}, 'm')).toMatchObject({
      model: 'm',
      content: '',
      usage: null,
      finishReason: 'stop',
    });
  });

  it('retry-after forms: ms headers first, then seconds, then HTTP date; garbage ignored', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(retryAfterMsFrom({ 'retry-after-ms': '250.5' }, now)).toBe(251);
    expect(retryAfterMsFrom({ 'x-ms-retry-after-ms': ['900'] }, now)).toBe(900);
    expect(retryAfterMsFrom({ 'retry-after': '2' }, now)).toBe(2000);
    expect(retryAfterMsFrom({ 'retry-after': 'Thu, 01 Jan 2026 00:00:05 GMT' }, now)).toBe(5000);
    expect(retryAfterMsFrom({ 'retry-after': 'Wed, 31 Dec 2025 00:00:05 GMT' }, now)).toBe(0);
    expect(retryAfterMsFrom({ 'retry-after': 'soon' }, now)).toBeUndefined();
    expect(retryAfterMsFrom({ 'retry-after-ms': 'x' }, now)).toBeUndefined();
    expect(retryAfterMsFrom({}, now)).toBeUndefined();
  });

  it('reads every provider error body shape', () => {
    expect(readErrorBody('plain text')).toEqual({ message: 'plain text' });
    expect(readErrorBody('')).toEqual({});
    expect(readErrorBody(null)).toEqual({});
    expect(readErrorBody({ message: 'top' })).toEqual({ message: 'top' });
    expect(readErrorBody({ other: 1 })).toEqual({});
    expect(readErrorBody({ error: 'ollama says' })).toEqual({ message: 'ollama says' });
    expect(readErrorBody({ error: { code: 'DeploymentNotFound', message: 'm' } })).toEqual({
      type: 'DeploymentNotFound',
      message: 'm',
    });
    expect(readErrorBody({ error: { code: 402, message: 'credits' } })).toEqual({
      numericCode: 402,
      type: '402',
      message: 'credits',
    });
  });

  it('in-band errors by Anthropic type', () => {
    const kinds = [
      'rate_limit_error',
      'authentication_error',
      'invalid_request_error',
      'api_error',
      'something_new',
    ].map((type) =>
      providerErrorFromInBand('anthropic', { type: 'error', error: { type, message: 'm' } }, []),
    );
    expect(kinds.map((e) => [e.kind, e.retryable])).toEqual([
      ['rate_limit', true],
      ['auth', false],
      ['bad_request', false],
      ['upstream', true],
      ['upstream', true],
    ]);
    expect(providerErrorFromInBand('ollama', {}, []).message).toContain('error inside the response stream');
  });

  it('x-should-retry overrides the status rule both ways', () => {
    const error = (status: number, headers: Record<string, string>) =>
      providerErrorFromHttp({ provider: 'openai', status, headers, body: {}, secrets: [] });
    expect(error(500, { 'x-should-retry': 'false' }).retryable).toBe(false);
    expect(error(400, { 'x-should-retry': 'true' }).retryable).toBe(true);
    expect(error(500, {}).message).toBe('openai 500: HTTP 500');
  });

  it('redacts configured secrets and key-shaped strings', () => {
    expect(redactSecrets('key abcd1234 and sk-proj-ABCDEFGH123', ['abcd1234', undefined, ''])).toBe(
      'key [redacted] and sk-***',
    );
  });
});
