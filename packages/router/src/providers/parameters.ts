/**
 * What each provider does with each Chat Completions parameter, declared once per provider (its
 * definition's `parameters`). The adapters refuse what their table refuses before contacting the
 * upstream, fallbacks skip a provider that would refuse, and the README's provider × parameter table
 * is generated from the same declarations (test/parameters-docs.test.ts keeps it current).
 */
import {
  type AdapterName,
  type ChatParameter,
  type ChatRequest,
  type ParameterSupport,
  type ParameterTable,
  ProviderError,
} from './model.js';

export type { ChatParameter, ParameterSupport, ParameterTable };

/** Whether a request sets the parameter (a value equal to the default counts as not set). */
const SETS: Record<ChatParameter, (request: ChatRequest) => string | undefined> = {
  temperature: (r) => (r.temperature !== undefined ? 'temperature' : undefined),
  max_tokens: (r) => (r.maxTokens !== undefined ? 'max_tokens' : undefined),
  tools: (r) => (r.tools?.length ? 'tools' : undefined),
  tool_choice: (r) => (r.toolChoice !== undefined ? 'tool_choice' : undefined),
  response_format: (r) => (r.responseFormat ? 'response_format' : undefined),
  stop: (r) => (r.stop?.length ? 'stop' : undefined),
  top_p: (r) => (r.topP !== undefined ? 'top_p' : undefined),
  seed: (r) => (r.seed !== undefined ? 'seed' : undefined),
  presence_penalty: (r) => (r.presencePenalty !== undefined ? 'presence_penalty' : undefined),
  frequency_penalty: (r) => (r.frequencyPenalty !== undefined ? 'frequency_penalty' : undefined),
  logit_bias: (r) => (r.logitBias && Object.keys(r.logitBias).length ? 'logit_bias' : undefined),
  logprobs: (r) => (r.logprobs ? 'logprobs' : undefined),
  top_logprobs: (r) => (r.topLogprobs !== undefined ? 'top_logprobs' : undefined),
  n: (r) => (r.n !== undefined && r.n !== 1 ? `n: ${r.n}` : undefined),
  parallel_tool_calls: (r) => (r.parallelToolCalls !== undefined ? 'parallel_tool_calls' : undefined),
  user: (r) => (r.user !== undefined ? 'user' : undefined),
  reasoning_effort: (r) => (r.reasoningEffort !== undefined ? 'reasoning_effort' : undefined),
  metadata: (r) => (r.metadata && Object.keys(r.metadata).length ? 'metadata' : undefined),
  service_tier: (r) => (r.serviceTier !== undefined ? 'service_tier' : undefined),
  // The router's own stream option: never sent as such, nothing to refuse.
  stream_options: () => undefined,
  pass_through: (r) => Object.keys(r.passThrough ?? {})[0],
};

/** Every parameter, in the order the README table lists them. */
export const CHAT_PARAMETERS = Object.keys(SETS) as ChatParameter[];

/** A parameter the provider cannot honour: a 400 naming the parameter and the provider. */
export class UnsupportedParameterError extends ProviderError {
  constructor(
    provider: AdapterName,
    readonly parameter: string,
    phrase: string,
    note: string | undefined,
  ) {
    super(provider, 'bad_request', `${phrase} is not supported by ${provider}${note ? ` (${note})` : ''}`, {
      type: 'unsupported_parameter',
      retryable: false,
    });
  }
}

/** The first parameter of `request` the table refuses, as the error to throw; undefined when none. */
export function unsupportedParameter(
  provider: AdapterName,
  table: ParameterTable,
  request: ChatRequest,
): UnsupportedParameterError | undefined {
  for (const parameter of CHAT_PARAMETERS) {
    const set = SETS[parameter](request);
    if (set === undefined) continue;
    const support = table[parameter];
    if (support.support === 'refused') {
      // A pass-through field is named itself: it is what the caller wrote.
      const name = parameter === 'pass_through' ? set : parameter;
      return new UnsupportedParameterError(provider, name, set, support.note);
    }
    const phrase = support.refuses?.(request);
    if (phrase !== undefined) return new UnsupportedParameterError(provider, parameter, phrase, support.note);
  }
  return undefined;
}

export function assertParametersSupported(
  provider: AdapterName,
  table: ParameterTable,
  request: ChatRequest,
): void {
  const error = unsupportedParameter(provider, table, request);
  if (error) throw error;
}

const passed = (note?: string): ParameterSupport => ({ support: 'passed', ...(note && { note }) });
const mapped = (note: string, refuses?: ParameterSupport['refuses']): ParameterSupport => ({
  support: 'mapped',
  note,
  ...(refuses && { refuses }),
});
const refused = (note?: string): ParameterSupport => ({ support: 'refused', ...(note && { note }) });

export const parameterSupport = { passed, mapped, refused };

const oneChoice = refused('the router returns one choice; n: 1 is accepted');

/**
 * The Chat Completions table of an upstream that speaks it: everything passes unchanged unless a
 * provider overrides it. Pass-through fields are sent only when the operator allows them
 * (ROUTER_PASS_THROUGH_FIELDS).
 */
export function openAiCompatibleParameters(overrides: Partial<ParameterTable> = {}): ParameterTable {
  return {
    temperature: passed(),
    max_tokens: mapped('max_completion_tokens (max_tokens is accepted as its older name)'),
    tools: passed(),
    tool_choice: passed(),
    response_format: passed('json_schema with strict, unchanged'),
    stop: passed(),
    top_p: passed(),
    seed: passed(),
    presence_penalty: passed(),
    frequency_penalty: passed(),
    logit_bias: passed(),
    logprobs: passed('returned in choices[].logprobs'),
    top_logprobs: passed(),
    n: oneChoice,
    parallel_tool_calls: passed(),
    user: passed(),
    reasoning_effort: passed(),
    metadata: passed(),
    service_tier: passed(),
    stream_options: mapped('the router asks the upstream for usage; include_usage adds the usage chunk'),
    pass_through: passed('only the fields named in ROUTER_PASS_THROUGH_FIELDS'),
    ...overrides,
  };
}
