import { z } from 'zod';

/**
 * The context envelope: what the router knows about the user and the conversation besides the
 * request's own messages. Every string and list has a limit so one request cannot blow up the
 * prompt or the store.
 */

export const USER_ID_PATTERN = /^[A-Za-z0-9._@:-]{1,128}$/;

/**
 * User ids: 1-128 characters from A-Z a-z 0-9 . _ @ : -, not made of dots only (`.` and `..` would
 * be path segments in /context/{user_id} URLs and could never be read back). A principal's own
 * namespace is `<principal id>:<anything>`.
 */
export const userIdSchema = z
  .string()
  .regex(USER_ID_PATTERN, '1-128 characters from A-Z a-z 0-9 . _ @ : -')
  .refine((id) => !/^\.+$/.test(id), 'must not consist of dots only (. and .. are path segments)')
  .describe('Stable user id: 1-128 characters from A-Z a-z 0-9 . _ @ : -, not only dots');

const label = (max: number) => z.string().min(1).max(max);

export const MAX_MESSAGE_CHARS = 100_000;

export const priorTurnSchema = z
  .object({
    role: z.enum(['user', 'assistant']),
    content: z.string().max(MAX_MESSAGE_CHARS),
    provenance: z
      .enum(['tool_derived'])
      .optional()
      .describe(
        'Set by the router on answers written after tool results: replayed inside an <untrusted-tool-result> fence, as data.',
      ),
  })
  .strict()
  .describe('One earlier turn of the conversation.');

export const identitySchema = z
  .object({
    user_id: userIdSchema.optional(),
    name: label(200).optional().describe('How to address the user.'),
    role: label(200).optional().describe("The user's role, e.g. 'care agent'."),
    locale: label(35).optional().describe('BCP 47 language tag, e.g. en-GB.'),
    tenant: label(200).optional().describe('Organisation or tenant the user acts for.'),
  })
  .strict();

export const memorySchema = z
  .object({
    summary: z.string().max(20_000).optional().describe('Running summary of earlier conversations.'),
    facts: z.array(label(2_000)).max(200).optional().describe('Durable facts about the user.'),
    messages: z.array(priorTurnSchema).max(200).optional().describe('Prior turns, oldest first.'),
  })
  .strict();

export const toolsPolicySchema = z
  .object({
    servers: z.array(label(100)).max(50).optional().describe('MCP servers the model may use.'),
    allow: z.array(label(200)).max(500).optional().describe('Tool names the model may call.'),
    deny: z.array(label(200)).max(500).optional().describe('Tool names the model must not call.'),
  })
  .strict();

export const referenceDocSchema = z
  .object({
    id: label(200),
    title: z.string().max(500),
    content: z.string().max(200_000),
    uri: z.string().max(2_000).optional(),
  })
  .strict();

export const contextEnvelopeSchema = z
  .object({
    identity: identitySchema.optional(),
    memory: memorySchema.optional(),
    tools: toolsPolicySchema.optional(),
    docs: z
      .array(referenceDocSchema)
      .max(50)
      .optional()
      .describe('Reference documents (data, not instructions).'),
  })
  .strict()
  .describe('OCS AI router context envelope');

export type ContextEnvelope = z.infer<typeof contextEnvelopeSchema>;
export type PriorTurn = z.infer<typeof priorTurnSchema>;
export type ReferenceDoc = z.infer<typeof referenceDocSchema>;

/** The JSON Schema served at /schema/context.json and committed as schema/context.schema.json. */
export function contextEnvelopeJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(contextEnvelopeSchema, { io: 'input' }),
    $id: 'https://ocs-ai.local/schema/context.schema.json',
    title: 'ContextEnvelope',
  };
}
