import { SecretRedactor } from '@ocsai/contract';
import { describe, expect, it } from 'vitest';
import { errorResult, okResult, redactResult } from '../src/tool-kit/invoke-tool.js';
import { wireCallToolResponseJson, wireCallToolResult } from '../src/tool-kit/tool-call-message.js';

const structured = {
  subscriberId: 's-1',
  name: 'Zoë "the" O\'Neil \\ \u2028 <tag>',
  nested: { list: [1, 2.5, null, true], empty: {} },
  transaction_id: 'tx-1',
};

describe('the fast paths serialise a tools/call response byte for byte as JSON.stringify would', () => {
  for (const era of ['legacy', 'modern'] as const)
    for (const id of [7, 'abc-"quoted"'] as const)
      for (const [label, make] of [
        ['an okResult', () => okResult({ ...structured })],
        ['an error result', () => errorResult('Subscriber s-1 not found.')],
        ['a copied result', () => ({ ...okResult({ ...structured }) })],
      ] as const)
        it(`${label}, ${era} era, id ${JSON.stringify(id)}`, () => {
          const result = make();
          expect(wireCallToolResponseJson(result, era, id)).toBe(
            JSON.stringify({ result: wireCallToolResult(result, era), jsonrpc: '2.0', id }),
          );
        });
});

describe('redactResult', () => {
  const secret = 'sk-live-0123456789abcdef';
  const redactor = new SecretRedactor([secret]);

  it('leaves a clean okResult as it is', () => {
    const result = okResult({ a: 'nothing secret' });
    expect(redactResult(redactor, result)).toBe(result);
  });

  it('finds a secret anywhere in the structured content, and in the text', () => {
    const result = okResult({ deep: { list: [`key ${secret}`] }, [secret]: 1 });
    const safe = redactResult(redactor, result);
    expect(JSON.stringify(safe)).not.toContain(secret);
    expect(safe.structuredContent).toEqual({ deep: { list: ['key [redacted]'] }, '[redacted]': 1 });
  });

  it('walks a result it did not make, and one whose secret needs escaping', () => {
    const foreign = { content: [{ type: 'text' as const, text: `x ${secret}` }] };
    expect(JSON.stringify(redactResult(redactor, foreign))).not.toContain(secret);
    const quoted = new SecretRedactor(['pa"ssword-1']);
    const result = okResult({ v: 'pa"ssword-1' });
    expect(redactResult(quoted, result).structuredContent).toEqual({ v: '[redacted]' });
  });

  it('walks an okResult when a secret is one of its own key names', () => {
    const odd = new SecretRedactor(['structuredContent']);
    const result = okResult({ a: 1 });
    expect(redactResult(odd, result)).not.toBe(result);
  });
});
