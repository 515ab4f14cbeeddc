/** Fake Ollama native API: NDJSON streams (on unless `stream: false`), object tool arguments, no ids. */
import {
  answerText,
  DEFAULT_USAGE,
  type FakeDialect,
  type FakeScript,
  type FakeServer,
  type FakeTurn,
  finishReasonOf,
  startFakeServer,
  textPieces,
} from './script.js';

const createdAt = () => new Date().toISOString();

/** Ids only when the script gives them: Ollama before v0.12.10 returns none. */
function toolCallsOf(turn: FakeTurn) {
  return (turn.toolCalls ?? []).map((call, index) => ({
    ...(call.id !== undefined && { id: call.id }),
    function: { index, name: call.name, arguments: call.arguments },
  }));
}

function finalFields(turn: FakeTurn) {
  const usage = turn.usage ?? DEFAULT_USAGE;
  return {
    done: true,
    done_reason: finishReasonOf(turn) === 'length' ? 'length' : 'stop',
    total_duration: 512_000_000,
    load_duration: 12_000_000,
    prompt_eval_count: usage.input,
    prompt_eval_duration: 90_000_000,
    eval_count: usage.output,
    eval_duration: 400_000_000,
  };
}

const line = (value: unknown) => `${JSON.stringify(value)}\n`;

const dialect: FakeDialect = {
  isChatRoute: (method, path) => method === 'POST' && path === '/api/chat',
  extraRoute: (method, path) =>
    method === 'GET' && path === '/api/tags'
      ? {
          status: 200,
          body: {
            models: ['llama3.2:latest', 'qwen3:8b'].map((name) => ({
              name,
              model: name,
              modified_at: '2025-01-01T00:00:00Z',
              size: 2_019_393_189,
              digest: 'a80c4f17acd5',
              details: {
                format: 'gguf',
                family: 'llama',
                parameter_size: '3.2B',
                quantization_level: 'Q4_K_M',
              },
            })),
          },
        }
      : undefined,
  isStream: (request) => request.body?.stream !== false,
  jsonHeaders: () => ({ 'content-type': 'application/json; charset=utf-8' }),
  streamHeaders: () => ({ 'content-type': 'application/x-ndjson' }),
  errorBody: (status) => ({
    error: status === 404 ? 'model "missing" not found, try pulling it first' : `fake error ${status}`,
  }),
  jsonBody: (turn, request) => {
    const toolCalls = toolCallsOf(turn);
    return {
      model: request.body?.model ?? 'llama3.2',
      created_at: createdAt(),
      message: {
        role: 'assistant',
        content: answerText(turn) ?? '',
        ...(toolCalls.length && { tool_calls: toolCalls }),
      },
      ...finalFields(turn),
    };
  },
  streamFrames: (turn, request) => {
    const model = request.body?.model ?? 'llama3.2';
    const frames = textPieces(answerText(turn) ?? '').map((content) =>
      line({ model, created_at: createdAt(), message: { role: 'assistant', content }, done: false }),
    );
    const toolCalls = toolCallsOf(turn);
    if (toolCalls.length) {
      frames.push(
        line({
          model,
          created_at: createdAt(),
          message: { role: 'assistant', content: '', tool_calls: toolCalls },
          done: false,
        }),
      );
    }
    frames.push(
      line({
        model,
        created_at: createdAt(),
        message: { role: 'assistant', content: '' },
        ...finalFields(turn),
      }),
    );
    return frames;
  },
  streamErrorFrame: (body) => line(body),
  // Lines are written in halves so readers must join partial lines across TCP chunks.
  splitWrites: true,
};

export function startFakeOllama(script?: FakeScript): Promise<FakeServer> {
  return startFakeServer(dialect, '', script);
}
