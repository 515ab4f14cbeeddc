/**
 * Every Chat Completions parameter, on every provider: it reaches the provider's fake in that
 * provider's terms, or the router answers 400 naming the parameter and the provider (and the
 * upstream is never called). The rows come from the providers' declarations (the README table's
 * source), but the wire form each provider must receive is written out here, so a codec that drops
 * or misnames a field fails, and so does a declaration that drifts from the codec.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRouter } from '../src/index.js';
import { PROVIDERS } from '../src/providers/index.js';
import { CHAT_PARAMETERS, type ChatParameter } from '../src/providers/parameters.js';
import { PROVIDER_NAMES, type ProviderName } from '../src/providers/types.js';
import { startAllFakes } from './support/fake-upstreams.js';

let upstreams: Awaited<ReturnType<typeof startAllFakes>>;
let router: Awaited<ReturnType<typeof startRouter>>;

beforeAll(async () => {
  upstreams = await startAllFakes();
  for (const fake of Object.values(upstreams.fakes)) fake.setScript(() => ({ json: { balance: 1 } }));
  router = await startRouter({
    env: {
      ...upstreams.env,
      LLM_PROVIDER: 'openai',
      LLM_MAX_RETRIES: '0',
      ROUTER_PASS_THROUGH_FIELDS: 'store,prediction',
    },
    port: 0,
    logger: false,
  });
});
afterAll(async () => {
  await router?.close();
  await upstreams?.close();
});

const MODELS: Record<ProviderName, string> = {
  openai: 'openai/gpt-fake',
  anthropic: 'anthropic/claude-fake',
  azure: 'azure/my-gpt4o-deployment',
  openrouter: 'openrouter/openai/gpt-fake',
  ollama: 'ollama/llama3.2',
  lmstudio: 'lmstudio/qwen-fake',
};

const schema = {
  type: 'object',
  properties: { balance: { type: 'number' } },
  required: ['balance'],
  additionalProperties: false,
};
const weather = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Weather for a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } } },
  },
};

const REFUSED = 'refused' as const;
type Expected = Record<string, unknown> | typeof REFUSED;
interface Case {
  /** The row of the declaration this case exercises. */
  parameter: ChatParameter;
  label: string;
  body: Record<string, unknown>;
  wire: Record<ProviderName, Expected>;
  /** The parameter's default value: accepted even where the parameter is refused. */
  isDefault?: true;
  /** What a refusal names, when not the parameter itself. */
  refusedAs?: string;
  /** Checks on the router's answer, beyond a 200. */
  answer?: (provider: ProviderName, answer: Record<string, unknown>) => void;
}

/** The same expectation for the four Chat Completions upstreams. */
const compatible = (wire: Expected) => ({ openai: wire, azure: wire, openrouter: wire, lmstudio: wire });

const CASES: Case[] = [
  {
    parameter: 'temperature',
    label: 'temperature',
    body: { temperature: 0.3 },
    wire: {
      ...compatible({ temperature: 0.3 }),
      anthropic: { temperature: 0.3 },
      ollama: { options: { temperature: 0.3 } },
    },
  },
  {
    parameter: 'max_tokens',
    label: 'max_completion_tokens',
    body: { max_completion_tokens: 50 },
    wire: {
      openai: { max_completion_tokens: 50 },
      azure: { max_completion_tokens: 50 },
      openrouter: { max_tokens: 50 },
      lmstudio: { max_tokens: 50 },
      anthropic: { max_tokens: 50 },
      ollama: { options: { num_predict: 50 } },
    },
  },
  {
    parameter: 'tools',
    label: 'tools with strict',
    refusedAs: 'tools[].function.strict',
    body: { tools: [{ ...weather, function: { ...weather.function, strict: true } }] },
    wire: {
      ...compatible({
        tools: [
          {
            type: 'function',
            function: { name: 'get_weather', parameters: weather.function.parameters, strict: true },
          },
        ],
      }),
      anthropic: {
        tools: [{ name: 'get_weather', input_schema: weather.function.parameters, strict: true }],
      },
      // Ollama cannot enforce a tool schema: strict is refused there (see the next case).
      ollama: REFUSED,
    },
  },
  {
    parameter: 'tools',
    label: 'tools',
    body: { tools: [weather] },
    wire: {
      ...compatible({ tools: [{ type: 'function', function: { name: 'get_weather' } }] }),
      anthropic: { tools: [{ name: 'get_weather', input_schema: weather.function.parameters }] },
      ollama: { tools: [{ type: 'function', function: { name: 'get_weather' } }] },
    },
  },
  {
    parameter: 'tool_choice',
    label: 'tool_choice named function',
    body: { tools: [weather], tool_choice: { type: 'function', function: { name: 'get_weather' } } },
    wire: {
      ...compatible({ tool_choice: { type: 'function', function: { name: 'get_weather' } } }),
      anthropic: { tool_choice: { type: 'tool', name: 'get_weather' } },
      ollama: REFUSED,
    },
  },
  {
    parameter: 'tool_choice',
    label: 'tool_choice required',
    body: { tools: [weather], tool_choice: 'required' },
    wire: {
      ...compatible({ tool_choice: 'required' }),
      anthropic: { tool_choice: { type: 'any' } },
      ollama: REFUSED,
    },
  },
  {
    parameter: 'tool_choice',
    label: 'tool_choice allowed_tools',
    body: {
      tools: [weather, { type: 'function', function: { name: 'get_time', parameters: { type: 'object' } } }],
      tool_choice: {
        type: 'allowed_tools',
        allowed_tools: { mode: 'auto', tools: [{ type: 'function', function: { name: 'get_time' } }] },
      },
    },
    wire: {
      ...compatible({ tools: [{ function: { name: 'get_time' } }], tool_choice: 'auto' }),
      anthropic: { tools: [{ name: 'get_time' }], tool_choice: { type: 'auto' } },
      ollama: { tools: [{ function: { name: 'get_time' } }] },
    },
  },
  {
    parameter: 'response_format',
    label: 'response_format json_schema strict',
    body: {
      response_format: { type: 'json_schema', json_schema: { name: 'balance', schema, strict: true } },
    },
    wire: {
      ...compatible({
        response_format: { type: 'json_schema', json_schema: { name: 'balance', schema, strict: true } },
      }),
      anthropic: { output_config: { format: { type: 'json_schema', schema } } },
      ollama: { format: schema },
    },
  },
  {
    parameter: 'response_format',
    label: 'response_format json_object',
    body: { response_format: { type: 'json_object' } },
    wire: {
      openai: { response_format: { type: 'json_object' } },
      azure: { response_format: { type: 'json_object' } },
      openrouter: { response_format: { type: 'json_object' } },
      lmstudio: { response_format: { type: 'json_schema', json_schema: { schema: { type: 'object' } } } },
      anthropic: {
        tools: [{ name: 'structured_output' }],
        tool_choice: { type: 'tool', name: 'structured_output' },
      },
      ollama: { format: 'json' },
    },
  },
  {
    parameter: 'stop',
    label: 'stop (a string)',
    body: { stop: 'END' },
    wire: {
      ...compatible({ stop: ['END'] }),
      anthropic: { stop_sequences: ['END'] },
      ollama: { options: { stop: ['END'] } },
    },
  },
  {
    parameter: 'top_p',
    label: 'top_p',
    body: { top_p: 0.9 },
    wire: { ...compatible({ top_p: 0.9 }), anthropic: { top_p: 0.9 }, ollama: { options: { top_p: 0.9 } } },
  },
  {
    parameter: 'seed',
    label: 'seed',
    body: { seed: 7 },
    wire: { ...compatible({ seed: 7 }), anthropic: REFUSED, ollama: { options: { seed: 7 } } },
  },
  {
    parameter: 'presence_penalty',
    label: 'presence_penalty',
    body: { presence_penalty: 0.5 },
    wire: {
      ...compatible({ presence_penalty: 0.5 }),
      anthropic: REFUSED,
      ollama: { options: { presence_penalty: 0.5 } },
    },
  },
  {
    parameter: 'frequency_penalty',
    label: 'frequency_penalty',
    body: { frequency_penalty: -0.5 },
    wire: {
      ...compatible({ frequency_penalty: -0.5 }),
      anthropic: REFUSED,
      ollama: { options: { frequency_penalty: -0.5 } },
    },
  },
  {
    parameter: 'logit_bias',
    label: 'logit_bias',
    body: { logit_bias: { '50256': -100 } },
    wire: { ...compatible({ logit_bias: { '50256': -100 } }), anthropic: REFUSED, ollama: REFUSED },
  },
  {
    parameter: 'logprobs',
    label: 'logprobs',
    body: { logprobs: true },
    wire: {
      openai: { logprobs: true },
      azure: { logprobs: true },
      openrouter: { logprobs: true },
      lmstudio: REFUSED,
      anthropic: REFUSED,
      ollama: REFUSED,
    },
    answer: (_, answer) => {
      const choice = (answer.choices as { logprobs: { content: { token: string }[] } }[])[0]!;
      expect(choice.logprobs.content.map((entry) => entry.token).join('')).toBe('{"balance":1}');
    },
  },
  {
    parameter: 'top_logprobs',
    label: 'top_logprobs',
    body: { logprobs: true, top_logprobs: 2 },
    // top_logprobs needs logprobs, which is refused first.
    refusedAs: 'logprobs',
    wire: {
      openai: { logprobs: true, top_logprobs: 2 },
      azure: { logprobs: true, top_logprobs: 2 },
      openrouter: { logprobs: true, top_logprobs: 2 },
      lmstudio: REFUSED,
      anthropic: REFUSED,
      ollama: REFUSED,
    },
    answer: (_, answer) => {
      const choice = (answer.choices as { logprobs: { content: { top_logprobs: unknown[] }[] } }[])[0]!;
      expect(choice.logprobs.content[0]?.top_logprobs).toHaveLength(2);
    },
  },
  {
    parameter: 'n',
    label: 'n: 2',
    body: { n: 2 },
    wire: {
      openai: { n: 2 },
      azure: { n: 2 },
      openrouter: REFUSED,
      lmstudio: REFUSED,
      anthropic: REFUSED,
      ollama: REFUSED,
    },
    answer: (_, answer) => {
      const choices = answer.choices as { index: number; message: { content: string } }[];
      expect(choices.map((choice) => [choice.index, choice.message.content])).toEqual([
        [0, '{"balance":1}'],
        [1, '{"balance":1}'],
      ]);
    },
  },
  {
    parameter: 'n',
    label: 'n: 2 with stream',
    body: { n: 2, stream: true },
    wire: { ...compatible(REFUSED), anthropic: REFUSED, ollama: REFUSED },
  },
  {
    parameter: 'n',
    label: 'n: 1',
    isDefault: true,
    body: { n: 1 },
    wire: { ...compatible({ n: 1 }), anthropic: {}, ollama: {} },
  },
  {
    parameter: 'parallel_tool_calls',
    label: 'parallel_tool_calls: false',
    body: { tools: [weather], parallel_tool_calls: false },
    wire: {
      ...compatible({ parallel_tool_calls: false }),
      anthropic: { tool_choice: { type: 'auto', disable_parallel_tool_use: true } },
      ollama: REFUSED,
    },
  },
  {
    parameter: 'user',
    label: 'user',
    body: { user: 'user-42' },
    wire: {
      openai: { user: 'user-42' },
      azure: { user: 'user-42' },
      openrouter: { user: 'user-42' },
      lmstudio: REFUSED,
      anthropic: { metadata: { user_id: 'user-42' } },
      ollama: REFUSED,
    },
  },
  {
    parameter: 'reasoning_effort',
    label: 'reasoning_effort',
    body: { reasoning_effort: 'low' },
    wire: {
      openai: { reasoning_effort: 'low' },
      azure: { reasoning_effort: 'low' },
      openrouter: { reasoning: { effort: 'low' } },
      lmstudio: { reasoning_effort: 'low' },
      anthropic: REFUSED,
      ollama: { think: 'low' },
    },
  },
  {
    parameter: 'metadata',
    label: 'metadata',
    body: { metadata: { ticket: 'T-1' } },
    wire: {
      openai: { metadata: { ticket: 'T-1' } },
      azure: { metadata: { ticket: 'T-1' } },
      openrouter: REFUSED,
      lmstudio: REFUSED,
      anthropic: REFUSED,
      ollama: REFUSED,
    },
  },
  {
    parameter: 'service_tier',
    label: 'service_tier default',
    body: { service_tier: 'default' },
    wire: {
      openai: { service_tier: 'default' },
      azure: { service_tier: 'default' },
      openrouter: REFUSED,
      lmstudio: REFUSED,
      anthropic: { service_tier: 'standard_only' },
      ollama: REFUSED,
    },
  },
  {
    parameter: 'service_tier',
    label: 'service_tier flex',
    body: { service_tier: 'flex' },
    wire: {
      openai: { service_tier: 'flex' },
      azure: { service_tier: 'flex' },
      openrouter: REFUSED,
      lmstudio: REFUSED,
      anthropic: REFUSED,
      ollama: REFUSED,
    },
  },
  {
    parameter: 'stream_options',
    label: 'stream with stream_options.include_usage',
    body: { stream: true, stream_options: { include_usage: true } },
    wire: {
      openai: { stream: true, stream_options: { include_usage: true } },
      azure: { stream: true, stream_options: { include_usage: true } },
      openrouter: { stream: true, stream_options: { include_usage: true } },
      // LM Studio does not take stream_options (its bug #713): the router leaves it out.
      lmstudio: { stream: true },
      anthropic: { stream: true },
      ollama: { stream: true },
    },
  },
  {
    parameter: 'pass_through',
    label: 'an operator-allowed unknown field (store)',
    refusedAs: 'store',
    body: { store: true },
    wire: { ...compatible({ store: true }), anthropic: REFUSED, ollama: REFUSED },
  },
];

/** The only top-level fields each native API takes: an OpenAI name leaking through fails. */
const NATIVE_FIELDS: Partial<Record<ProviderName, Set<string>>> = {
  anthropic: new Set([
    'model',
    'max_tokens',
    'system',
    'messages',
    'tools',
    'tool_choice',
    'output_config',
    'temperature',
    'top_p',
    'stop_sequences',
    'metadata',
    'service_tier',
    'stream',
  ]),
  ollama: new Set(['model', 'messages', 'tools', 'format', 'stream', 'options', 'think']),
};

const declared = Object.fromEntries(PROVIDERS.map((provider) => [provider.name, provider.parameters]));

describe('the cases cover the declarations', () => {
  it('every declared parameter has a case, and a declared refusal is expected as one', () => {
    expect(new Set(CASES.map((c) => c.parameter))).toEqual(new Set(CHAT_PARAMETERS));
    for (const c of CASES) {
      for (const provider of PROVIDER_NAMES) {
        if (!c.isDefault && declared[provider]![c.parameter].support === 'refused')
          expect([c.label, provider, c.wire[provider]]).toEqual([c.label, provider, REFUSED]);
      }
    }
  });
});

describe.each(PROVIDER_NAMES)('%s', (provider) => {
  it.each(CASES.map((c) => [c.label, c] as const))('%s', async (_label, c) => {
    const fake = upstreams.fakes[provider];
    const before = fake.requests.length;
    const res = await fetch(`${router.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        model: MODELS[provider],
        messages: [{ role: 'user', content: 'hi' }],
        ...c.body,
      }),
    });
    const expected = c.wire[provider];
    if (expected === REFUSED) {
      const answer = (await res.json()) as { error: { message: string } };
      expect(res.status).toBe(400);
      const named = c.refusedAs ?? c.parameter;
      expect(answer.error.message).toContain(named);
      expect(answer.error.message).toContain(`not supported by ${provider}`);
      expect(fake.requests.length).toBe(before);
      return;
    }
    expect(res.status).toBe(200);
    const text = await res.text();
    const sent = fake.requests.at(-1)!.body as Record<string, unknown>;
    expect(fake.requests.length).toBe(before + 1);
    expect(sent).toMatchObject(expected);
    const native = NATIVE_FIELDS[provider];
    if (native) expect(Object.keys(sent).filter((key) => !native.has(key))).toEqual([]);
    if (c.body.stream) {
      expect(text).toContain('data: [DONE]');
      if (provider !== 'lmstudio') expect(text).toContain('"prompt_tokens"');
    } else {
      c.answer?.(provider, JSON.parse(text));
    }
  });
});
