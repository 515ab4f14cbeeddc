import { z } from 'zod';
import { baseUrl, defineProvider } from '../definition.js';
import { parameterSupport } from '../parameters.js';
import { OllamaAdapter } from './adapter.js';

const { mapped, refused } = parameterSupport;

export const ollama = defineProvider({
  name: 'ollama',
  env: {
    OLLAMA_HOST: baseUrl('http://localhost:11434').describe('Ollama server URL (native API, no auth).'),
    OLLAMA_MODEL: z.string().min(1).default('llama3.2').describe('Default Ollama model.'),
  },
  required: [],
  chosenBy: ['OLLAMA_HOST', 'OLLAMA_MODEL'],
  parameters: {
    temperature: mapped('options.temperature'),
    max_tokens: mapped('options.num_predict'),
    tools: mapped(
      'tools (Ollama function tools); strict is refused: Ollama cannot hold arguments to the schema',
      (request) => (request.tools?.some((tool) => tool.strict) ? 'tools[].function.strict' : undefined),
    ),
    tool_choice: mapped('auto; none leaves the tools out; Ollama cannot force a tool', (request) =>
      request.toolChoice === 'required' || typeof request.toolChoice === 'object'
        ? `tool_choice: ${typeof request.toolChoice === 'object' ? 'a named function' : 'required'}`
        : undefined,
    ),
    response_format: mapped('format: the JSON schema, or "json" for json_object'),
    stop: mapped('options.stop'),
    top_p: mapped('options.top_p'),
    seed: mapped('options.seed'),
    presence_penalty: mapped('options.presence_penalty'),
    frequency_penalty: mapped('options.frequency_penalty'),
    logit_bias: refused('Ollama has no logit bias'),
    logprobs: refused('the router does not read Ollama log probabilities'),
    top_logprobs: refused('the router does not read Ollama log probabilities'),
    n: refused('the router returns one choice; n: 1 is accepted'),
    parallel_tool_calls: mapped('true is what Ollama does; false cannot be asked for', (request) =>
      request.parallelToolCalls === false ? 'parallel_tool_calls: false' : undefined,
    ),
    user: refused('Ollama has no end-user field'),
    reasoning_effort: mapped('think: false for none, else "low", "medium" or "high"'),
    metadata: refused('Ollama has no request metadata'),
    service_tier: refused('Ollama has no service tiers'),
    stream_options: mapped('the router reads usage from the done line; include_usage adds the usage chunk'),
    pass_through: refused('pass-through goes to OpenAI-compatible upstreams only'),
  },
  defaultModel: (settings) => settings.OLLAMA_MODEL,
  create: (settings, { timeouts, secrets, parameters }) =>
    new OllamaAdapter({
      host: settings.OLLAMA_HOST,
      defaultModel: settings.OLLAMA_MODEL,
      timeouts,
      secrets,
      parameters,
    }),
});
