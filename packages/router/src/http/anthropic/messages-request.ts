import { z } from 'zod';
import { RouterError } from '../../errors.js';
import type {
  ChatMessage,
  ChatRequest,
  GenerationOptions,
  ToolCall,
  ToolDefinition,
} from '../../providers/types.js';

/**
 * Anthropic's Messages request, as far as the router reads it. The schema is loose on purpose:
 * for the anthropic provider the body is forwarded as written (fields the router does not model
 * included); for every other provider `toChatRequest` maps each field it knows and refuses the rest
 * with a 400 naming it, so nothing is dropped in silence.
 */
const cacheControlSchema = z.looseObject({ type: z.string() }).describe('Prompt-caching hint.');

const blockSchema = z
  .looseObject({ type: z.string().min(1).max(64) })
  .describe(
    'A content block: text, image, document, tool_use, tool_result, thinking, redacted_thinking, … (which ones a provider takes: see the README).',
  );

const messageSchema = z.looseObject({
  role: z.enum(['user', 'assistant', 'system']),
  content: z.union([z.string(), z.array(blockSchema).max(10_000)]),
});

const systemSchema = z.union([
  z.string(),
  z.array(
    z.looseObject({ type: z.literal('text'), text: z.string(), cache_control: cacheControlSchema.nullish() }),
  ),
]);

const toolSchema = z
  .looseObject({
    name: z.string().min(1).max(200),
    type: z.string().max(100).optional(),
    description: z.string().optional(),
    input_schema: z.record(z.string(), z.unknown()).optional(),
  })
  .describe('A custom tool ({name, description, input_schema}) or an Anthropic server tool ({type, name}).');

const toolChoiceSchema = z.looseObject({
  type: z.enum(['auto', 'any', 'tool', 'none']),
  name: z.string().optional(),
  disable_parallel_tool_use: z.boolean().optional(),
});

export const messagesRequestSchema = z
  .looseObject({
    model: z
      .string()
      .min(1)
      .max(200)
      .describe('"provider/model" picks the provider; a plain name goes to the default provider.'),
    max_tokens: z.number().int().min(0).describe('Upper bound on generated tokens (required).'),
    messages: z.array(messageSchema).min(1).max(100_000),
    system: systemSchema.optional().describe('System prompt: a string or text blocks.'),
    provider: z
      .string()
      .min(1)
      .max(64)
      .optional()
      .describe('Router extension: pick the provider without a "provider/" model prefix.'),
    stream: z.boolean().optional().describe('true answers with Anthropic stream events.'),
    stop_sequences: z.array(z.string()).max(64).optional(),
    temperature: z.number().min(0).max(2).optional(),
    top_p: z.number().min(0).max(1).optional(),
    top_k: z.number().int().min(0).optional(),
    metadata: z.looseObject({ user_id: z.string().max(2048).nullish() }).optional(),
    tools: z.array(toolSchema).max(1000).optional(),
    tool_choice: toolChoiceSchema.optional(),
    thinking: z
      .looseObject({
        type: z.enum(['enabled', 'disabled', 'adaptive']),
        budget_tokens: z.number().int().optional(),
      })
      .optional(),
    output_config: z.looseObject({}).optional(),
  })
  .describe('Anthropic Messages API request (see the README for what each provider takes).');

export type MessagesRequest = z.infer<typeof messagesRequestSchema>;

/** Top-level fields mapped below; any other one is refused for a non-Anthropic provider. */
const MAPPED_FIELDS = new Set([
  'model',
  'max_tokens',
  'messages',
  'system',
  'provider',
  'stream',
  'stop_sequences',
  'temperature',
  'top_p',
  'top_k',
  'metadata',
  'tools',
  'tool_choice',
  'thinking',
  'output_config',
  'context_management',
  'service_tier',
  'cache_control',
]);

const refuse = (field: string, why: string, provider: string) =>
  new RouterError(400, 'unsupported_parameter', `${field}: ${why} (provider ${provider})`, {
    provider,
    issues: [{ path: field, message: why }],
  });

type Block = Record<string, unknown> & { type: string };

/**
 * Maps a Messages request onto the router's ChatRequest for a provider that does not speak the
 * Messages API (every one but anthropic). Throws a 400 naming the first field it cannot honour.
 */
export function toChatRequest(body: MessagesRequest, provider: string): Omit<ChatRequest, 'model'> {
  for (const field of Object.keys(body)) {
    if (!MAPPED_FIELDS.has(field)) throw refuse(field, 'not supported by this provider', provider);
  }
  // cache_control (top level and on blocks) is a caching hint with no effect on the answer; it is
  // accepted and has no equivalent outside Anthropic (see README "Anthropic Messages API").
  const state = new MappingState(provider);
  const messages: ChatMessage[] = [];
  if (body.system !== undefined) {
    const text = typeof body.system === 'string' ? body.system : body.system.map((b) => b.text).join('\n\n');
    if (text) messages.push({ role: 'system', content: text });
  }
  body.messages.forEach((message, index) => {
    messages.push(...state.message(message, `messages.${index}`));
  });

  const chat: Omit<ChatRequest, 'model'> = { messages };
  if (body.max_tokens === 0)
    throw refuse('max_tokens', '0 (cache pre-warming) needs the anthropic provider', provider);
  chat.maxTokens = body.max_tokens;
  if (body.stop_sequences?.length) chat.stop = body.stop_sequences;
  if (body.temperature !== undefined) chat.temperature = body.temperature;
  if (body.top_p !== undefined) chat.topP = body.top_p;
  if (body.top_k !== undefined) throw refuse('top_k', "has no equivalent in this provider's API", provider);
  if (body.metadata) {
    for (const key of Object.keys(body.metadata))
      if (key !== 'user_id') throw refuse(`metadata.${key}`, 'unknown metadata field', provider);
    if (body.metadata.user_id) chat.user = body.metadata.user_id;
  }
  const tools = state.tools(body.tools ?? []);
  if (tools.length) chat.tools = tools;
  if (body.tool_choice) {
    const choice = body.tool_choice;
    if (choice.type === 'tool') {
      if (!choice.name) throw refuse('tool_choice.name', 'required when type is tool', provider);
      chat.toolChoice = { name: choice.name };
    } else chat.toolChoice = ({ auto: 'auto', any: 'required', none: 'none' } as const)[choice.type];
    if (choice.disable_parallel_tool_use === true) chat.parallelToolCalls = false;
  }
  const effort = reasoningEffort(body, provider);
  if (effort) chat.reasoningEffort = effort;
  const format = (body.output_config as { format?: unknown } | undefined)?.format;
  if (format !== undefined) chat.responseFormat = responseFormat(format, provider);
  contextManagement((body as { context_management?: unknown }).context_management, provider);
  const tier = (body as { service_tier?: unknown }).service_tier;
  if (tier !== undefined && tier !== 'auto')
    throw refuse(
      'service_tier',
      `${String(tier)} has no equivalent; only auto (the default) is accepted`,
      provider,
    );
  return chat;
}

const EFFORTS: Record<string, GenerationOptions['reasoningEffort']> = {
  low: 'low',
  medium: 'medium',
  high: 'high',
  max: 'xhigh',
};

/**
 * `output_config.effort` is the reasoning effort itself; `thinking: enabled` with a budget becomes
 * the effort whose usual budget it is. `adaptive` lets the model decide, which is every provider's
 * default; `disabled` asks for nothing.
 */
function reasoningEffort(body: MessagesRequest, provider: string): GenerationOptions['reasoningEffort'] {
  const config = (body.output_config ?? {}) as Record<string, unknown>;
  for (const key of Object.keys(config))
    if (key !== 'effort' && key !== 'format')
      throw refuse(`output_config.${key}`, 'not supported by this provider', provider);
  if (config.effort !== undefined) {
    const effort = typeof config.effort === 'string' ? EFFORTS[config.effort] : undefined;
    if (!effort) throw refuse('output_config.effort', 'expected low, medium, high or max', provider);
    return effort;
  }
  const thinking = body.thinking;
  if (thinking?.type !== 'enabled') return undefined;
  const budget = thinking.budget_tokens;
  if (budget === undefined)
    throw refuse('thinking.budget_tokens', 'required when thinking is enabled', provider);
  return budget <= 4096 ? 'low' : budget <= 16_384 ? 'medium' : 'high';
}

function responseFormat(format: unknown, provider: string): NonNullable<ChatRequest['responseFormat']> {
  const f = format as { type?: unknown; schema?: unknown } | null;
  if (
    f?.type !== 'json_schema' ||
    f.schema === null ||
    typeof f.schema !== 'object' ||
    Array.isArray(f.schema)
  )
    throw refuse('output_config.format', 'expected {type: "json_schema", schema: {...}}', provider);
  return { type: 'json_schema', schema: f.schema as Record<string, unknown> };
}

/** Clearing thinking blocks is what non-Anthropic providers get anyway; other edits are refused. */
function contextManagement(value: unknown, provider: string): void {
  if (value === undefined || value === null) return;
  const edits = (value as { edits?: unknown }).edits;
  if (!Array.isArray(edits)) throw refuse('context_management.edits', 'expected a list of edits', provider);
  edits.forEach((edit, index) => {
    const type = (edit as { type?: unknown } | null)?.type;
    if (typeof type !== 'string' || !type.startsWith('clear_thinking_'))
      throw refuse(
        `context_management.edits.${index}.type`,
        `${String(type)} needs the anthropic provider`,
        provider,
      );
  });
}

/** Walks the messages once, remembering tool names and which deferred tools were referenced. */
class MappingState {
  readonly #toolNames = new Map<string, string>();
  readonly #referenced = new Set<string>();

  constructor(private readonly provider: string) {}

  message(message: MessagesRequest['messages'][number], path: string): ChatMessage[] {
    const blocks: Block[] =
      typeof message.content === 'string'
        ? [{ type: 'text', text: message.content }]
        : (message.content as Block[]);
    if (message.role === 'system')
      return [{ role: 'system', content: this.#texts(blocks, `${path}.content`, ['text']) }];
    if (message.role === 'assistant') return [this.#assistant(blocks, `${path}.content`)];
    return this.#user(blocks, `${path}.content`);
  }

  #assistant(blocks: Block[], path: string): ChatMessage {
    let content = '';
    const toolCalls: ToolCall[] = [];
    blocks.forEach((block, index) => {
      const at = `${path}.${index}`;
      switch (block.type) {
        case 'text':
          content += stringField(block, 'text', at, this.provider);
          break;
        case 'tool_use': {
          const id = stringField(block, 'id', at, this.provider);
          const name = stringField(block, 'name', at, this.provider);
          const input = block.input;
          if (input === null || typeof input !== 'object' || Array.isArray(input))
            throw refuse(`${at}.input`, 'expected an object', this.provider);
          this.#toolNames.set(id, name);
          toolCalls.push({ id, name, arguments: input as Record<string, unknown> });
          break;
        }
        // Anthropic's signed reasoning: no other provider can read it back, and Anthropic itself
        // ignores the thinking of earlier turns.
        case 'thinking':
        case 'redacted_thinking':
          break;
        default:
          throw refuse(`${at}.type`, `${block.type} blocks need the anthropic provider`, this.provider);
      }
    });
    return toolCalls.length ? { role: 'assistant', content, toolCalls } : { role: 'assistant', content };
  }

  #user(blocks: Block[], path: string): ChatMessage[] {
    const out: ChatMessage[] = [];
    let text = '';
    blocks.forEach((block, index) => {
      const at = `${path}.${index}`;
      if (block.type === 'text') {
        text += (text ? '\n' : '') + stringField(block, 'text', at, this.provider);
      } else if (block.type === 'tool_result') {
        const id = stringField(block, 'tool_use_id', at, this.provider);
        const content =
          typeof block.content === 'string' || block.content === undefined
            ? ((block.content as string | undefined) ?? '')
            : Array.isArray(block.content)
              ? this.#texts(block.content as Block[], `${at}.content`, ['text', 'tool_reference'])
              : (() => {
                  throw refuse(`${at}.content`, 'expected a string or content blocks', this.provider);
                })();
        const result: ChatMessage = {
          role: 'tool',
          toolCallId: id,
          name: this.#toolNames.get(id) ?? '',
          content,
        };
        if (block.is_error === true) result.isError = true;
        out.push(result);
      } else {
        throw refuse(`${at}.type`, `${block.type} blocks need the anthropic provider`, this.provider);
      }
    });
    if (text || out.length === 0) out.push({ role: 'user', content: text });
    return out;
  }

  /** Text of blocks; a tool_reference loads a deferred tool (tool search) and adds no text. */
  #texts(blocks: Block[], path: string, allowed: string[]): string {
    const parts: string[] = [];
    blocks.forEach((block, index) => {
      const at = `${path}.${index}`;
      if (!allowed.includes(block.type))
        throw refuse(`${at}.type`, `${block.type} blocks need the anthropic provider`, this.provider);
      if (block.type === 'tool_reference')
        this.#referenced.add(stringField(block, 'tool_name', at, this.provider));
      else parts.push(stringField(block, 'text', at, this.provider));
    });
    return parts.join('\n');
  }

  /**
   * Custom tools for the provider. A tool with defer_loading is kept out of the model's view until
   * a tool_reference (a tool-search result) names it, as Anthropic does; server tools are refused.
   */
  tools(tools: NonNullable<MessagesRequest['tools']>): ToolDefinition[] {
    const out: ToolDefinition[] = [];
    tools.forEach((tool, index) => {
      const at = `tools.${index}`;
      if (tool.type !== undefined && tool.type !== 'custom')
        throw refuse(
          `${at}.type`,
          `Anthropic server tool ${tool.type} (${tool.name}) needs the anthropic provider`,
          this.provider,
        );
      for (const key of Object.keys(tool)) {
        if (!['name', 'type', 'description', 'input_schema', 'cache_control', 'defer_loading'].includes(key))
          throw refuse(`${at}.${key}`, 'not supported by this provider', this.provider);
      }
      if (!tool.input_schema) throw refuse(`${at}.input_schema`, 'required for a custom tool', this.provider);
      if (tool.defer_loading === true && !this.#referenced.has(tool.name)) return;
      out.push({ name: tool.name, description: tool.description ?? '', inputSchema: tool.input_schema });
    });
    return out;
  }
}

function stringField(block: Block, field: string, path: string, provider: string): string {
  const value = block[field];
  if (typeof value !== 'string') throw refuse(`${path}.${field}`, 'expected a string', provider);
  return value;
}
