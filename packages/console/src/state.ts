/**
 * The conversation as the console shows it, and the pure reducer that folds the router's stream
 * events into it. Everything the UI draws comes from here, so it is unit-tested without a browser.
 */
import type { AskResponse, AskStreamEvent, Confirmation } from '@ocsai/client';
import {
  applyDeletion,
  EMPTY_ENTITIES,
  extractEntities,
  isConfirmationRequest,
  mergeEntities,
  type OcsEntities,
  transactionIdOf,
} from './ocs-entities.js';

export type ToolCallStatus = 'running' | 'ok' | 'error' | 'awaiting_approval' | 'approved' | 'rejected';

export interface ToolCallView {
  id: string;
  server?: string;
  name: string;
  arguments: Record<string, unknown>;
  status: ToolCallStatus;
  result?: unknown;
  durationMs?: number;
  transactionId?: string;
}

export type TurnRequest =
  | { kind: 'message'; text: string }
  | { kind: 'confirm'; approve: boolean; tool: string; confirmationId: string };

export type TurnStatus = 'streaming' | 'done' | 'awaiting_confirmation' | 'error';

export interface Turn {
  id: number;
  request: TurnRequest;
  /** Answer text as streamed so far (replaced by the final content on `done`). */
  answer: string;
  toolCalls: ToolCallView[];
  status: TurnStatus;
  error?: string;
  confirmation?: Confirmation;
  response?: Pick<AskResponse, 'provider' | 'model' | 'finish_reason' | 'latency_ms' | 'usage'>;
}

export interface ConversationState {
  turns: Turn[];
  /** The confirmation the agent has not answered yet; drives the dialog. */
  pendingConfirmation: Confirmation | null;
  entities: OcsEntities;
  nextTurnId: number;
}

export const INITIAL_STATE: ConversationState = {
  turns: [],
  pendingConfirmation: null,
  entities: EMPTY_ENTITIES,
  nextTurnId: 1,
};

export type ConversationAction =
  | { type: 'turn_started'; request: TurnRequest }
  | { type: 'stream_event'; event: AskStreamEvent }
  | { type: 'turn_failed'; message: string }
  | { type: 'confirmation_answered'; id: string; approve: boolean }
  | { type: 'cleared' };

/** The turn streams currently write to; a stream only ever feeds the newest turn. */
function updateLastTurn(state: ConversationState, update: (turn: Turn) => Turn): ConversationState {
  const last = state.turns.at(-1);
  if (!last) return state;
  return { ...state, turns: [...state.turns.slice(0, -1), update(last)] };
}

function updateToolCall(turn: Turn, id: string, update: (call: ToolCallView) => ToolCallView): Turn {
  return { ...turn, toolCalls: turn.toolCalls.map((call) => (call.id === id ? update(call) : call)) };
}

/** Finds a call by id in any turn: after an approval, the result arrives in a newer turn than the call. */
function findToolCall(state: ConversationState, id: string): ToolCallView | undefined {
  for (let i = state.turns.length - 1; i >= 0; i--) {
    const call = state.turns[i]?.toolCalls.find((c) => c.id === id);
    if (call) return call;
  }
  return undefined;
}

function applyStreamEvent(state: ConversationState, event: AskStreamEvent): ConversationState {
  switch (event.type) {
    case 'delta':
      return updateLastTurn(state, (turn) => ({ ...turn, answer: turn.answer + event.data.text }));
    case 'tool_call': {
      const call: ToolCallView = {
        id: event.data.id,
        name: event.data.name,
        arguments: event.data.arguments ?? {},
        status: 'running',
        ...(event.data.server ? { server: event.data.server } : {}),
      };
      return updateLastTurn(state, (turn) =>
        turn.toolCalls.some((c) => c.id === call.id)
          ? turn
          : { ...turn, toolCalls: [...turn.toolCalls, call] },
      );
    }
    case 'tool_result': {
      const { id, name, result, is_error, duration_ms } = event.data;
      const transactionId = transactionIdOf(result);
      const earlier = findToolCall(state, id);
      const args = earlier?.arguments ?? {};
      const onHold = !is_error && isConfirmationRequest(result);
      const finished = (call: ToolCallView): ToolCallView => ({
        ...call,
        status: is_error ? 'error' : onHold ? 'awaiting_approval' : 'ok',
        result,
        durationMs: duration_ms,
        ...(transactionId ? { transactionId } : {}),
      });
      let next = updateLastTurn(state, (turn) => {
        // The router reports a declined call as a failed one; the agent knows it as their rejection.
        const declined =
          is_error && turn.request.kind === 'confirm' && !turn.request.approve && turn.request.tool === name;
        if (declined) {
          const base: ToolCallView = earlier
            ? { ...earlier }
            : { id, name, arguments: {}, status: 'running' };
          const rejected = { ...finished(base), status: 'rejected' as const };
          return {
            ...turn,
            toolCalls: turn.toolCalls.some((c) => c.id === id)
              ? turn.toolCalls.map((c) => (c.id === id ? rejected : c))
              : [...turn.toolCalls, rejected],
          };
        }
        if (turn.toolCalls.some((c) => c.id === id)) return updateToolCall(turn, id, finished);
        // The call was announced in an earlier turn (it waited for approval): show its outcome here.
        const base: ToolCallView = earlier ? { ...earlier } : { id, name, arguments: {}, status: 'running' };
        return { ...turn, toolCalls: [...turn.toolCalls, finished(base)] };
      });
      if (!is_error && !onHold) {
        const entities = applyDeletion(mergeEntities(next.entities, extractEntities(result)), name, args);
        next = { ...next, entities };
      }
      return next;
    }
    case 'confirmation': {
      const confirmation = event.data;
      const next = updateLastTurn(state, (turn) => {
        const waiting = [...turn.toolCalls]
          .reverse()
          .find(
            (c) =>
              c.name === confirmation.tool && (c.status === 'running' || c.status === 'awaiting_approval'),
          );
        const toolCalls = waiting
          ? turn.toolCalls.map((c) => (c === waiting ? { ...c, status: 'awaiting_approval' as const } : c))
          : [
              ...turn.toolCalls,
              {
                id: `confirmation:${confirmation.id}`,
                name: confirmation.tool,
                arguments: confirmation.arguments,
                status: 'awaiting_approval' as const,
              },
            ];
        return { ...turn, toolCalls, confirmation };
      });
      return { ...next, pendingConfirmation: confirmation };
    }
    case 'done': {
      const response = event.data;
      const next = updateLastTurn(state, (turn) => ({
        ...turn,
        // The final content is authoritative; deltas may have been partial if the stream was resumed.
        answer: response.content || turn.answer,
        status: response.finish_reason === 'confirmation_required' ? 'awaiting_confirmation' : 'done',
        response: {
          provider: response.provider,
          model: response.model,
          finish_reason: response.finish_reason,
          latency_ms: response.latency_ms,
          usage: response.usage,
        },
        ...(response.confirmation ? { confirmation: response.confirmation } : {}),
      }));
      // A router that reports the confirmation only in `done` still gets its dialog.
      if (response.confirmation && !next.pendingConfirmation) {
        return applyStreamEvent(next, { type: 'confirmation', data: response.confirmation });
      }
      return next;
    }
  }
}

export function conversationReducer(state: ConversationState, action: ConversationAction): ConversationState {
  switch (action.type) {
    case 'turn_started': {
      const turn: Turn = {
        id: state.nextTurnId,
        request: action.request,
        answer: '',
        toolCalls: [],
        status: 'streaming',
      };
      return { ...state, turns: [...state.turns, turn], nextTurnId: state.nextTurnId + 1 };
    }
    case 'stream_event':
      return applyStreamEvent(state, action.event);
    case 'turn_failed':
      return updateLastTurn(state, (turn) => ({
        ...turn,
        status: 'error',
        error: action.message,
        toolCalls: turn.toolCalls.map((c) => (c.status === 'running' ? { ...c, status: 'error' } : c)),
      }));
    case 'confirmation_answered': {
      const status: ToolCallStatus = action.approve ? 'approved' : 'rejected';
      return {
        ...state,
        pendingConfirmation: state.pendingConfirmation?.id === action.id ? null : state.pendingConfirmation,
        turns: state.turns.map((turn) =>
          turn.confirmation?.id === action.id
            ? {
                ...turn,
                status: turn.status === 'awaiting_confirmation' ? 'done' : turn.status,
                toolCalls: turn.toolCalls.map((c) =>
                  c.status === 'awaiting_approval' ? { ...c, status } : c,
                ),
              }
            : turn,
        ),
      };
    }
    case 'cleared':
      return { ...INITIAL_STATE, nextTurnId: state.nextTurnId };
  }
}

/** Whether a request is in flight (the composer is disabled meanwhile). */
export function isBusy(state: ConversationState): boolean {
  return state.turns.at(-1)?.status === 'streaming';
}
