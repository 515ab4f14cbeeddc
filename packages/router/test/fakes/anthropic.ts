/** Fake Anthropic Messages API: `event:` + `data:` SSE frames, ping keep-alives, typed errors. */
import {
  answerText,
  type CapturedRequest,
  DEFAULT_USAGE,
  type FakeDialect,
  type FakeScript,
  type FakeServer,
  type FakeTurn,
  fakeId,
  finishReasonOf,
  jsonFragments,
  startFakeServer,
  textPieces,
} from './script.js';

const STOP_REASONS = {
  stop: 'end_turn',
  length: 'max_tokens',
  tool_calls: 'tool_use',
  content_filter: 'refusal',
};

const ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  529: 'overloaded_error',
};

function usageOf(turn: FakeTurn) {
  const usage = turn.usage ?? DEFAULT_USAGE;
  // Cached reads are reported apart from input_tokens, as the real API does.
  return {
    input_tokens: usage.input - (usage.cachedInput ?? 0),
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: usage.cachedInput ?? 0,
    output_tokens: usage.output,
  };
}

type Block =
  | { type: 'text'; text: string }
  | { type: 'tool_use'; id: string; name: string; input: Record<string, unknown> };

/** The tool a request forces (`tool_choice: {type:"tool", name}`), if it also declares it. */
function forcedTool(request: CapturedRequest): string | undefined {
  const choice = request.body?.tool_choice;
  if (choice?.type !== 'tool') return undefined;
  const declared = (request.body?.tools ?? []).some((tool: { name?: string }) => tool.name === choice.name);
  return declared ? choice.name : undefined;
}

function blocksOf(turn: FakeTurn, request: CapturedRequest): Block[] {
  // A structured answer asked through a forced tool comes back as that tool's call, as Claude does.
  const forced = turn.json !== undefined && turn.text === undefined ? forcedTool(request) : undefined;
  if (forced) {
    return [
      { type: 'tool_use', id: fakeId('toolu_01'), name: forced, input: turn.json as Record<string, unknown> },
    ];
  }
  const text = answerText(turn);
  return [
    ...(text ? [{ type: 'text' as const, text }] : []),
    ...(turn.toolCalls ?? []).map((call) => ({
      type: 'tool_use' as const,
      id: call.id ?? fakeId('toolu_01'),
      name: call.name,
      input: call.arguments,
    })),
  ];
}

/** A forced tool call ends with `tool_use`, whatever the turn's own finish reason. */
const stopReasonOf = (turn: FakeTurn, request: CapturedRequest) =>
  blocksOf(turn, request).some((block) => block.type === 'tool_use')
    ? 'tool_use'
    : STOP_REASONS[finishReasonOf(turn)];

const frame = (event: string, data: unknown) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

const dialect: FakeDialect = {
  isChatRoute: (method, path) => method === 'POST' && path === '/v1/messages',
  // count_tokens answers a fixed count; the request is recorded like any other, for body checks.
  extraRoute: (method, path) =>
    method === 'POST' && path === '/v1/messages/count_tokens'
      ? { status: 200, body: { input_tokens: 42 } }
      : undefined,
  isStream: (request) => request.body?.stream === true,
  errorHeaders: (status): Record<string, string> =>
    status === 429 ? { 'retry-after': '5', 'anthropic-ratelimit-requests-remaining': '0' } : {},
  jsonHeaders: () => ({ 'content-type': 'application/json', 'request-id': fakeId('req_011') }),
  streamHeaders: () => ({
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    'request-id': fakeId('req_011'),
  }),
  errorBody: (status) => ({
    type: 'error',
    error: {
      type: ERROR_TYPES[status] ?? 'api_error',
      message: status === 529 ? 'Overloaded' : `Fake error ${status}`,
    },
    request_id: fakeId('req_011'),
  }),
  jsonBody: (turn, request) => ({
    id: fakeId('msg_01'),
    type: 'message',
    role: 'assistant',
    model: request.body?.model ?? 'claude-fake',
    content: blocksOf(turn, request),
    stop_reason: stopReasonOf(turn, request),
    stop_sequence: null,
    usage: usageOf(turn),
  }),
  streamFrames: (turn, request) => {
    const usage = usageOf(turn);
    const frames = [
      frame('message_start', {
        type: 'message_start',
        message: {
          id: fakeId('msg_01'),
          type: 'message',
          role: 'assistant',
          model: request.body?.model ?? 'claude-fake',
          content: [],
          stop_reason: null,
          stop_sequence: null,
          // The real API reports a small placeholder output count here; message_delta is cumulative.
          usage: { ...usage, output_tokens: 1 },
        },
      }),
      frame('ping', { type: 'ping' }),
    ];
    blocksOf(turn, request).forEach((block, index) => {
      if (block.type === 'text') {
        frames.push(
          frame('content_block_start', {
            type: 'content_block_start',
            index,
            content_block: { type: 'text', text: '' },
          }),
        );
        for (const text of textPieces(block.text)) {
          frames.push(
            frame('content_block_delta', {
              type: 'content_block_delta',
              index,
              delta: { type: 'text_delta', text },
            }),
          );
        }
      } else {
        frames.push(
          frame('content_block_start', {
            type: 'content_block_start',
            index,
            content_block: { type: 'tool_use', id: block.id, name: block.name, input: {} },
          }),
        );
        for (const partial_json of ['', ...jsonFragments(JSON.stringify(block.input))]) {
          frames.push(
            frame('content_block_delta', {
              type: 'content_block_delta',
              index,
              delta: { type: 'input_json_delta', partial_json },
            }),
          );
        }
      }
      frames.push(frame('content_block_stop', { type: 'content_block_stop', index }));
    });
    frames.push(
      frame('message_delta', {
        type: 'message_delta',
        delta: { stop_reason: stopReasonOf(turn, request), stop_sequence: null },
        usage: { output_tokens: usage.output_tokens },
      }),
      frame('message_stop', { type: 'message_stop' }),
    );
    return frames;
  },
  streamErrorFrame: (body) => frame('error', body),
};

export function startFakeAnthropic(script?: FakeScript): Promise<FakeServer> {
  return startFakeServer(dialect, '', script);
}
