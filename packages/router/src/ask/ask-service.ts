import { randomUUID } from 'node:crypto';
import { type ContextEnvelope, MAX_MESSAGE_CHARS, type PriorTurn } from '../context/envelope.js';
import { mergeEnvelopes } from '../context/merge.js';
import { buildPrompt } from '../context/prompt.js';
import type { ContextStore } from '../context-store/context-store.js';
import { RouterError } from '../errors.js';
import type { ProviderRegistry } from '../provider-registry.js';
import {
  type ChatMessage,
  type ChatRequest,
  type ChatResult,
  type FinishReason,
  type ProviderAdapter,
  ProviderError,
  type ToolCall,
} from '../providers/types.js';
import type { RequestClock } from '../request-clock.js';
import { answeredBy } from '../resilience/resilient-adapter.js';
import type { AskRequest } from './ask-request.js';

/** The /ask answer; the same shape whichever provider answered. */
export interface AskAnswer {
  id: string;
  provider: string;
  model: string;
  content: string;
  message: { role: 'assistant'; content: string };
  finish_reason: FinishReason;
  tool_calls: ToolCall[];
  usage: {
    input_tokens: number | null;
    output_tokens: number | null;
    total_tokens: number | null;
    cached_input_tokens?: number;
  };
  latency_ms: number;
  /** Upstream calls made for this answer (retries and fallbacks included). */
  attempts: number;
}

export type AskEvent =
  | { type: 'delta'; text: string }
  | { type: 'tool_call'; call: ToolCall }
  | { type: 'done'; answer: AskAnswer };

/** A validated /ask resolved to one provider call, ready to run. */
export interface PreparedAsk {
  adapter: ProviderAdapter;
  chat: ChatRequest;
  userId?: string;
  /** The user turn remembered with the answer in the user's context. */
  userTurn?: string;
}

export interface AskServiceDeps {
  providers: ProviderRegistry;
  store: ContextStore;
  memoryMaxMessages: number;
}

/**
 * The conversation domain behind POST /ask: picks the provider, assembles the prompt from stored
 * and request context, runs the model and remembers the exchange. The MCP tool loop belongs here,
 * between `prepare` and the answer, without the HTTP layer changing.
 */
export class AskService {
  constructor(private readonly deps: AskServiceDeps) {}

  async prepare(request: AskRequest, signal: AbortSignal): Promise<PreparedAsk> {
    const { providers } = this.deps;
    const target = providers.resolveModel(request.provider, request.model);
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
    const prepared: PreparedAsk = { adapter, chat };
    if (request.user_id !== undefined) {
      prepared.userId = request.user_id;
      prepared.userTurn = lastUserTurn(messages);
    }
    return prepared;
  }

  async answer(prepared: PreparedAsk, clock: RequestClock): Promise<AskAnswer> {
    const result = await clock.timeUpstream(prepared.adapter.chat(prepared.chat));
    await this.#remember(prepared, result);
    return toAnswer(prepared.adapter.name, result, clock.elapsedMs());
  }

  async *stream(prepared: PreparedAsk, clock: RequestClock): AsyncGenerator<AskEvent, void, undefined> {
    for await (const event of clock.timeStream(prepared.adapter.stream(prepared.chat))) {
      if (event.type === 'text') {
        if (event.text) yield { type: 'delta', text: event.text };
      } else if (event.type === 'tool_call') {
        yield { type: 'tool_call', call: event.call };
      } else {
        await this.#remember(prepared, event.result);
        yield { type: 'done', answer: toAnswer(prepared.adapter.name, event.result, clock.elapsedMs()) };
        return;
      }
    }
    throw new ProviderError(
      prepared.adapter.name,
      'upstream',
      'The stream ended before the answer was complete',
    );
  }

  async #envelopeFor(request: AskRequest): Promise<ContextEnvelope | undefined> {
    if (request.user_id === undefined) return request.context;
    const stored = await this.deps.store.get(request.user_id);
    const merged = mergeEnvelopes(stored, request.context ?? {});
    if (!merged.identity?.user_id) merged.identity = { ...merged.identity, user_id: request.user_id };
    return merged;
  }

  async #remember(prepared: PreparedAsk, result: ChatResult): Promise<void> {
    if (prepared.userId === undefined) return;
    const turns: PriorTurn[] = [];
    if (prepared.userTurn !== undefined) turns.push({ role: 'user', content: prepared.userTurn });
    // Stored turns must stay valid envelope content, so a GET can be PUT back unchanged.
    turns.push({ role: 'assistant', content: result.content.slice(0, MAX_MESSAGE_CHARS) });
    await this.deps.store.appendMessages(prepared.userId, turns, this.deps.memoryMaxMessages);
  }
}

function lastUserTurn(messages: ChatMessage[]): string | undefined {
  for (let index = messages.length - 1; index >= 0; index--) {
    const message = messages[index];
    if (message?.role === 'user') return message.content;
  }
  return undefined;
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
    provider: who?.provider ?? provider,
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
