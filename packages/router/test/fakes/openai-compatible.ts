/**
 * Fake chat-completions servers: OpenAI, Azure (classic and v1 URLs), OpenRouter and LM Studio,
 * each with the quirks its real counterpart shows on the wire.
 */
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

type Flavor = 'openai' | 'azure' | 'openrouter' | 'lmstudio';

const STATUS_TYPES: Record<number, [string, string | null]> = {
  400: ['invalid_request_error', null],
  401: ['invalid_request_error', 'invalid_api_key'],
  403: ['permission_error', null],
  404: ['invalid_request_error', 'model_not_found'],
  429: ['requests', 'rate_limit_exceeded'],
  500: ['server_error', null],
  503: ['server_error', null],
};

function wireUsage(turn: FakeTurn) {
  const usage = turn.usage ?? DEFAULT_USAGE;
  return {
    prompt_tokens: usage.input,
    completion_tokens: usage.output,
    total_tokens: usage.input + usage.output,
    prompt_tokens_details: { cached_tokens: usage.cachedInput ?? 0, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0 },
  };
}

/**
 * OpenAI's `logprobs` for a text, one entry per word-ish token, with `top_logprobs` alternatives
 * when asked (the real API returns them only when `logprobs: true`).
 */
function logprobsOf(text: string, request: CapturedRequest) {
  const top = typeof request.body?.top_logprobs === 'number' ? request.body.top_logprobs : 0;
  const tokens = text.match(/\S+\s*|\s+/g) ?? [];
  return {
    content: tokens.map((token, index) => {
      const entry = { token, logprob: -0.01 * (index + 1), bytes: [...Buffer.from(token)] };
      return {
        ...entry,
        top_logprobs: Array.from({ length: top }, (_, rank) => ({ ...entry, logprob: entry.logprob - rank })),
      };
    }),
    refusal: null,
  };
}

function toolCallIds(turn: FakeTurn): string[] {
  return (turn.toolCalls ?? []).map((call) => call.id ?? fakeId('call_'));
}

function dialectFor(flavor: Flavor): FakeDialect {
  const modelOf = (request: CapturedRequest) =>
    typeof request.body?.model === 'string'
      ? request.body.model
      : flavor === 'azure'
        ? 'gpt-4o-2024-11-20'
        : 'gpt-fake';
  const requestIdHeader = (): Record<string, string> =>
    flavor === 'azure'
      ? { 'apim-request-id': crypto.randomUUID(), 'x-ms-region': 'Sweden Central' }
      : { 'x-request-id': `req_${crypto.randomUUID().replaceAll('-', '')}` };

  return {
    isChatRoute: (method, path) =>
      method === 'POST' &&
      (flavor === 'azure'
        ? /^\/openai\/deployments\/[^/]+\/chat\/completions$/.test(path) ||
          path === '/openai/v1/chat/completions'
        : path.endsWith('/chat/completions')),
    extraRoute: (method, path) =>
      method === 'GET' && path.endsWith('/models')
        ? {
            status: 200,
            body: {
              object: 'list',
              data: ['gpt-fake', 'gpt-fake-mini'].map((id) => ({
                id,
                object: 'model',
                created: 1,
                owned_by: flavor,
              })),
            },
          }
        : undefined,
    isStream: (request) => request.body?.stream === true,
    errorHeaders: (status): Record<string, string> => {
      if (status !== 429) return {};
      if (flavor === 'azure') return { 'x-ms-retry-after-ms': '1000', 'retry-after': '1' };
      if (flavor === 'openai') {
        return {
          'retry-after-ms': '1200',
          'retry-after': '2',
          'x-ratelimit-limit-requests': '500',
          'x-ratelimit-remaining-requests': '0',
          'x-ratelimit-reset-requests': '1.2s',
        };
      }
      return flavor === 'openrouter' ? { 'retry-after': '1' } : {};
    },
    jsonHeaders: () => ({ 'content-type': 'application/json', ...requestIdHeader() }),
    streamHeaders: () => ({
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      ...requestIdHeader(),
    }),
    errorBody: (status) => {
      if (flavor === 'openrouter')
        return { error: { code: status, message: `Fake OpenRouter error ${status}` } };
      if (flavor === 'azure' && status === 404) {
        return {
          error: {
            code: 'DeploymentNotFound',
            message:
              'The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again.',
          },
        };
      }
      const [type, code] = STATUS_TYPES[status] ?? ['server_error', null];
      return { error: { message: `Fake ${flavor} error ${status}`, type, param: null, code } };
    },
    jsonBody: (turn, request) => {
      const ids = toolCallIds(turn);
      const toolCalls = (turn.toolCalls ?? []).map((call, i) => ({
        id: ids[i],
        type: 'function',
        function: { name: call.name, arguments: JSON.stringify(call.arguments) },
      }));
      return {
        id: `chatcmpl-${fakeId('')}`,
        object: 'chat.completion',
        created: Math.floor(Date.now() / 1000),
        model: modelOf(request),
        // n choices, as the real API gives them: the scripted answer, once per choice.
        choices: Array.from(
          { length: typeof request.body?.n === 'number' ? request.body.n : 1 },
          (_, index) => ({
            index,
            message: {
              role: 'assistant',
              content: answerText(turn) ?? (toolCalls.length ? null : ''),
              refusal: null,
              ...(toolCalls.length && { tool_calls: toolCalls }),
              annotations: [],
            },
            logprobs: request.body?.logprobs === true ? logprobsOf(answerText(turn) ?? '', request) : null,
            finish_reason: finishReasonOf(turn),
          }),
        ),
        usage: wireUsage(turn),
        system_fingerprint: 'fp_fake',
      };
    },
    streamFrames: (turn, request) => {
      const id = `chatcmpl-${fakeId('')}`;
      const created = Math.floor(Date.now() / 1000);
      const model = modelOf(request);
      // LM Studio ignores stream_options; OpenRouter always reports usage at the end.
      const includeUsage =
        flavor === 'openrouter' ||
        (flavor !== 'lmstudio' && request.body?.stream_options?.include_usage === true);
      const chunk = (choices: unknown[], usage: unknown = null) =>
        `data: ${JSON.stringify({
          id,
          object: 'chat.completion.chunk',
          created,
          model,
          system_fingerprint: 'fp_fake',
          choices,
          ...(includeUsage && { usage }),
        })}\n\n`;
      const choice = (delta: unknown, finish: string | null = null) => ({
        index: 0,
        delta,
        logprobs: null,
        finish_reason: finish,
      });
      const frames: string[] = [];
      if (flavor === 'openrouter') frames.push(': OPENROUTER PROCESSING\n\n');
      if (flavor === 'azure') {
        // Azure's first chunk carries prompt filter results and no choices at all.
        frames.push(
          `data: ${JSON.stringify({
            choices: [],
            created: 0,
            id: '',
            model: '',
            object: '',
            prompt_filter_results: [{ prompt_index: 0, content_filter_results: {} }],
          })}\n\n`,
        );
      }
      frames.push(chunk([choice({ role: 'assistant', content: '', refusal: null })]));
      if (flavor === 'openrouter') frames.push(': OPENROUTER PROCESSING\n\n');
      for (const piece of textPieces(answerText(turn) ?? '')) {
        const withLogprobs = request.body?.logprobs === true;
        frames.push(
          chunk([
            { ...choice({ content: piece }), logprobs: withLogprobs ? logprobsOf(piece, request) : null },
          ]),
        );
      }
      const ids = toolCallIds(turn);
      (turn.toolCalls ?? []).forEach((call, index) => {
        frames.push(
          chunk([
            choice({
              tool_calls: [
                { index, id: ids[index], type: 'function', function: { name: call.name, arguments: '' } },
              ],
            }),
          ]),
        );
        for (const fragment of jsonFragments(JSON.stringify(call.arguments))) {
          frames.push(chunk([choice({ tool_calls: [{ index, function: { arguments: fragment } }] })]));
        }
      });
      frames.push(chunk([choice({}, finishReasonOf(turn))]));
      if (includeUsage) frames.push(chunk([], wireUsage(turn)));
      frames.push('data: [DONE]\n\n');
      return frames;
    },
    streamErrorFrame: (body) => `data: ${JSON.stringify(body)}\n\n`,
  };
}

export function startFakeOpenAI(script?: FakeScript): Promise<FakeServer> {
  return startFakeServer(dialectFor('openai'), '/v1', script);
}

/** Serves both the classic deployment URL and the v1 URL; the URL is the resource endpoint. */
export function startFakeAzure(script?: FakeScript): Promise<FakeServer> {
  return startFakeServer(dialectFor('azure'), '', script);
}

export function startFakeOpenRouter(script?: FakeScript): Promise<FakeServer> {
  return startFakeServer(dialectFor('openrouter'), '/api/v1', script);
}

export function startFakeLmStudio(script?: FakeScript): Promise<FakeServer> {
  return startFakeServer(dialectFor('lmstudio'), '/v1', script);
}
