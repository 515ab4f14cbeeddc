import { z } from 'zod';
import { baseUrl, defineProvider, secretVariable } from '../definition.js';
import { parameterSupport } from '../parameters.js';
import { AnthropicAdapter } from './adapter.js';
import { SERVICE_TIERS } from './codec.js';

const { passed, mapped, refused } = parameterSupport;

/** `claude-3*`-style globs, comma separated; `*` matches any run of characters. */
function globList(patterns: string): (model: string) => boolean {
  const regexes = patterns
    .split(',')
    .map((pattern) => pattern.trim())
    .filter(Boolean)
    .map(
      (pattern) =>
        new RegExp(
          `^${pattern
            .split('*')
            .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
            .join('.*')}$`,
        ),
    );
  return (model) => regexes.some((regex) => regex.test(model));
}

export const anthropic = defineProvider({
  name: 'anthropic',
  env: {
    ANTHROPIC_API_KEY: secretVariable('Anthropic API key (x-api-key). Required for the anthropic provider.'),
    ANTHROPIC_BASE_URL: baseUrl('https://api.anthropic.com').describe(
      'Anthropic API base URL, without /v1 (the adapter appends /v1/messages).',
    ),
    ANTHROPIC_MODEL: z.string().min(1).default('claude-sonnet-4-5').describe('Default Anthropic model.'),
    ANTHROPIC_STRUCTURED_OUTPUT_TOOL_MODELS: z
      .string()
      .default('claude-3*')
      .describe(
        'Models (comma-separated globs) without output_config.format: a structured answer (response_format json_schema) is asked of them as one forced tool call whose input schema is the requested schema, and the call is turned back into the message content. Other models get output_config.format. "*" forces the tool everywhere; empty never.',
      ),
  },
  required: ['ANTHROPIC_API_KEY'],
  parameters: {
    temperature: passed('Anthropic accepts 0 to 1'),
    max_tokens: mapped('max_tokens (required by Anthropic: 4096 when unset)'),
    tools: mapped('tools[].input_schema; strict passed'),
    tool_choice: mapped('auto, any (required), none, {type:"tool",name}'),
    response_format: mapped(
      'json_schema: output_config.format, or a forced tool on ANTHROPIC_STRUCTURED_OUTPUT_TOOL_MODELS; json_object: a forced tool',
    ),
    stop: mapped('stop_sequences'),
    top_p: passed(),
    seed: refused('Anthropic has no seed'),
    presence_penalty: refused('Anthropic has no presence penalty'),
    frequency_penalty: refused('Anthropic has no frequency penalty'),
    logit_bias: refused('Anthropic has no logit bias'),
    logprobs: refused('Anthropic returns no log probabilities'),
    top_logprobs: refused('Anthropic returns no log probabilities'),
    n: refused('the router returns one choice; n: 1 is accepted'),
    parallel_tool_calls: mapped('false: tool_choice.disable_parallel_tool_use'),
    user: mapped('metadata.user_id'),
    reasoning_effort: refused('use thinking through /v1/messages'),
    metadata: refused('Anthropic metadata holds only user_id, set from user'),
    service_tier: mapped('auto: auto, default: standard_only; other tiers refused', (request) =>
      request.serviceTier !== undefined && !(request.serviceTier in SERVICE_TIERS)
        ? `service_tier: ${request.serviceTier}`
        : undefined,
    ),
    stream_options: mapped('the router reads usage from message_delta; include_usage adds the usage chunk'),
    pass_through: refused('pass-through goes to OpenAI-compatible upstreams only'),
  },
  defaultModel: (settings) => settings.ANTHROPIC_MODEL,
  create: (settings, { timeouts, secrets, parameters }) => {
    const toolModels = globList(settings.ANTHROPIC_STRUCTURED_OUTPUT_TOOL_MODELS);
    return new AnthropicAdapter({
      apiKey: settings.ANTHROPIC_API_KEY,
      baseUrl: settings.ANTHROPIC_BASE_URL,
      defaultModel: settings.ANTHROPIC_MODEL,
      timeouts,
      secrets,
      parameters,
      structuredOutput: (model) => (toolModels(model) ? 'tool' : 'native'),
    });
  },
});
