import { randomBytes } from 'node:crypto';
import {
  type ContentCapture,
  GEN_AI,
  injectTraceContext,
  OCSAI,
  tracingActive,
  withSpan,
} from '@ocsai/telemetry';
import { APPROVER_ROLE, mayActFor, type Principal } from '../admission/principal.js';
import type { AuditTrail } from '../audit/audit-trail.js';
import { RouterError } from '../errors.js';
import type { McpServerSet } from '../mcp/mcp-server-set.js';
import type { Roles } from '../mcp/roles.js';
import type {
  ChatMessage,
  ChatRequest,
  ChatResult,
  FinishReason,
  ProviderAdapter,
  ProviderName,
  ToolCall,
  ToolDefinition,
  Usage,
} from '../providers/types.js';
import type { PendingConfirmationStore } from '../stores/pending-confirmations/pending-confirmation-store.js';
import type { ConfirmationRequest } from './confirmation-request.js';
import { ToolAccess, type ToolAccessRequest } from './tool-access.js';
import { type ExecutedToolCall, type ToolExecution, ToolRunner } from './tool-runner.js';
import { fenceToolResult, resultText, TOOL_SYSTEM_INSTRUCTIONS } from './untrusted-tool-result.js';

export interface ToolLoopSettings {
  /** Most tool rounds (model turn that asked for tools + their execution) per /ask. */
  maxSteps: number;
  /** Longest tool result text given to the model; the /ask response keeps the full result. */
  maxResultChars: number;
  /** Lifetime of a pending confirmation (capped by the server's own expires_at). */
  confirmationTtlMs: number;
}

export const DEFAULT_TOOL_LOOP_SETTINGS: ToolLoopSettings = {
  maxSteps: 8,
  maxResultChars: 16_000,
  confirmationTtlMs: 5 * 60 * 1000,
};

export type LoopFinishReason = FinishReason | 'confirmation_required';

/** What the caller sees of a held call, and answers with confirm: {id, approve}. */
export interface ConfirmationView {
  id: string;
  tool: string;
  server: string | null;
  arguments: Record<string, unknown>;
  message: string;
  expires_at: string;
}

export interface ToolCallView {
  id: string;
  server: string | null;
  name: string;
  arguments: Record<string, unknown>;
}

export type ToolLoopEvent =
  | { type: 'delta'; text: string }
  | { type: 'tool_call'; call: ToolCallView }
  | { type: 'tool_result'; call: ExecutedToolCall }
  | { type: 'confirmation'; confirmation: ConfirmationView }
  | { type: 'done'; outcome: ToolLoopOutcome };

export interface ToolLoopOutcome {
  /** The last model answer (id, model). */
  result: ChatResult;
  content: string;
  finishReason: LoopFinishReason;
  /** Every call executed during this request, in the order the model asked for them. */
  toolCalls: ExecutedToolCall[];
  /** Summed over every model turn; null when no turn reported usage. */
  usage: Usage | null;
  confirmation?: ConfirmationView;
  stepLimitReached: boolean;
  /** The user turn to remember with the answer (carried across a confirmation). */
  userTurn?: string;
  /** Whether any tool result reached the model in this conversation: its answer may echo tool data. */
  toolDerived: boolean;
  /**
   * Calls of the caller's own tools (ToolLoopStart.clientTools) that ended the loop: the caller
   * runs them, as without the loop. Absent when the loop ended otherwise.
   */
  clientToolCalls?: ToolCall[];
}

/**
 * The user key of a confirmation held for a request without a user (the compatible APIs): only the
 * principal that asked can answer it. Not a valid user id, so no /ask user_id can ever name it.
 */
export const PRINCIPAL_BOUND_USER = '~principal';

/** One call of the turn being executed, as kept while a confirmation is pending. */
interface Slot {
  call: ToolCall;
  done?: { execution: ToolExecution; text: string };
  /** Held by the server for a human's yes; `exposedName` kept for the confirmation view. */
  held?: {
    confirmation: ConfirmationRequest;
    exposedName: string;
    server: string | null;
    name: string;
    arguments: Record<string, unknown>;
  };
}

/** Everything needed to continue after the human answered; stored server-side only. */
interface LoopSnapshot {
  provider: ProviderName;
  model: string;
  temperature?: number;
  maxTokens?: number;
  messages: ChatMessage[];
  slots: Slot[];
  heldIndex: number;
  steps: number;
  usage: Usage | null;
  access: ToolAccessRequest;
  /** The principal that asked: confirmations are bound to it and to the user. */
  principal: string;
  userId?: string;
  userTurn?: string;
  lastResult: ChatResult;
  /** traceparent of the "confirmation held" span, so the decision continues the asking trace. */
  trace?: Record<string, string>;
  /** The caller's own tools, offered beside the router's on every turn (compatible APIs). */
  clientTools?: ToolDefinition[];
  /** The caller's other generation options (tool_choice, stop, ...), kept for the turns after a yes. */
  options?: Omit<ChatRequest, 'model' | 'messages' | 'tools' | 'signal' | 'temperature' | 'maxTokens'>;
}

/**
 * Accounts for time spent waiting on the provider and on tools, so the router's own overhead can
 * be told apart (RequestClock fits). Waits are sequential, so nothing is counted twice.
 */
export interface LoopTimer {
  timeUpstream<T>(work: Promise<T>): Promise<T>;
  timeStream<T>(source: AsyncIterable<T>): AsyncIterable<T>;
}

const UNTIMED: LoopTimer = {
  timeUpstream: (work) => work,
  timeStream: (source) => source,
};

export interface ToolLoopStart {
  adapter: ProviderAdapter;
  /** Prompt built from context and request; the loop adds tool instructions and tools. */
  chat: ChatRequest;
  stream: boolean;
  access: ToolAccessRequest;
  /** Id of the principal the credential maps to. */
  principal: string;
  /** Needed to hold a confirmation; without it a confirmation ends the request with an explanation. */
  userId?: string;
  userTurn?: string;
  timer?: LoopTimer;
  /**
   * The caller's own tools (a compatible API's `tools`): offered beside the router's; a call of one
   * ends the loop and is returned to the caller. `chat.tools` is ignored by the loop.
   */
  clientTools?: ToolDefinition[];
  /**
   * Hold confirmations without a user id, bound to the principal alone (PRINCIPAL_BOUND_USER): the
   * compatible APIs have no user_id, and the principal that asked answers through
   * POST /v1/confirmations/{id}.
   */
  holdForPrincipal?: boolean;
}

export type ResumeLookup =
  | { status: 'ok'; resume: PendingResume }
  | { status: 'not_found' }
  | { status: 'forbidden'; message: string }
  | { status: 'expired'; expiredAt: string };

/**
 * Who may answer a held call. `self`: the principal that asked, for the same user.
 * `other-approver`: a destructive call is approved by a different principal holding the
 * `approver` role (the asker may still decline its own).
 */
export type ApprovalPolicy = 'self' | 'other-approver';

/** A pending confirmation taken from the store (it can no longer be answered twice). */
export interface PendingResume {
  id: string;
  provider: ProviderName;
  model: string;
  snapshot: LoopSnapshot;
  /** traceparent of the "confirmation wait" span: the approved call runs under it. */
  trace?: Record<string, string>;
}

export interface ToolLoopDeps {
  servers: McpServerSet;
  roles: Roles;
  pending: PendingConfirmationStore;
  settings?: Partial<ToolLoopSettings>;
  now?: () => number;
  /** One line per executed call: server, tool, outcome, duration. Never arguments or results (PII). */
  logger?: { info(object: object, message: string): void };
  /** Records every tool call the model asks for and every confirmation decision. */
  audit?: AuditTrail;
  approval?: ApprovalPolicy;
  /** Tool arguments and results on execute_tool spans, when OTEL_GENAI_CAPTURE_CONTENT=true. */
  capture?: ContentCapture;
}

class LoopState {
  executed: ExecutedToolCall[] = [];
  usage: Usage | null;
  timer: LoopTimer = UNTIMED;
  constructor(
    readonly snapshotBase: Omit<
      LoopSnapshot,
      'slots' | 'heldIndex' | 'steps' | 'usage' | 'lastResult' | 'messages'
    >,
    public messages: ChatMessage[],
    public steps: number,
    usage: Usage | null,
  ) {
    this.usage = usage;
  }

  addUsage(usage: Usage | null): void {
    if (!usage) return;
    const base = this.usage ?? { inputTokens: 0, outputTokens: 0, totalTokens: 0 };
    const sum: Usage = {
      inputTokens: base.inputTokens + usage.inputTokens,
      outputTokens: base.outputTokens + usage.outputTokens,
      totalTokens: base.totalTokens + usage.totalTokens,
    };
    const cached = (base.cachedInputTokens ?? 0) + (usage.cachedInputTokens ?? 0);
    if (base.cachedInputTokens !== undefined || usage.cachedInputTokens !== undefined)
      sum.cachedInputTokens = cached;
    this.usage = sum;
  }
}

/**
 * The provider-agnostic tool loop: ask the model, run the tools it asks for (in parallel, results
 * fed back in the order asked), repeat until it answers, a confirmation is needed, or the step
 * limit is hit. It sees only ProviderAdapter and the internal chat model, so every provider gets
 * the same behaviour; the adapters translate tools and calls to their wire formats.
 */
export class ToolLoop {
  readonly settings: ToolLoopSettings;
  readonly #deps: ToolLoopDeps;

  constructor(deps: ToolLoopDeps) {
    this.#deps = deps;
    this.settings = { ...DEFAULT_TOOL_LOOP_SETTINGS, ...deps.settings };
  }

  get hasServers(): boolean {
    return this.#deps.servers.size > 0;
  }

  async *run(start: ToolLoopStart): AsyncGenerator<ToolLoopEvent, void, undefined> {
    const runner = this.hasServers
      ? await ToolRunner.create(
          this.#deps.servers,
          new ToolAccess(this.#deps.roles, start.access),
          this.#deps.capture,
        )
      : undefined;
    const messages = runner?.definitions.length
      ? withToolInstructions(start.chat.messages, runner.unavailableServers)
      : [...start.chat.messages];
    const clientTools = start.clientTools ?? [];
    const offered = new Set(runner?.definitions.map((tool) => tool.name));
    const clash = clientTools.find((tool) => offered.has(tool.name));
    if (clash) {
      throw new RouterError(
        400,
        'tool_name_conflict',
        `Tool "${clash.name.slice(0, 64)}" of the request has the name of one of the router's MCP tools; rename it, or send x-router-tools: off`,
      );
    }
    const base = snapshotBase(start);
    const state = new LoopState(base, messages, 0, null);
    if (start.timer) state.timer = start.timer;
    const holdUser = start.userId ?? (start.holdForPrincipal ? PRINCIPAL_BOUND_USER : undefined);
    yield* this.#drive(state, start.adapter, start.chat, runner, start.stream, holdUser, undefined);
  }

  /** The user key a pending confirmation is stored under (PRINCIPAL_BOUND_USER for a compatible API's). */
  async pendingUser(id: string): Promise<string | undefined> {
    return (await this.#deps.pending.peek(id))?.userId;
  }

  /**
   * Takes a pending confirmation (atomically: a second answer finds nothing) when `principal` may
   * answer it for `userId` under the approval policy. A confirmation of another user, or of another
   * principal under `self`, is "not found"; a refused self-approval under `other-approver` is
   * "forbidden" and leaves the confirmation in place for the approver.
   */
  async takePending(
    id: string,
    answer: { userId: string; principal: Principal; approve: boolean },
  ): Promise<ResumeLookup> {
    const { userId, principal, approve } = answer;
    const peeked = await this.#deps.pending.peek<LoopSnapshot>(id);
    if (!peeked || peeked.userId !== userId) return { status: 'not_found' };
    // A principal-bound confirmation has no user to act for: the owner checks below decide alone.
    if (userId !== PRINCIPAL_BOUND_USER && !mayActFor(principal, userId)) return { status: 'not_found' };
    const owner = peeked.state.principal;
    if ((this.#deps.approval ?? 'self') === 'self') {
      if (owner !== principal.id) return { status: 'not_found' };
    } else if (approve) {
      if (owner === principal.id) {
        return {
          status: 'forbidden',
          message: `ROUTER_APPROVAL=other-approver: principal ${principal.id} asked for this action and cannot approve it; a different principal with the "${APPROVER_ROLE}" role must approve it (the asker may decline it)`,
        };
      }
      if (!principal.roles.includes(APPROVER_ROLE)) {
        return {
          status: 'forbidden',
          message: `ROUTER_APPROVAL=other-approver: principal ${principal.id} lacks the "${APPROVER_ROLE}" role needed to approve this action`,
        };
      }
    } else if (owner !== principal.id && !principal.roles.includes(APPROVER_ROLE)) {
      return { status: 'not_found' };
    }
    const taken = await this.#deps.pending.take<LoopSnapshot>(id, userId, this.#now());
    if (taken.status === 'not_found') return { status: 'not_found' };
    const snapshot = taken.entry.state;
    const held = snapshot.slots[snapshot.heldIndex]?.held;
    const outcome = taken.status === 'expired' ? 'expired' : approve ? 'approved' : 'rejected';
    const trace = confirmationWaitSpan(snapshot, taken.entry.createdAt, outcome, held?.name);
    this.#deps.audit?.decision({
      principal: snapshot.principal,
      userId,
      provider: snapshot.provider,
      model: snapshot.model,
      tool: held ? qualified(held.server, held.name) : 'unknown',
      args: held?.arguments ?? {},
      confirmationId: id,
      outcome,
      decidedBy: principal.id,
    });
    if (taken.status === 'expired') {
      return { status: 'expired', expiredAt: new Date(taken.entry.expiresAt).toISOString() };
    }
    return {
      status: 'ok',
      resume: {
        id,
        provider: snapshot.provider,
        model: snapshot.model,
        snapshot,
        ...(trace ? { trace } : {}),
      },
    };
  }

  /** Continues a conversation held for confirmation: runs (approve) or declines the held call. */
  async *resume(
    pending: PendingResume,
    options: {
      adapter: ProviderAdapter;
      approve: boolean;
      stream: boolean;
      userId: string;
      signal?: AbortSignal;
      timer?: LoopTimer;
    },
  ): AsyncGenerator<ToolLoopEvent, void, undefined> {
    const { snapshot } = pending;
    const runner = await ToolRunner.create(
      this.#deps.servers,
      new ToolAccess(this.#deps.roles, snapshot.access),
      this.#deps.capture,
    );
    const { slots, heldIndex, messages, steps, usage, lastResult, trace: _held, ...base } = snapshot;
    const state = new LoopState(base, messages, steps, usage);
    if (options.timer) state.timer = options.timer;
    const chat: ChatRequest = { ...snapshot.options, model: snapshot.model, messages };
    if (snapshot.temperature !== undefined) chat.temperature = snapshot.temperature;
    if (snapshot.maxTokens !== undefined) chat.maxTokens = snapshot.maxTokens;
    if (options.signal) chat.signal = options.signal;

    const slot = slots[heldIndex] as Slot;
    const held = slot.held as NonNullable<Slot['held']>;
    delete slot.held;
    let execution: ToolExecution;
    if (options.approve) {
      yield {
        type: 'tool_call',
        call: { id: slot.call.id, server: held.server, name: held.name, arguments: held.arguments },
      };
      execution = await state.timer.timeUpstream(
        runner.execute(slot.call, {
          approval: held.confirmation,
          meta: mcpMeta(state.snapshotBase),
          ...(pending.trace ? { traceParent: pending.trace } : {}),
          ...(options.signal ? { signal: options.signal } : {}),
        }),
      );
    } else {
      execution = heldCallResult(slot.call, held, DECLINED);
    }
    const turn = { slots, lastResult };
    yield* this.#settle(state, slot, execution);
    yield* this.#drive(state, options.adapter, chat, runner, options.stream, options.userId, turn);
  }

  /** Records a finished call, or re-holds it when the server asks again. */
  *#settle(
    state: LoopState,
    slot: Slot,
    execution: ToolExecution,
  ): Generator<ToolLoopEvent, void, undefined> {
    if (execution.confirmation) {
      slot.held = {
        confirmation: execution.confirmation,
        exposedName: execution.exposedName,
        server: execution.record.server,
        name: execution.record.name,
        arguments: execution.record.arguments,
      };
      return;
    }
    const text = fenceToolResult(
      slot.call.id,
      execution.exposedName,
      resultText(execution.record.result),
      execution.record.is_error,
      this.settings.maxResultChars,
    );
    slot.done = { execution, text };
    state.executed.push(execution.record);
    const { server, name, is_error, duration_ms } = execution.record;
    this.#deps.logger?.info({ server, tool: name, is_error, duration_ms }, 'tool call');
    this.#audit(state, execution);
    yield { type: 'tool_result', call: execution.record };
  }

  #audit(state: LoopState, execution: ToolExecution, confirmationId?: string): void {
    const audit = this.#deps.audit;
    if (!audit?.enabled) return;
    const { record } = execution;
    const base = state.snapshotBase;
    audit.toolCall({
      principal: base.principal,
      userId: base.userId ?? null,
      provider: base.provider,
      model: base.model,
      tool: qualified(record.server, record.name),
      args: record.arguments,
      outcome: execution.outcome,
      latencyMs: record.duration_ms,
      ...(execution.transactionId !== undefined ? { transactionId: execution.transactionId } : {}),
      ...(execution.outcome === 'denied' || execution.outcome === 'failed'
        ? { detail: resultText(record.result) }
        : {}),
      ...(confirmationId !== undefined ? { confirmationId } : {}),
    });
  }

  async *#drive(
    state: LoopState,
    adapter: ProviderAdapter,
    chat: ChatRequest,
    runner: ToolRunner | undefined,
    stream: boolean,
    userId: string | undefined,
    resumed: { slots: Slot[]; lastResult: ChatResult } | undefined,
  ): AsyncGenerator<ToolLoopEvent, void, undefined> {
    let turn = resumed;
    for (;;) {
      if (turn) {
        if (userId === undefined) {
          // Without a user id nobody could come back to approve: the model hears why, and answers.
          for (const slot of turn.slots) {
            if (slot.held && !slot.done) {
              const held = slot.held;
              delete slot.held;
              yield* this.#settle(state, slot, heldCallResult(slot.call, held, NEEDS_USER_ID));
            }
          }
        }
        const heldIndex = turn.slots.findIndex((slot) => slot.held && !slot.done);
        if (heldIndex >= 0 && userId !== undefined) {
          yield* this.#hold(state, turn, heldIndex, chat, userId);
          return;
        }
        for (const slot of turn.slots) {
          const done = slot.done as NonNullable<Slot['done']>;
          state.messages.push({
            role: 'tool',
            toolCallId: slot.call.id,
            name: done.execution.exposedName,
            content: done.text,
            isError: done.execution.record.is_error,
          });
        }
        state.steps += 1;
        turn = undefined;
      }

      const clientTools = state.snapshotBase.clientTools ?? [];
      const request: ChatRequest = { ...chat, messages: state.messages };
      const tools = [...(runner?.definitions ?? []), ...clientTools];
      if (tools.length) request.tools = tools;
      else delete request.tools;
      const result = yield* this.#modelTurn(adapter, request, runner, stream, state.timer);
      state.addUsage(result.usage);

      if (result.toolCalls.length === 0) {
        yield this.#done(state, result, result.content, result.finishReason);
        return;
      }
      const clientNames = new Set(clientTools.map((tool) => tool.name));
      const clientCalls = result.toolCalls.filter((call) => clientNames.has(call.name));
      if (clientCalls.length) {
        // The caller runs its own tools and comes back with their results in a new request. Router
        // calls asked for in the same turn are not run: the model can ask for them again then.
        const done = this.#done(state, result, result.content, 'tool_calls');
        done.outcome.clientToolCalls = clientCalls;
        yield done;
        return;
      }
      if (state.steps >= this.settings.maxSteps) {
        const note = `[Stopped by the router: the tool step limit (${this.settings.maxSteps}, ROUTER_MAX_TOOL_STEPS) was reached before the model finished; the ${result.toolCalls.length} tool call(s) it asked for last were not run.]`;
        if (stream) yield { type: 'delta', text: result.content ? `\n\n${note}` : note };
        const content = result.content ? `${result.content}\n\n${note}` : note;
        yield this.#done(state, result, content, 'length', true);
        return;
      }

      state.messages.push({ role: 'assistant', content: result.content, toolCalls: result.toolCalls });
      const slots: Slot[] = result.toolCalls.map((call) => ({ call }));
      yield* this.#executeTurn(state, slots, runner, chat.signal);
      turn = { slots, lastResult: result };
    }
  }

  /** Runs the turn's calls in parallel, reporting each as it finishes. */
  async *#executeTurn(
    state: LoopState,
    slots: Slot[],
    runner: ToolRunner | undefined,
    signal: AbortSignal | undefined,
  ): AsyncGenerator<ToolLoopEvent, void, undefined> {
    const pending = new Map<number, Promise<{ index: number; execution: ToolExecution }>>();
    slots.forEach((slot, index) => {
      const meta = mcpMeta(state.snapshotBase);
      const run = runner
        ? runner.execute(slot.call, signal ? { signal, meta } : { meta })
        : Promise.resolve(noTools(slot.call));
      pending.set(
        index,
        run.then((execution) => ({ index, execution })),
      );
    });
    while (pending.size > 0) {
      const { index, execution } = await state.timer.timeUpstream(Promise.race(pending.values()));
      pending.delete(index);
      yield* this.#settle(state, slots[index] as Slot, execution);
    }
  }

  async *#modelTurn(
    adapter: ProviderAdapter,
    request: ChatRequest,
    runner: ToolRunner | undefined,
    stream: boolean,
    timer: LoopTimer,
  ): AsyncGenerator<ToolLoopEvent, ChatResult, undefined> {
    const view = (call: ToolCall): ToolCallView => {
      const tool = runner?.resolve(call.name);
      return {
        id: call.id,
        server: tool?.server ?? null,
        name: tool?.name ?? call.name,
        arguments: call.arguments,
      };
    };
    if (!stream) {
      const result = await timer.timeUpstream(adapter.chat(request));
      for (const call of result.toolCalls) yield { type: 'tool_call', call: view(call) };
      return result;
    }
    const announced = new Set<string>();
    for await (const event of timer.timeStream(adapter.stream(request))) {
      if (event.type === 'text') {
        if (event.text) yield { type: 'delta', text: event.text };
      } else if (event.type === 'tool_call') {
        announced.add(event.call.id);
        yield { type: 'tool_call', call: view(event.call) };
      } else {
        for (const call of event.result.toolCalls) {
          if (!announced.has(call.id)) yield { type: 'tool_call', call: view(call) };
        }
        return event.result;
      }
    }
    throw new Error('The provider stream ended without a result');
  }

  async *#hold(
    state: LoopState,
    turn: { slots: Slot[]; lastResult: ChatResult },
    heldIndex: number,
    chat: ChatRequest,
    userId: string,
  ): AsyncGenerator<ToolLoopEvent, void, undefined> {
    const slot = turn.slots[heldIndex] as Slot;
    const held = slot.held as NonNullable<Slot['held']>;
    const now = this.#now();
    const serverExpiry =
      held.confirmation.kind === 'token' ? Date.parse(held.confirmation.expiresAt ?? '') : Number.NaN;
    const expiresAt = Math.min(
      now + this.settings.confirmationTtlMs,
      Number.isFinite(serverExpiry) ? serverExpiry : Number.POSITIVE_INFINITY,
    );
    const id = `cfm_${randomBytes(18).toString('base64url')}`;
    const snapshot: LoopSnapshot = {
      ...state.snapshotBase,
      messages: state.messages,
      slots: turn.slots,
      heldIndex,
      steps: state.steps,
      usage: state.usage,
      lastResult: turn.lastResult,
    };
    if (chat.temperature !== undefined) snapshot.temperature = chat.temperature;
    if (chat.maxTokens !== undefined) snapshot.maxTokens = chat.maxTokens;
    const {
      model: _model,
      messages: _messages,
      tools: _tools,
      signal: _signal,
      temperature: _temperature,
      maxTokens: _maxTokens,
      ...options
    } = chat;
    if (Object.keys(options).length) snapshot.options = options;
    if (tracingActive()) {
      snapshot.trace = withSpan(
        'confirmation held',
        {
          attributes: {
            [GEN_AI.TOOL_NAME]: held.name,
            [GEN_AI.TOOL_CALL_ID]: slot.call.id,
            [OCSAI.CONFIRMATION_OUTCOME]: 'held',
          },
        },
        () => injectTraceContext<Record<string, string>>({}),
      );
    }
    await this.#deps.pending.put({ id, userId, createdAt: now, expiresAt, state: snapshot });
    this.#audit(
      state,
      {
        outcome: 'held',
        exposedName: held.exposedName,
        record: {
          id: slot.call.id,
          server: held.server,
          name: held.name,
          arguments: held.arguments,
          result: { content: [] },
          is_error: false,
          duration_ms: 0,
        },
      },
      id,
    );
    const confirmation: ConfirmationView = {
      id,
      tool: held.exposedName,
      server: held.server,
      arguments: held.arguments,
      message: held.confirmation.message,
      expires_at: new Date(expiresAt).toISOString(),
    };
    yield { type: 'confirmation', confirmation };
    const content = `Confirmation required: ${held.confirmation.message}`;
    const outcome = this.#done(state, turn.lastResult, content, 'confirmation_required');
    outcome.outcome.confirmation = confirmation;
    yield outcome;
  }

  #done(
    state: LoopState,
    result: ChatResult,
    content: string,
    finishReason: LoopFinishReason,
    stepLimitReached = false,
  ): { type: 'done'; outcome: ToolLoopOutcome } {
    const outcome: ToolLoopOutcome = {
      result,
      content,
      finishReason,
      toolCalls: state.executed,
      usage: state.usage,
      stepLimitReached,
      toolDerived: state.messages.some((message) => message.role === 'tool'),
    };
    if (state.snapshotBase.userTurn !== undefined) outcome.userTurn = state.snapshotBase.userTurn;
    return { type: 'done', outcome };
  }

  #now(): number {
    return (this.#deps.now ?? Date.now)();
  }
}

function snapshotBase(start: ToolLoopStart): LoopState['snapshotBase'] {
  const base: LoopState['snapshotBase'] = {
    provider: start.adapter.name as ProviderName,
    model: start.chat.model,
    access: start.access,
    principal: start.principal,
  };
  if (start.userId !== undefined) base.userId = start.userId;
  if (start.userTurn !== undefined) base.userTurn = start.userTurn;
  if (start.clientTools?.length) base.clientTools = start.clientTools;
  return base;
}

/** `server/tool` as the audit trail names tools; the bare name when no server has it. */
function qualified(server: string | null, name: string): string {
  return server === null ? name : `${server}/${name}`;
}

/**
 * Who acts and for whom, in the tools/call request's `_meta`, so an MCP server can record and
 * enforce it (the keys are shared with the OCS MCP server).
 */
function mcpMeta(base: LoopState['snapshotBase']): Record<string, unknown> {
  return { 'ocs-ai/principal': base.principal, 'ocs-ai/user_id': base.userId ?? null };
}

/** Adds the tool rules to the first system message (or a new one), keeping one system prompt. */
function withToolInstructions(
  messages: ChatMessage[],
  unavailable: { server: string; message: string }[],
): ChatMessage[] {
  let instructions = TOOL_SYSTEM_INSTRUCTIONS;
  if (unavailable.length) {
    instructions += `\nThese tool servers are unavailable right now, so their tools are missing: ${unavailable.map((u) => u.server).join(', ')}.`;
  }
  const [first, ...rest] = messages;
  if (first?.role === 'system')
    return [{ role: 'system', content: `${first.content}\n\n${instructions}` }, ...rest];
  return [{ role: 'system', content: instructions }, ...messages];
}

const DECLINED =
  'The human declined this action, so it was NOT performed. Do not retry it unless the user asks again; tell the user it was not done.';
const NEEDS_USER_ID =
  'Not done: this action needs a human confirmation, and confirmations need a user_id on the request. Tell the user to repeat the request with a user_id.';

/** The result the model gets for a held call that will not run (declined, or nobody to ask). */
function heldCallResult(call: ToolCall, held: NonNullable<Slot['held']>, text: string): ToolExecution {
  return {
    outcome: 'denied',
    exposedName: held.exposedName,
    record: {
      id: call.id,
      server: held.server,
      name: held.name,
      arguments: held.arguments,
      result: { content: [{ type: 'text', text }] },
      is_error: true,
      duration_ms: 0,
    },
  };
}

function noTools(call: ToolCall): ToolExecution {
  return {
    outcome: 'denied',
    exposedName: call.name,
    record: {
      id: call.id,
      server: null,
      name: call.name,
      arguments: call.arguments,
      result: { content: [{ type: 'text', text: `Unknown tool "${call.name}": no tools are available.` }] },
      is_error: true,
      duration_ms: 0,
    },
  };
}

/**
 * The human's wait as a span, from the hold to the decision, parented on the "confirmation held"
 * span the asking request stored: the confirm request continues the trace of the /ask that held
 * the call. Returns its traceparent, for the approved call.
 */
function confirmationWaitSpan(
  snapshot: LoopSnapshot,
  heldAt: number,
  outcome: 'approved' | 'rejected' | 'expired',
  toolName: string | undefined,
): Record<string, string> | undefined {
  if (!tracingActive() || !snapshot.trace) return undefined;
  return withSpan(
    'confirmation wait',
    {
      parent: snapshot.trace,
      startTime: heldAt,
      attributes: {
        [OCSAI.CONFIRMATION_OUTCOME]: outcome,
        ...(toolName ? { [GEN_AI.TOOL_NAME]: toolName } : {}),
      },
    },
    () => injectTraceContext<Record<string, string>>({}),
  );
}
