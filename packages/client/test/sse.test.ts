import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readSseStream, type SseMessage, SseParser } from '../src/index.js';

function parseAll(chunks: string[]): SseMessage[] {
  const parser = new SseParser();
  const out = chunks.flatMap((chunk) => parser.push(chunk));
  parser.end();
  return out;
}

function streamOf(chunks: Uint8Array[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });
}

/** Cuts `items` at the given (sorted, deduplicated) positions. */
function cut<T extends string | Uint8Array>(items: T, positions: number[]): T[] {
  const points = [...new Set(positions.map((p) => p % (items.length + 1)))].sort((a, b) => a - b);
  const out: T[] = [];
  let start = 0;
  for (const point of [...points, items.length]) {
    out.push(items.slice(start, point) as T);
    start = point;
  }
  return out;
}

describe('SseParser', () => {
  it('parses events, defaults the name to "message", and joins multi-line data', () => {
    expect(parseAll(['event: delta\ndata: {"text":"a"}\n\ndata: line one\ndata: line two\n\n'])).toEqual([
      { event: 'delta', data: '{"text":"a"}', id: undefined, retry: undefined },
      { event: 'message', data: 'line one\nline two', id: undefined, retry: undefined },
    ]);
  });

  it('accepts CRLF, CR and LF line endings, even mixed', () => {
    const events = parseAll(['event: a\r\ndata: 1\r\n\r\nevent: b\rdata: 2\r\revent: c\ndata: 3\n\n']);
    expect(events.map((e) => [e.event, e.data])).toEqual([
      ['a', '1'],
      ['b', '2'],
      ['c', '3'],
    ]);
  });

  it('does not read a CRLF split across chunks as two line endings', () => {
    expect(parseAll(['data: x\r', '\n', 'data: y\r', '', '\n\r', '\n'])).toEqual([
      { event: 'message', data: 'x\ny', id: undefined, retry: undefined },
    ]);
  });

  it('ignores comments, unknown fields and blank-line runs; keeps ids and retry', () => {
    const events = parseAll([': keep-alive\n\n\nfoo: bar\nid: 7\nretry: 3000\nretry: soon\ndata\n\n']);
    expect(events).toEqual([{ event: 'message', data: '', id: '7', retry: 3000 }]);
  });

  it('strips exactly one space after the colon', () => {
    expect(parseAll(['data:  two spaces\ndata:none\n\n'])[0]?.data).toBe(' two spaces\nnone');
  });

  it('drops an event that the stream ends before terminating', () => {
    expect(parseAll(['data: complete\n\ndata: partial\n'])).toHaveLength(1);
  });

  it('yields the same events however the text is split (property)', () => {
    const line = fc.constantFrom('\n', '\r\n', '\r');
    const text = fc.string({ unit: fc.constantFrom('a', 'é', '😀', ':', ' ', 'x') });
    const event = fc
      .tuple(
        fc.constantFrom('delta', 'tool_call', 'done'),
        fc.array(text, { minLength: 1, maxLength: 3 }),
        line,
      )
      .map(([name, data, eol]) => ({
        name,
        data,
        wire: `event: ${name}${eol}${data.map((d) => `data: ${d}${eol}`).join('')}: comment${eol}${eol}`,
      }));
    fc.assert(
      fc.property(
        fc.array(event, { maxLength: 6 }),
        fc.array(fc.nat(), { maxLength: 20 }),
        (events, positions) => {
          const wire = events.map((e) => e.wire).join('');
          const parsed = parseAll(cut(wire, positions));
          expect(parsed.map((e) => [e.event, e.data])).toEqual(
            events.map((e) => [e.name, e.data.join('\n')]),
          );
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('readSseStream', () => {
  it('decodes UTF-8 split inside a character at any byte (property)', async () => {
    const wire = new TextEncoder().encode('event: delta\r\ndata: {"text":"héllo 😀 wörld"}\r\n\r\n');
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat(), { maxLength: 12 }), async (positions) => {
        const events: SseMessage[] = [];
        for await (const event of readSseStream(streamOf(cut(wire, positions)))) events.push(event);
        expect(events.map((e) => JSON.parse(e.data).text)).toEqual(['héllo 😀 wörld']);
      }),
      { numRuns: 200 },
    );
  });

  it('cancels the underlying stream when the consumer stops early', async () => {
    let cancelled = false;
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('data: 1\n\ndata: 2\n\n'));
      },
      cancel() {
        cancelled = true;
      },
    });
    for await (const event of readSseStream(body)) {
      expect(event.data).toBe('1');
      break;
    }
    expect(cancelled).toBe(true);
  });
});
