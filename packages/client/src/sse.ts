/**
 * A server-sent events parser following the WHATWG event-stream rules: lines end in CRLF, LF or CR
 * (a CRLF may be split across chunks), `:` lines are comments, `data` lines accumulate with "\n",
 * a blank line dispatches, and an event left unterminated at end of stream is dropped.
 */

/** One dispatched event. */
export interface SseMessage {
  /** The `event` field, "message" when the server gave none. */
  event: string;
  /** All `data` lines joined with "\n". */
  data: string;
  /** The last `id` seen on the stream, if any. */
  id: string | undefined;
  /** A `retry` field, if this event carried one. */
  retry: number | undefined;
}

export class SseParser {
  private buffer = '';
  /** The previous chunk ended in CR, so a leading LF in the next one belongs to that line ending. */
  private skipLeadingLf = false;
  private eventType = '';
  private dataLines: string[] = [];
  private hasData = false;
  private lastId: string | undefined;
  private retry: number | undefined;

  /** Feeds decoded text; returns the events it completed. */
  push(text: string): SseMessage[] {
    const out: SseMessage[] = [];
    let chunk = text;
    if (this.skipLeadingLf && chunk.length > 0) {
      if (chunk.startsWith('\n')) chunk = chunk.slice(1);
      this.skipLeadingLf = false;
    }
    this.buffer += chunk;
    let start = 0;
    for (let i = 0; i < this.buffer.length; i++) {
      const ch = this.buffer.charCodeAt(i);
      if (ch !== 10 && ch !== 13) continue;
      this.processLine(this.buffer.slice(start, i), out);
      if (ch === 13) {
        if (i + 1 < this.buffer.length) {
          if (this.buffer.charCodeAt(i + 1) === 10) i++;
        } else {
          this.skipLeadingLf = true;
        }
      }
      start = i + 1;
    }
    this.buffer = this.buffer.slice(start);
    return out;
  }

  /** Ends the stream; a pending unterminated event is discarded, as the spec requires. */
  end(): void {
    this.buffer = '';
    this.resetEvent();
  }

  private processLine(line: string, out: SseMessage[]): void {
    if (line === '') {
      if (this.hasData) {
        out.push({
          event: this.eventType || 'message',
          data: this.dataLines.join('\n'),
          id: this.lastId,
          retry: this.retry,
        });
      }
      this.resetEvent();
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'event':
        this.eventType = value;
        break;
      case 'data':
        this.dataLines.push(value);
        this.hasData = true;
        break;
      case 'id':
        if (!value.includes('\0')) this.lastId = value;
        break;
      case 'retry':
        if (/^\d+$/.test(value)) this.retry = Number(value);
        break;
      default:
        break;
    }
  }

  private resetEvent(): void {
    this.eventType = '';
    this.dataLines = [];
    this.hasData = false;
    this.retry = undefined;
  }
}

export interface ReadSseOptions {
  /** Called for every chunk received, comments and keep-alives included (idle timers hook in here). */
  onChunk?: () => void;
}

/**
 * Reads an event stream body to its end, yielding events as they complete. Decoding is streaming,
 * so a multi-byte character split between chunks survives. Returning early cancels the reader.
 */
export async function* readSseStream(
  body: ReadableStream<Uint8Array>,
  options: ReadSseOptions = {},
): AsyncGenerator<SseMessage> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const parser = new SseParser();
  let finished = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      options.onChunk?.();
      yield* parser.push(decoder.decode(value, { stream: true }));
    }
    yield* parser.push(decoder.decode());
    parser.end();
    finished = true;
  } finally {
    if (!finished) await reader.cancel().catch(() => {});
    reader.releaseLock();
  }
}
