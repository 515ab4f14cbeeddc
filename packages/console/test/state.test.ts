import type { AskResponse, AskStreamEvent, Confirmation, StreamToolResult } from '@ocsai/client';
import { describe, expect, it } from 'vitest';
import {
  type ConversationAction,
  type ConversationState,
  conversationReducer,
  INITIAL_STATE,
  isBusy,
} from '../src/state.js';

const run = (actions: ConversationAction[], from: ConversationState = INITIAL_STATE) =>
  actions.reduce(conversationReducer, from);
/** Tool results here leave out server and arguments (the reducer keeps those of the tool_call). */
type FixtureEvent =
  | AskStreamEvent
  | {
      type: 'tool_result';
      data: Omit<StreamToolResult, 'server' | 'arguments' | 'result'> & { result: unknown };
    };
const event = (e: FixtureEvent): ConversationAction => ({ type: 'stream_event', event: e as AskStreamEvent });

const done = (over: Partial<AskResponse> = {}): AskStreamEvent => ({
  type: 'done',
  data: {
    id: 'r1',
    provider: 'openai',
    model: 'gpt-test',
    content: 'All set.',
    message: { role: 'assistant', content: 'All set.' },
    finish_reason: 'stop',
    tool_calls: [],
    usage: { input_tokens: 10, output_tokens: 5, total_tokens: 15 },
    latency_ms: 120,
    attempts: 1,
    ...over,
  },
});

const confirmation: Confirmation = {
  id: 'c-1',
  tool: 'delete_subscription',
  server: 'ocs',
  arguments: { subscriptionId: 'subscription-1' },
  message: 'Delete subscription subscription-1?',
  expires_at: '2030-01-01T00:00:00Z',
};

const createResult = {
  content: [{ type: 'text', text: 'created' }],
  structuredContent: {
    subscription: {
      subscriptionId: 'subscription-1',
      subscriberId: 'sub-1',
      offerId: '1000',
      state: 'active',
    },
    balances: [
      {
        balanceId: 'b1',
        subscriptionId: 'subscription-1',
        unitType: 'EVENTS',
        balanceAmount: 1000,
        balanceAvailable: 1000,
      },
    ],
    transaction_id: 'tx-1',
  },
};

const start: ConversationAction = {
  type: 'turn_started',
  request: { kind: 'message', text: 'Provision Ada' },
};

describe('conversationReducer', () => {
  it('streams text, tool calls and results into the newest turn', () => {
    const state = run([
      start,
      event({
        type: 'tool_call',
        data: { id: 't1', server: 'ocs', name: 'create_subscription', arguments: { offerId: '1000' } },
      }),
      event({ type: 'tool_call', data: { id: 't1', name: 'create_subscription', arguments: {} } }),
      event({
        type: 'tool_result',
        data: {
          id: 't1',
          name: 'create_subscription',
          result: createResult,
          is_error: false,
          duration_ms: 31,
        },
      }),
      event({ type: 'delta', data: { text: 'All ' } }),
      event({ type: 'delta', data: { text: 'set' } }),
    ]);
    expect(isBusy(state)).toBe(true);
    const turn = state.turns[0]!;
    expect(turn.answer).toBe('All set');
    expect(turn.toolCalls).toEqual([
      {
        id: 't1',
        server: 'ocs',
        name: 'create_subscription',
        arguments: { offerId: '1000' },
        status: 'ok',
        result: createResult,
        durationMs: 31,
        transactionId: 'tx-1',
      },
    ]);
    expect(state.entities.subscriptions).toHaveLength(1);
    expect(state.entities.balances[0]?.unitType).toBe('EVENTS');

    const finished = run([event(done())], state);
    expect(isBusy(finished)).toBe(false);
    expect(finished.turns[0]).toMatchObject({
      status: 'done',
      answer: 'All set.',
      response: { provider: 'openai', model: 'gpt-test', latency_ms: 120 },
    });
  });

  it('marks failed tool calls and keeps their result out of the subscriber panel', () => {
    const state = run([
      start,
      event({ type: 'tool_call', data: { id: 't1', name: 'create_subscription', arguments: {} } }),
      event({
        type: 'tool_result',
        data: {
          id: 't1',
          name: 'create_subscription',
          result: { ...createResult, isError: true },
          is_error: true,
          duration_ms: 3,
        },
      }),
    ]);
    expect(state.turns[0]?.toolCalls[0]?.status).toBe('error');
    expect(state.entities.subscriptions).toEqual([]);
  });

  it('holds a destructive call for approval and shows its outcome after approval', () => {
    const asked = run([
      start,
      event({
        type: 'tool_result',
        data: {
          id: 't0',
          name: 'create_subscription',
          result: createResult,
          is_error: false,
          duration_ms: 1,
        },
      }),
      { type: 'turn_started', request: { kind: 'message', text: 'Delete it' } },
      event({
        type: 'tool_call',
        data: { id: 't2', name: 'delete_subscription', arguments: confirmation.arguments },
      }),
      event({ type: 'confirmation', data: confirmation }),
      event(done({ finish_reason: 'confirmation_required', content: '', confirmation })),
    ]);
    expect(asked.pendingConfirmation).toEqual(confirmation);
    expect(asked.turns[1]).toMatchObject({ status: 'awaiting_confirmation', confirmation });
    expect(asked.turns[1]?.toolCalls[0]?.status).toBe('awaiting_approval');
    expect(isBusy(asked)).toBe(false);

    const approved = run(
      [
        { type: 'confirmation_answered', id: 'c-1', approve: true },
        {
          type: 'turn_started',
          request: { kind: 'confirm', approve: true, tool: 'delete_subscription', confirmationId: 'c-1' },
        },
        event({
          type: 'tool_result',
          data: {
            id: 't2',
            name: 'delete_subscription',
            result: {
              content: [{ type: 'text', text: 'Deleted.' }],
              structuredContent: { transaction_id: 'tx-2' },
            },
            is_error: false,
            duration_ms: 12,
          },
        }),
        event(done({ content: 'Deleted.' })),
      ],
      asked,
    );
    expect(approved.pendingConfirmation).toBeNull();
    expect(approved.turns[1]?.status).toBe('done');
    expect(approved.turns[1]?.toolCalls[0]?.status).toBe('approved');
    expect(approved.turns[2]?.toolCalls[0]).toMatchObject({
      id: 't2',
      name: 'delete_subscription',
      arguments: { subscriptionId: 'subscription-1' },
      status: 'ok',
      transactionId: 'tx-2',
    });
    expect(approved.entities.subscriptions[0]?.deleted).toBe(true);
  });

  it('records a rejection and leaves other confirmations pending', () => {
    const asked = run([start, event({ type: 'confirmation', data: confirmation })]);
    // No tool_call was announced: the card is made from the confirmation itself.
    expect(asked.turns[0]?.toolCalls[0]).toMatchObject({
      name: 'delete_subscription',
      status: 'awaiting_approval',
    });
    const rejected = run(
      [
        { type: 'confirmation_answered', id: 'c-1', approve: false },
        {
          type: 'turn_started',
          request: { kind: 'confirm', approve: false, tool: 'delete_subscription', confirmationId: 'c-1' },
        },
        event({
          type: 'tool_result',
          data: {
            id: 'confirmation:c-1',
            name: 'delete_subscription',
            result: { content: [{ type: 'text', text: 'The user declined.' }], isError: true },
            is_error: true,
            duration_ms: 0,
          },
        }),
      ],
      asked,
    );
    expect(rejected.turns[0]?.toolCalls[0]?.status).toBe('rejected');
    expect(rejected.turns[1]?.toolCalls[0]).toMatchObject({
      name: 'delete_subscription',
      arguments: { subscriptionId: 'subscription-1' },
      status: 'rejected',
    });
    expect(rejected.pendingConfirmation).toBeNull();
    const other = run([{ type: 'confirmation_answered', id: 'other', approve: false }], asked);
    expect(other.pendingConfirmation).toEqual(confirmation);
  });

  it('holds a call whose result only asks for confirmation (MCP two-step form)', () => {
    const onHold = {
      content: [{ type: 'text', text: 'confirm first' }],
      structuredContent: {
        confirmation_required: true,
        confirmation_token: 'tok',
        subscription: createResult.structuredContent.subscription,
      },
    };
    const state = run([
      start,
      event({
        type: 'tool_call',
        data: { id: 't2', name: 'delete_subscription', arguments: confirmation.arguments },
      }),
      event({
        type: 'tool_result',
        data: { id: 't2', name: 'delete_subscription', result: onHold, is_error: false, duration_ms: 4 },
      }),
      event({ type: 'confirmation', data: confirmation }),
    ]);
    expect(state.turns[0]?.toolCalls).toHaveLength(1);
    expect(state.turns[0]?.toolCalls[0]?.status).toBe('awaiting_approval');
    expect(state.entities.subscriptions).toEqual([]);
  });

  it('opens the dialog for a confirmation reported only in done', () => {
    const state = run([start, event(done({ finish_reason: 'confirmation_required', confirmation }))]);
    expect(state.pendingConfirmation).toEqual(confirmation);
    expect(state.turns[0]?.status).toBe('awaiting_confirmation');
  });

  it('shows a result whose call it never saw', () => {
    const state = run([
      start,
      event({
        type: 'tool_result',
        data: { id: 'x', name: 'list_balances', result: { content: [] }, is_error: false, duration_ms: 2 },
      }),
    ]);
    expect(state.turns[0]?.toolCalls[0]).toMatchObject({ id: 'x', name: 'list_balances', status: 'ok' });
  });

  it('ends a failed turn with its message and stops running cards', () => {
    const state = run([
      start,
      event({ type: 'tool_call', data: { id: 't1', name: 'get_subscriber', arguments: {} } }),
      { type: 'turn_failed', message: 'Upstream timed out' },
    ]);
    expect(state.turns[0]).toMatchObject({ status: 'error', error: 'Upstream timed out' });
    expect(state.turns[0]?.toolCalls[0]?.status).toBe('error');
  });

  it('ignores stream events with no turn, and clears everything but the id counter', () => {
    expect(run([event({ type: 'delta', data: { text: 'x' } })])).toEqual(INITIAL_STATE);
    const cleared = run([start, { type: 'cleared' }]);
    expect(cleared.turns).toEqual([]);
    expect(cleared.nextTurnId).toBe(2);
  });
});
