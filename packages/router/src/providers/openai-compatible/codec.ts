/**
 * The OpenAI chat-completions wire format, shared by every provider that speaks it (OpenAI, Azure,
 * OpenRouter, LM Studio): request mapping, response mapping and assembly of streamed chunks.
 */

import type {
  ChatChoice,
  ChatMessage,
  ChatRequest,
  ChatResult,
  FinishReason,
  StreamEvent,
  ToolCall,
  Usage,
} from '../model.js';
import { generatedToolCallId, toolArgumentsFrom } from '../tool-arguments.js';

export interface WireRequestOptions {
  model: string;
  stream: boolean;
  /** Ask for the usage-only final chunk (`stream_options.include_usage`); LM Studio lacks it. */
  includeStreamUsage: boolean;
  /** `max_completion_tokens` for OpenAI/Azure (o-series reject `max_tokens`), `max_tokens` elsewhere. */
  maxTokensField: 'max_tokens' | 'max_completion_tokens';
  /** LM Studio has no `json_object`: it gets a json_schema that any object matches. */
  jsonObject: 'json_object' | 'object_schema';
  /** OpenRouter nests the effort in `reasoning`; the others take top-level `reasoning_effort`. */
  reasoningEffort: 'reasoning_effort' | 'reasoning.effort';
}

function wireMessage(message: ChatMessage): Record<string, unknown> {
  switch (message.role) {
    case 'system':
    case 'user':
      return { role: message.role, content: message.content };
    case 'assistant': {
      if (!message.toolCalls?.length) return { role: 'assistant', content: message.content };
      return {
        role: 'assistant',
        content: message.content === '' ? null : message.content,
        tool_calls: message.toolCalls.map((call) => ({
          id: call.id,
          type: 'function',
          function: { name: call.name, arguments: JSON.stringify(call.arguments) },
        })),
      };
    }
    case 'tool':
      return { role: 'tool', tool_call_id: message.toolCallId, content: message.content };
  }
}

export function toWireRequest(request: ChatRequest, options: WireRequestOptions): Record<string, unknown> {
  const body: Record<string, unknown> = {
    // Operator-allowed fields first, so a modelled field of the same name always wins.
    ...request.passThrough,
    model: options.model,
    messages: request.messages.map(wireMessage),
  };
  if (request.tools?.length) {
    body.tools = request.tools.map((tool) => ({
      type: 'function',
      function: {
        name: tool.name,
        description: tool.description,
        parameters: tool.inputSchema,
        ...(tool.strict !== undefined && { strict: tool.strict }),
      },
    }));
    if (request.parallelToolCalls !== undefined) body.parallel_tool_calls = request.parallelToolCalls;
    if (request.toolChoice)
      body.tool_choice =
        typeof request.toolChoice === 'object'
          ? { type: 'function', function: { name: request.toolChoice.name } }
          : request.toolChoice;
  }
  const format = request.responseFormat;
  if (format?.type === 'json_schema') {
    body.response_format = {
      type: 'json_schema',
      json_schema: {
        name: format.name ?? 'response',
        ...(format.description !== undefined && { description: format.description }),
        schema: format.schema,
        ...(format.strict !== undefined && { strict: format.strict }),
      },
    };
  } else if (format) {
    body.response_format =
      options.jsonObject === 'json_object'
        ? { type: 'json_object' }
        : { type: 'json_schema', json_schema: { name: 'json_object', schema: { type: 'object' } } };
  }
  if (request.temperature !== undefined) body.temperature = request.temperature;
  if (request.maxTokens !== undefined) body[options.maxTokensField] = request.maxTokens;
  if (request.stop?.length) body.stop = request.stop;
  if (request.topP !== undefined) body.top_p = request.topP;
  if (request.seed !== undefined) body.seed = request.seed;
  if (request.presencePenalty !== undefined) body.presence_penalty = request.presencePenalty;
  if (request.frequencyPenalty !== undefined) body.frequency_penalty = request.frequencyPenalty;
  if (request.logitBias) body.logit_bias = request.logitBias;
  if (request.logprobs !== undefined) body.logprobs = request.logprobs;
  if (request.topLogprobs !== undefined) body.top_logprobs = request.topLogprobs;
  if (request.n !== undefined) body.n = request.n;
  if (request.user !== undefined) body.user = request.user;
  if (request.reasoningEffort !== undefined) {
    if (options.reasoningEffort === 'reasoning.effort') body.reasoning = { effort: request.reasoningEffort };
    else body.reasoning_effort = request.reasoningEffort;
  }
  if (request.metadata) body.metadata = request.metadata;
  if (request.serviceTier !== undefined) body.service_tier = request.serviceTier;
  body.stream = options.stream;
  if (options.stream && options.includeStreamUsage) body.stream_options = { include_usage: true };
  return body;
}

export function finishReasonFrom(wire: unknown, hasToolCalls: boolean): FinishReason {
  switch (wire) {
    case 'length':
      return 'length';
    case 'tool_calls':
    case 'function_call':
      return 'tool_calls';
    case 'content_filter':
      return 'content_filter';
    default:
      // Some OpenAI-compatible servers answer tool calls with finish_reason "stop".
      return hasToolCalls ? 'tool_calls' : 'stop';
  }
}

interface WireUsage {
  prompt_tokens?: number;
  completion_tokens?: number;
  total_tokens?: number;
  prompt_tokens_details?: { cached_tokens?: number } | null;
}

export function usageFrom(wire: unknown): Usage | null {
  if (!wire || typeof wire !== 'object') return null;
  const u = wire as WireUsage;
  if (typeof u.prompt_tokens !== 'number' && typeof u.completion_tokens !== 'number') return null;
  const inputTokens = u.prompt_tokens ?? 0;
  const outputTokens = u.completion_tokens ?? 0;
  const usage: Usage = {
    inputTokens,
    outputTokens,
    totalTokens: typeof u.total_tokens === 'number' ? u.total_tokens : inputTokens + outputTokens,
  };
  const cached = u.prompt_tokens_details?.cached_tokens;
  if (typeof cached === 'number') usage.cachedInputTokens = cached;
  return usage;
}

interface WireToolCall {
  index?: number;
  id?: string;
  type?: string;
  function?: { name?: string; arguments?: unknown };
}

interface WireChoice {
  logprobs?: { content?: unknown[] | null; refusal?: unknown[] | null } | null;
  message?: { content?: string | null; tool_calls?: WireToolCall[] | null };
  delta?: { content?: string | null; tool_calls?: WireToolCall[] | null };
  finish_reason?: string | null;
}

interface WireCompletion {
  id?: string;
  model?: string;
  choices?: WireChoice[];
  usage?: unknown;
}

function choiceFrom(choice: WireChoice | undefined): ChatChoice {
  const toolCalls: ToolCall[] = (choice?.message?.tool_calls ?? []).map((call) => ({
    id: call.id || generatedToolCallId(),
    name: call.function?.name ?? '',
    arguments: toolArgumentsFrom(call.function?.arguments),
  }));
  return {
    content: choice?.message?.content ?? '',
    toolCalls,
    finishReason: finishReasonFrom(choice?.finish_reason, toolCalls.length > 0),
    ...(choice?.logprobs && {
      logprobs: { content: choice.logprobs.content ?? null, refusal: choice.logprobs.refusal ?? null },
    }),
  };
}

export function fromWireResponse(wire: unknown, requestedModel: string): ChatResult {
  const completion = (wire ?? {}) as WireCompletion;
  const [first, ...more] = completion.choices ?? [];
  return {
    ...(completion.id !== undefined && { id: completion.id }),
    model: completion.model ?? requestedModel,
    ...choiceFrom(first),
    usage: usageFrom(completion.usage),
    ...(more.length > 0 && { moreChoices: more.map(choiceFrom) }),
  };
}

interface PartialToolCall {
  id: string;
  name: string;
  arguments: string;
}

/**
 * Assembles `chat.completion.chunk`s. Tool-call fragments are keyed by their `index`, so parallel
 * calls stay separate however their fragments interleave; calls are emitted once the choice
 * finishes. Chunks with `choices: []` (the usage-only final chunk, Azure's prompt-filter chunk) are
 * read for usage only.
 */
export class ChatChunkAssembler {
  private id: string | undefined;
  private model: string;
  private content = '';
  private readonly partialCalls = new Map<number, PartialToolCall>();
  private readonly finishedCalls: ToolCall[] = [];
  private wireFinishReason: string | undefined;
  private usage: Usage | null = null;
  /** Streamed log probabilities, concatenated over the chunks; null until one arrives. */
  private logprobs: unknown[] | null = null;

  constructor(requestedModel: string) {
    this.model = requestedModel;
  }

  get finished(): boolean {
    return this.wireFinishReason !== undefined;
  }

  push(chunk: unknown): StreamEvent[] {
    const c = (chunk ?? {}) as WireCompletion;
    if (c.id) this.id = c.id;
    if (c.model) this.model = c.model;
    const usage = usageFrom(c.usage);
    if (usage) this.usage = usage;
    const events: StreamEvent[] = [];
    const choice = c.choices?.[0];
    if (!choice) return events;
    if (choice.logprobs?.content) this.logprobs = [...(this.logprobs ?? []), ...choice.logprobs.content];
    const delta = choice.delta ?? choice.message;
    if (delta?.content) {
      this.content += delta.content;
      events.push({ type: 'text', text: delta.content });
    }
    for (const fragment of delta?.tool_calls ?? []) {
      const index = fragment.index ?? 0;
      let partial = this.partialCalls.get(index);
      if (!partial) {
        partial = { id: '', name: '', arguments: '' };
        this.partialCalls.set(index, partial);
      }
      if (fragment.id) partial.id = fragment.id;
      if (fragment.function?.name) partial.name += fragment.function.name;
      const args = fragment.function?.arguments;
      if (typeof args === 'string') partial.arguments += args;
      else if (args && typeof args === 'object') partial.arguments += JSON.stringify(args);
    }
    if (choice.finish_reason) {
      this.wireFinishReason = choice.finish_reason;
      events.push(...this.flushToolCalls());
    }
    return events;
  }

  private flushToolCalls(): StreamEvent[] {
    const indexes = [...this.partialCalls.keys()].sort((a, b) => a - b);
    const events: StreamEvent[] = [];
    for (const index of indexes) {
      const partial = this.partialCalls.get(index)!;
      const call: ToolCall = {
        id: partial.id || generatedToolCallId(),
        name: partial.name,
        arguments: toolArgumentsFrom(partial.arguments),
      };
      this.finishedCalls.push(call);
      events.push({ type: 'tool_call', call });
    }
    this.partialCalls.clear();
    return events;
  }

  /** The final result; tool calls still pending (no finish_reason seen) are flushed first. */
  finish(): { events: StreamEvent[]; result: ChatResult } {
    const events = this.flushToolCalls();
    const result: ChatResult = {
      ...(this.id !== undefined && { id: this.id }),
      model: this.model,
      content: this.content,
      toolCalls: [...this.finishedCalls],
      finishReason: finishReasonFrom(this.wireFinishReason, this.finishedCalls.length > 0),
      usage: this.usage,
      ...(this.logprobs && { logprobs: { content: this.logprobs, refusal: null } }),
    };
    return { events, result };
  }
}
