import { describe, expect, it } from 'vitest';
import { attachConfirmation } from '../src/completion/answer-confirmation.js';
import { RouterError } from '../src/errors.js';
import { ANTHROPIC_ERRORS } from '../src/http/anthropic/anthropic-errors.js';
import { messagesRequestSchema, toChatRequest } from '../src/http/anthropic/messages-request.js';
import { MessageStreamWriter, messageOf } from '../src/http/anthropic/messages-response.js';
import type { ChatResult } from '../src/providers/types.js';
import { ProviderError } from '../src/providers/types.js';
import type { ConfirmationView } from '../src/tool-loop/tool-loop.js';
import { createTestRouter, json, parseSse } from './support/test-router.js';

/** Messages → ChatRequest mapping, the rendering back, and the error dialect, below the SDK. */
const mapped = (body: Record<string, unknown>, provider = 'openai') =>
  toChatRequest(messagesRequestSchema.parse({ model: 'm', max_tokens: 100, ...body }), provider);

const CONFIRMATION: ConfirmationView = {
  id: 'conf_1',
  tool: 'delete_subscriber',
  server: 'ocs',
  arguments: { msisdn: '46700' },
  message: 'Delete subscriber 46700?',
  expires_at: '2026-12-01T15:00:00.000Z',
};

const result = (overrides: Partial<ChatResult> = {}): ChatResult => ({
  model: 'gpt-fake',
  content: 'Shall I delete subscriber 46700?',
  toolCalls: [],
  finishReason: 'stop',
  usage: { inputTokens: 12, outputTokens: 5, totalTokens: 17, cachedInputTokens: 4 },
  ...overrides,
});

describe('Messages request → ChatRequest', () => {
  it('maps what Claude Code sends: system blocks, a mid-conversation system turn, tool results, deferred tools, effort, user', () => {
    const chat = mapped({
      system: [
        { type: 'text', text: 'You are an agent.', cache_control: { type: 'ephemeral' } },
        { type: 'text', text: 'Be careful.' },
      ],
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'run it' }] },
        {
          role: 'system',
          content: [{ type: 'text', text: '# Environment', cache_control: { type: 'ephemeral' } }],
        },
        {
          role: 'assistant',
          content: [
            { type: 'thinking', thinking: 'hmm', signature: 's' },
            { type: 'text', text: 'Running.' },
            { type: 'tool_use', id: 'toolu_1', name: 'Bash', input: { command: 'echo ok' } },
            { type: 'tool_use', id: 'toolu_2', name: 'ToolSearch', input: { query: 'select:Cron' } },
          ],
        },
        {
          role: 'user',
          content: [
            {
              type: 'tool_result',
              tool_use_id: 'toolu_1',
              content: 'ok',
              is_error: false,
              cache_control: { type: 'ephemeral' },
            },
            {
              type: 'tool_result',
              tool_use_id: 'toolu_2',
              content: [
                { type: 'text', text: 'loaded' },
                { type: 'tool_reference', tool_name: 'Cron' },
              ],
              is_error: true,
            },
            { type: 'text', text: 'and now?' },
          ],
        },
      ],
      tools: [
        { name: 'Bash', description: 'Run a command', input_schema: { type: 'object' } },
        { name: 'Cron', description: 'Schedule', input_schema: { type: 'object' }, defer_loading: true },
        {
          name: 'Hidden',
          description: 'Never referenced',
          input_schema: { type: 'object' },
          defer_loading: true,
        },
      ],
      metadata: { user_id: '{"session_id":"s1"}' },
      thinking: { type: 'adaptive', display: 'omitted' },
      output_config: { effort: 'high' },
      context_management: { edits: [{ type: 'clear_thinking_20251015', keep: 'all' }] },
      cache_control: { type: 'ephemeral' },
      stop_sequences: ['END'],
      top_p: 0.9,
      temperature: 0.2,
      tool_choice: { type: 'any', disable_parallel_tool_use: true },
    });
    expect(chat.messages).toEqual([
      { role: 'system', content: 'You are an agent.\n\nBe careful.' },
      { role: 'user', content: 'run it' },
      { role: 'system', content: '# Environment' },
      {
        role: 'assistant',
        content: 'Running.',
        toolCalls: [
          { id: 'toolu_1', name: 'Bash', arguments: { command: 'echo ok' } },
          { id: 'toolu_2', name: 'ToolSearch', arguments: { query: 'select:Cron' } },
        ],
      },
      { role: 'tool', toolCallId: 'toolu_1', name: 'Bash', content: 'ok' },
      { role: 'tool', toolCallId: 'toolu_2', name: 'ToolSearch', content: 'loaded', isError: true },
      { role: 'user', content: 'and now?' },
    ]);
    // The deferred tool a tool_reference loaded is offered; the other deferred one is not.
    expect(chat.tools?.map((tool) => tool.name)).toEqual(['Bash', 'Cron']);
    expect(chat).toMatchObject({
      maxTokens: 100,
      user: '{"session_id":"s1"}',
      reasoningEffort: 'high',
      stop: ['END'],
      topP: 0.9,
      temperature: 0.2,
      toolChoice: 'required',
      parallelToolCalls: false,
    });
  });

  it('maps thinking budgets, output_config.format, named and none tool choices', () => {
    expect(
      mapped({
        thinking: { type: 'enabled', budget_tokens: 2048 },
        messages: [{ role: 'user', content: 'x' }],
      }).reasoningEffort,
    ).toBe('low');
    expect(
      mapped({
        thinking: { type: 'enabled', budget_tokens: 10_000 },
        messages: [{ role: 'user', content: 'x' }],
      }).reasoningEffort,
    ).toBe('medium');
    expect(
      mapped({
        thinking: { type: 'enabled', budget_tokens: 32_000 },
        messages: [{ role: 'user', content: 'x' }],
      }).reasoningEffort,
    ).toBe('high');
    expect(
      mapped({ thinking: { type: 'disabled' }, messages: [{ role: 'user', content: 'x' }] }).reasoningEffort,
    ).toBeUndefined();
    expect(
      mapped({ output_config: { effort: 'max' }, messages: [{ role: 'user', content: 'x' }] })
        .reasoningEffort,
    ).toBe('xhigh');
    const schema = { type: 'object', properties: { a: { type: 'string' } } };
    expect(
      mapped({
        output_config: { format: { type: 'json_schema', schema } },
        messages: [{ role: 'user', content: 'x' }],
      }).responseFormat,
    ).toEqual({ type: 'json_schema', schema });
    expect(
      mapped({ tool_choice: { type: 'tool', name: 'f' }, messages: [{ role: 'user', content: 'x' }] })
        .toolChoice,
    ).toEqual({ name: 'f' });
    expect(
      mapped({ tool_choice: { type: 'none' }, messages: [{ role: 'user', content: 'x' }] }).toolChoice,
    ).toBe('none');
  });

  it.each([
    [{ top_k: 4 }, 'top_k'],
    [{ max_tokens: 0 }, 'max_tokens'],
    [{ service_tier: 'standard_only' }, 'service_tier'],
    [{ output_config: { effort: 'extreme' } }, 'output_config.effort'],
    [{ output_config: { task_budget: 3 } }, 'output_config.task_budget'],
    [{ thinking: { type: 'enabled' } }, 'thinking.budget_tokens'],
    [{ tools: [{ name: 'f', input_schema: {}, strict: true }] }, 'tools.0.strict'],
    [{ tools: [{ name: 'f' }] }, 'tools.0.input_schema'],
    [{ tools: [{ type: 'bash_20250124', name: 'bash' }] }, 'tools.0.type'],
    [{ mcp_servers: [] }, 'mcp_servers'],
    [
      { messages: [{ role: 'user', content: [{ type: 'document', source: {} }] }] },
      'messages.0.content.0.type',
    ],
    [
      {
        messages: [
          {
            role: 'user',
            content: [{ type: 'tool_result', tool_use_id: 't', content: [{ type: 'image', source: {} }] }],
          },
        ],
      },
      'messages.0.content.0.content.0.type',
    ],
    [
      {
        messages: [
          {
            role: 'assistant',
            content: [{ type: 'server_tool_use', id: 'x', name: 'web_search', input: {} }],
          },
        ],
      },
      'messages.0.content.0.type',
    ],
  ])('refuses %j naming %s and the provider', (extra, field) => {
    const body = { messages: [{ role: 'user', content: 'x' }], ...extra };
    const error = (() => {
      try {
        mapped(body, 'ollama');
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(RouterError);
    expect((error as RouterError).status).toBe(400);
    expect((error as RouterError).message).toContain(field);
    expect((error as RouterError).message).toContain('ollama');
  });
});

describe('ChatResult → Anthropic message and events', () => {
  it('renders the confirmation on the message object (tool loop stopped at a held call)', () => {
    const message = messageOf('msg_1', attachConfirmation(result(), CONFIRMATION));
    expect(message).toMatchObject({
      id: 'msg_1',
      type: 'message',
      content: [{ type: 'text', text: 'Shall I delete subscriber 46700?' }],
      stop_reason: 'end_turn',
      usage: { input_tokens: 8, cache_read_input_tokens: 4, output_tokens: 5 },
      confirmation: CONFIRMATION,
    });
    expect(messageOf('msg_2', result())).not.toHaveProperty('confirmation');
  });

  it("writes Anthropic's event sequence with block indices, and the confirmation on the final message_delta", () => {
    const writer = new MessageStreamWriter('msg_1', 'gpt-fake');
    const call = { id: 'call_1', name: 'f', arguments: { a: 1 } };
    const text =
      writer.start() +
      writer.text('Hello ') +
      writer.text('there') +
      writer.toolCall(call) +
      writer.finish(
        attachConfirmation(
          result({
            content: 'Hello there',
            toolCalls: [call, { id: 'call_2', name: 'g', arguments: {} }],
            finishReason: 'tool_calls',
          }),
          CONFIRMATION,
        ),
      );
    const events = parseSse(text) as { event: string; data: Record<string, unknown> }[];
    expect(events.map((e) => e.event)).toEqual([
      'message_start',
      'ping',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'content_block_start',
      'content_block_delta',
      'content_block_stop',
      'content_block_start',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    for (const event of events) expect(event.data.type).toBe(event.event);
    expect(events.filter((e) => e.event === 'content_block_start').map((e) => e.data.index)).toEqual([
      0, 1, 2,
    ]);
    expect(events[7]?.data.delta).toEqual({ type: 'input_json_delta', partial_json: '{"a":1}' });
    expect(events.at(-2)?.data).toMatchObject({
      delta: { stop_reason: 'tool_use', stop_sequence: null },
      usage: { input_tokens: 8, output_tokens: 5 },
      confirmation: CONFIRMATION,
    });
  });
});

describe('the Anthropic error dialect on /v1/messages', () => {
  it('folds 422 into 400 invalid_request_error, overload into 529, and names the type', () => {
    expect(ANTHROPIC_ERRORS.status(new RouterError(422, 'validation_error', 'bad'))).toBe(400);
    expect(ANTHROPIC_ERRORS.body(new RouterError(422, 'validation_error', 'bad'))).toEqual({
      type: 'error',
      error: { type: 'invalid_request_error', message: 'bad' },
    });
    const overloaded = new RouterError(503, 'upstream_overloaded', 'busy');
    expect(ANTHROPIC_ERRORS.status(overloaded)).toBe(529);
    expect(ANTHROPIC_ERRORS.streamEvent(overloaded)).toBe(
      'event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"busy"}}\n\n',
    );
  });

  it('answers in Anthropic terms on every /v1/messages path, other paths keep the router body', async () => {
    const { app, adapters } = createTestRouter();
    const missing = await app.request('/v1/messages/nope', json({}));
    expect(missing.status).toBe(404);
    expect(missing.headers.get('request-id')).toBe(missing.headers.get('x-request-id'));
    expect((await missing.json()).error.type).toBe('not_found_error');

    adapters.openai.next = { error: new ProviderError('openai', 'overloaded', 'busy') };
    const busy = await app.request(
      '/v1/messages',
      json({ model: 'openai/m', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] }),
    );
    expect(busy.status).toBe(529);
    expect(await busy.json()).toMatchObject({ type: 'error', error: { type: 'overloaded_error' } });

    const other = await app.request('/nope', json({}));
    expect((await other.json()).error.type).toBe('not_found');
  });
});
