import {
  type ChatRequest,
  type ChatResult,
  type FinishReason,
  type ProviderAdapter,
  ProviderError,
  type ProviderName,
  type StreamEvent,
  type ToolCall,
  type Usage,
} from '../../src/providers/types.js';

/** One scripted model turn for the in-test adapter. */
export interface ScriptedTurn {
  chunks?: string[];
  toolCalls?: ToolCall[];
  finishReason?: FinishReason;
  usage?: Usage | null;
  /** Thrown before anything is produced. */
  error?: ProviderError;
  /** Thrown mid-stream after the chunks. */
  streamError?: ProviderError;
  /** Stream the chunks, then wait until aborted. */
  hang?: boolean;
}

/**
 * A ProviderAdapter with scripted answers, used to test the HTTP layer without a wire format. It
 * honours ChatRequest.signal the way the real adapters do and counts aborts.
 */
export class ScriptedAdapter implements ProviderAdapter {
  readonly requests: ChatRequest[] = [];
  aborted = 0;
  closed = 0;
  next: ScriptedTurn = {};
  readonly baseUrl: string;

  constructor(
    readonly name: ProviderName,
    readonly defaultModel: string | undefined = `${name}-default`,
  ) {
    this.baseUrl = `http://127.0.0.1:1/${name}`;
  }

  #result(request: ChatRequest, turn: ScriptedTurn): ChatResult {
    const chunks = turn.chunks ?? ['Hello', ' world'];
    return {
      id: `${this.name}-resp-1`,
      model: request.model,
      content: chunks.join(''),
      toolCalls: turn.toolCalls ?? [],
      finishReason: turn.finishReason ?? (turn.toolCalls?.length ? 'tool_calls' : 'stop'),
      usage: turn.usage === undefined ? { inputTokens: 10, outputTokens: 5, totalTokens: 15 } : turn.usage,
    };
  }

  async chat(request: ChatRequest): Promise<ChatResult> {
    this.requests.push(request);
    const turn = this.next;
    if (turn.error) throw turn.error;
    if (turn.hang) await this.#waitForAbort(request);
    return this.#result(request, turn);
  }

  async *stream(request: ChatRequest): AsyncIterable<StreamEvent> {
    this.requests.push(request);
    const turn = this.next;
    if (turn.error) throw turn.error;
    for (const text of turn.chunks ?? ['Hello', ' world']) {
      await new Promise((resolve) => setImmediate(resolve));
      yield { type: 'text', text };
    }
    if (turn.hang) await this.#waitForAbort(request);
    if (turn.streamError) throw turn.streamError;
    for (const call of turn.toolCalls ?? []) yield { type: 'tool_call', call };
    yield { type: 'done', result: this.#result(request, turn) };
  }

  #waitForAbort(request: ChatRequest): Promise<never> {
    return new Promise((_, reject) => {
      const onAbort = () => {
        this.aborted++;
        reject(new ProviderError(this.name, 'aborted', 'aborted'));
      };
      if (request.signal?.aborted) onAbort();
      else request.signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  async close(): Promise<void> {
    this.closed++;
  }
}
