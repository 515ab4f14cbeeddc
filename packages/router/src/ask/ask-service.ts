import { randomUUID } from 'node:crypto';
import { assertMayActFor, assertMayUse, type Principal } from '../admission/principal.js';
import { checkStructuredOutput, toResponseFormat } from '../completion/structured-output.js';
import { type ContextEnvelope, MAX_MESSAGE_CHARS, type PriorTurn } from '../context-envelope/envelope.js';
import { mergeEnvelopes } from '../context-envelope/merge.js';
import { buildPrompt } from '../context-envelope/prompt.js';
import { RouterError } from '../errors.js';
import { McpCallError } from '../mcp/mcp-call-error.js';
import { isProviderName, type ProviderRegistry } from '../providers/registry.js';
import {
  type ChatMessage,
  type ChatRequest,
  type ChatResult,
  type ProviderAdapter,
  ProviderError,
  type ProviderName,
  type ToolCall,
} from '../providers/types.js';
import type { RequestClock } from '../request-clock.js';
import { answeredBy } from '../resilience/resilient-adapter.js';
import type { ContextStore } from '../stores/context/context-store.js';
import type { ToolAccessRequest } from '../tool-loop/tool-access.js';
import {
  type ConfirmationView,
  type PendingResume,
  PRINCIPAL_BOUND_USER,
  type ToolCallView,
  type ToolLoop,
  type ToolLoopEvent,
  type ToolLoopOutcome,
} from '../tool-loop/tool-loop.js';
import type { ExecutedToolCall } from '../tool-loop/tool-runner.js';
import type { AskRequest } from './ask-request.js';
import type { AskAnswer } from './ask-response.js';

export type { AskAnswer } from './ask-response.js';

export type AskEvent =
  | { type: 'delta'; text: string }
  | { type: 'tool_call'; call: ToolCall | ToolCallView }
  | { type: 'tool_result'; call: ExecutedToolCall }
  | { type: 'confirmation'; confirmation: ConfirmationView }
  | { type: 'done'; answer: AskAnswer };

/** A validated /ask resolved to one provider call, ready to run. */
export interface PreparedAsk {
  adapter: ProviderAdapter;
  chat: ChatRequest;
  /** Id of the principal the credential maps to. */
  principal: string;
  userId?: string;
  /** The user turn remembered with the answer in the user's context. */
  userTurn?: string;
  /** The principal's roles and the request's context.tools: which MCP tools it may use. */
  access?: ToolAccessRequest;
  /**
   * Set when the request answers a pending confirmation instead of asking something new; `userId`
   * is the key it was held under (PRINCIPAL_BOUND_USER for one held by a compatible API).
   */
  resume?: { pending: PendingResume; approve: boolean; userId: string };
}

export interface AskServiceDeps {
  providers: ProviderRegistry;
  store: ContextStore;
  memoryMaxMessages: number;
  /** The MCP tool loop; absent (or without servers) means no tools. */
  tools?: ToolLoop;
}

/**
 * The conversation domain behind POST /ask: picks the provider, assembles the prompt from stored
 * and request context, runs the model (through the MCP tool loop when tools are configured) and
 * remembers the exchange.
 */
export class AskService {
  constructor(private readonly deps: AskServiceDeps) {}

  async prepare(request: AskRequest, principal: Principal, signal: AbortSignal): Promise<PreparedAsk> {
    if (request.user_id !== undefined)
      assertMayActFor(principal, request.user_id, unknownUser(request.user_id));
    if (request.confirm !== undefined)
      // The schema requires user_id with confirm.
      return this.#prepareResume(request.user_id as string, request.confirm, principal, signal);
    const { providers } = this.deps;
    const target = providers.resolveModel(request.provider, request.model);
    const providerName = target.provider ?? providers.defaultProvider;
    // Checked before the adapter exists: a refused provider is never contacted.
    if (isProviderName(providerName)) assertMayUse(principal, providerName, target.model);
    const adapter = providers.get(target.provider);
    const model = target.model ?? adapter.defaultModel;
    if (!model) {
      throw new RouterError(
        400,
        'model_required',
        `No model given and provider ${adapter.name} has no default model`,
        {
          provider: adapter.name,
        },
      );
    }
    const messages: ChatMessage[] =
      request.message !== undefined ? [{ role: 'user', content: request.message }] : (request.messages ?? []);
    const envelope = await this.#envelopeFor(request);
    const chat: ChatRequest = { model, messages: buildPrompt(envelope, messages), signal };
    if (request.temperature !== undefined) chat.temperature = request.temperature;
    if (request.max_tokens !== undefined) chat.maxTokens = request.max_tokens;
    const responseFormat = toResponseFormat(request.response_format);
    if (responseFormat) chat.responseFormat = responseFormat;
    if (target.model === undefined) assertMayUse(principal, adapter.name, model);
    const prepared: PreparedAsk = {
      adapter,
      chat,
      principal: principal.id,
      access: accessFrom(principal, envelope),
    };
    if (request.user_id !== undefined) {
      prepared.userId = request.user_id;
      prepared.userTurn = lastUserTurn(messages);
    }
    return prepared;
  }

  async answer(prepared: PreparedAsk, clock: RequestClock): Promise<AskAnswer> {
    if (!this.#usesTools(prepared)) {
      const result = await clock.timeUpstream(prepared.adapter.chat(prepared.chat));
      const answer = checkedAnswer(toAnswer(prepared.adapter.name, result, clock.elapsedMs()), prepared.chat);
      await this.#remember(prepared, result.content);
      return answer;
    }
    for await (const event of this.#loop(prepared, clock, false)) {
      if (event.type === 'done') return event.answer;
    }
    throw new ProviderError(prepared.adapter.name, 'upstream', 'The tool loop ended without an answer');
  }

  async *stream(prepared: PreparedAsk, clock: RequestClock): AsyncGenerator<AskEvent, void, undefined> {
    if (this.#usesTools(prepared)) {
      yield* this.#loop(prepared, clock, true);
      return;
    }
    for await (const event of clock.timeStream(prepared.adapter.stream(prepared.chat))) {
      if (event.type === 'text') {
        if (event.text) yield { type: 'delta', text: event.text };
      } else if (event.type === 'tool_call') {
        yield { type: 'tool_call', call: event.call };
      } else {
        const answer = checkedAnswer(
          toAnswer(prepared.adapter.name, event.result, clock.elapsedMs()),
          prepared.chat,
        );
        await this.#remember(prepared, event.result.content);
        yield { type: 'done', answer };
        return;
      }
    }
    throw new ProviderError(
      prepared.adapter.name,
      'upstream',
      'The stream ended before the answer was complete',
    );
  }

  #usesTools(prepared: PreparedAsk): boolean {
    return prepared.resume !== undefined || this.deps.tools?.hasServers === true;
  }

  /** Runs (or resumes) the tool loop and maps its events to /ask events. */
  async *#loop(
    prepared: PreparedAsk,
    clock: RequestClock,
    stream: boolean,
  ): AsyncGenerator<AskEvent, void, undefined> {
    const tools = this.deps.tools as ToolLoop;
    const events: AsyncIterable<ToolLoopEvent> = prepared.resume
      ? tools.resume(prepared.resume.pending, {
          adapter: prepared.adapter,
          approve: prepared.resume.approve,
          stream,
          userId: prepared.resume.userId,
          timer: clock,
          ...(prepared.chat.signal ? { signal: prepared.chat.signal } : {}),
        })
      : tools.run({
          adapter: prepared.adapter,
          chat: prepared.chat,
          stream,
          access: prepared.access ?? {},
          principal: prepared.principal,
          timer: clock,
          ...(prepared.userId !== undefined ? { userId: prepared.userId } : {}),
          ...(prepared.userTurn !== undefined ? { userTurn: prepared.userTurn } : {}),
        });
    try {
      for await (const event of events) {
        switch (event.type) {
          case 'delta':
            if (event.text) yield event;
            break;
          case 'tool_call':
          case 'tool_result':
          case 'confirmation':
            yield event;
            break;
          case 'done': {
            const { outcome } = event;
            const answer = checkedAnswer(
              loopAnswer(prepared.adapter.name, outcome, clock.elapsedMs()),
              prepared.chat,
            );
            if (outcome.finishReason !== 'confirmation_required') {
              await this.#remember(
                { ...prepared, userTurn: outcome.userTurn ?? prepared.userTurn },
                outcome.content,
                outcome.toolDerived,
              );
            }
            yield { type: 'done', answer };
            return;
          }
        }
      }
    } catch (error) {
      // A cancelled tool call means the client went away: report it like an aborted upstream.
      if (error instanceof McpCallError && error.kind === 'aborted') {
        throw new ProviderError(prepared.adapter.name, 'aborted', error.message, { cause: error });
      }
      throw error;
    }
  }

  /**
   * POST /v1/confirmations/{id}: the answer to any confirmation the principal may answer, held by
   * /ask (for a user it may act for) or by a compatible API (bound to the principal alone). The
   * continued conversation then runs exactly as /ask's confirm runs it.
   */
  async prepareConfirmation(
    confirm: { id: string; approve: boolean },
    principal: Principal,
    signal: AbortSignal,
  ): Promise<PreparedAsk> {
    const userId = await this.deps.tools?.pendingUser(confirm.id);
    if (userId === undefined) throw confirmationNotFound(confirm.id);
    return this.#prepareResume(userId, confirm, principal, signal);
  }

  async #prepareResume(
    userId: string,
    confirm: { id: string; approve: boolean },
    principal: Principal,
    signal: AbortSignal,
  ): Promise<PreparedAsk> {
    const lookup = this.deps.tools
      ? await this.deps.tools.takePending(confirm.id, { userId, principal, approve: confirm.approve })
      : ({ status: 'not_found' } as const);
    if (lookup.status === 'forbidden') throw new RouterError(403, 'approval_forbidden', lookup.message);
    if (lookup.status === 'not_found') throw confirmationNotFound(confirm.id);
    if (lookup.status === 'expired') {
      throw new RouterError(
        409,
        'confirmation_expired',
        `Confirmation ${confirm.id.slice(0, 200)} expired at ${lookup.expiredAt}; nothing was done. Ask again to start over.`,
      );
    }
    const { resume } = lookup;
    const adapter = this.deps.providers.get(resume.provider);
    const prepared: PreparedAsk = {
      adapter,
      chat: { model: resume.model, messages: [], signal },
      principal: resume.snapshot.principal,
      resume: { pending: resume, approve: confirm.approve, userId },
    };
    // A principal-bound confirmation has no user whose memory the answer would join.
    if (userId !== PRINCIPAL_BOUND_USER) prepared.userId = userId;
    return prepared;
  }

  async #envelopeFor(request: AskRequest): Promise<ContextEnvelope | undefined> {
    if (request.user_id === undefined) return request.context;
    const stored = await this.deps.store.get(request.user_id);
    const merged = mergeEnvelopes(stored, request.context ?? {});
    if (!merged.identity?.user_id) merged.identity = { ...merged.identity, user_id: request.user_id };
    return merged;
  }

  async #remember(prepared: PreparedAsk, content: string, toolDerived = false): Promise<void> {
    if (prepared.userId === undefined) return;
    const turns: PriorTurn[] = [];
    if (prepared.userTurn !== undefined) turns.push({ role: 'user', content: prepared.userTurn });
    // Stored turns must stay valid envelope content, so a GET can be PUT back unchanged.
    const answer: PriorTurn = { role: 'assistant', content: content.slice(0, MAX_MESSAGE_CHARS) };
    // An answer written after tool results may repeat their text: it is replayed as data, fenced.
    if (toolDerived) answer.provenance = 'tool_derived';
    turns.push(answer);
    await this.deps.store.appendMessages(prepared.userId, turns, this.deps.memoryMaxMessages);
  }
}

/** Roles from the credential only; context.identity.role is prompt text and never grants a tool. */
function accessFrom(principal: Principal, envelope: ContextEnvelope | undefined): ToolAccessRequest {
  const access: ToolAccessRequest = { roles: principal.roles };
  if (envelope?.tools !== undefined) access.tools = envelope.tools;
  return access;
}

/** One answer for unknown, already answered, and someone else's: nobody learns which. */
const confirmationNotFound = (id: string) =>
  new RouterError(
    404,
    'confirmation_not_found',
    `No pending confirmation ${id.slice(0, 200)}: it is unknown, was already answered, or belongs to another principal or user`,
  );

/** The same answer for a user id the principal may not act for as for one that has no data. */
export const unknownUser = (userId: string) => `No such user_id ${userId} for this principal`;

function lastUserTurn(messages: ChatMessage[]): string | undefined {
  for (let index = messages.length - 1; index >= 0; index--) {
    const message = messages[index];
    if (message?.role === 'user') return message.content;
  }
  return undefined;
}

/**
 * With response_format, the final answer is checked as /v1/chat/completions checks it (a 502 naming
 * the provider when it does not parse or match) and carries the JSON in `parsed`.
 */
function checkedAnswer(answer: AskAnswer, chat: ChatRequest): AskAnswer {
  const format = chat.responseFormat;
  if (!format || answer.finish_reason === 'confirmation_required' || answer.finish_reason === 'tool_calls')
    return answer;
  const checked = checkStructuredOutput(
    {
      model: answer.model,
      content: answer.content,
      toolCalls: [],
      finishReason: answer.finish_reason,
      usage: null,
    },
    format,
    answer.provider,
  );
  answer.parsed = checked.parsed;
  return answer;
}

/** The answer after a tool loop: the last model turn, with the loop's content, usage and calls. */
function loopAnswer(provider: string, outcome: ToolLoopOutcome, latencyMs: number): AskAnswer {
  // toAnswer on the model's own result keeps the answering provider after a fallback.
  const answer = toAnswer(provider, outcome.result, latencyMs);
  const usage = outcome.usage;
  answer.content = outcome.content;
  answer.message = { role: 'assistant', content: outcome.content };
  answer.finish_reason = outcome.finishReason;
  answer.tool_calls = outcome.toolCalls;
  if (outcome.clientToolCalls) {
    // After a yes on a compatible API the model may go on with the caller's own tools: requested only.
    answer.tool_calls = [
      ...outcome.toolCalls,
      ...outcome.clientToolCalls.map(({ id, name, arguments: args }) => ({ id, name, arguments: args })),
    ];
  }
  answer.usage = {
    input_tokens: usage?.inputTokens ?? null,
    output_tokens: usage?.outputTokens ?? null,
    total_tokens: usage?.totalTokens ?? null,
  };
  if (usage?.cachedInputTokens !== undefined) answer.usage.cached_input_tokens = usage.cachedInputTokens;
  if (outcome.confirmation) answer.confirmation = outcome.confirmation;
  return answer;
}

export function toAnswer(provider: string, result: ChatResult, latencyMs: number): AskAnswer {
  // After a fallback, another provider than the requested one answered: report that one.
  const who = answeredBy(result);
  const usage: AskAnswer['usage'] = {
    input_tokens: result.usage?.inputTokens ?? null,
    output_tokens: result.usage?.outputTokens ?? null,
    total_tokens: result.usage?.totalTokens ?? null,
  };
  if (result.usage?.cachedInputTokens !== undefined)
    usage.cached_input_tokens = result.usage.cachedInputTokens;
  return {
    id: result.id ?? `ask-${randomUUID()}`,
    // Adapters come from the registry, which builds them only for the provider names.
    provider: (who?.provider ?? provider) as ProviderName,
    model: result.model,
    content: result.content,
    message: { role: 'assistant', content: result.content },
    finish_reason: result.finishReason,
    tool_calls: result.toolCalls,
    usage,
    latency_ms: Math.round(latencyMs * 1000) / 1000,
    attempts: who?.attempts ?? 1,
  };
}
