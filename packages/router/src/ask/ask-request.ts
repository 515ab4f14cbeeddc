import { z } from 'zod';
import { responseFormatSchema } from '../completion/structured-output.js';
import { contextEnvelopeSchema, MAX_MESSAGE_CHARS, userIdSchema } from '../context-envelope/envelope.js';
import { PROVIDER_NAMES } from '../providers/types.js';

export const askMessageSchema = z
  .object({
    role: z.enum(['system', 'user', 'assistant']),
    content: z.string().max(MAX_MESSAGE_CHARS),
  })
  .strict();

const confirmSchema = z
  .object({
    id: z.string().min(1).max(200).describe('confirmation.id from the answer that asked'),
    approve: z.boolean().describe('true runs the held tool call, false tells the model the human declined'),
  })
  .strict();

/** POST /v1/confirmations/{id} body: /ask's confirm without the id, which is in the path. */
export const confirmationAnswerSchema = confirmSchema
  .pick({ approve: true })
  .strict()
  .describe("A human's answer to a held tool call.");

/** The path parameter of POST /v1/confirmations/{id}. */
export const confirmationIdSchema = confirmSchema.shape.id;

/** POST /ask body. Compiled once at import; `provider` is checked by the registry (400, not 422). */
export const askRequestSchema = z
  .object({
    message: z
      .string()
      .min(1)
      .max(MAX_MESSAGE_CHARS)
      .optional()
      .describe('A single user message; give exactly one of message or messages.'),
    messages: z
      .array(askMessageSchema)
      .min(1)
      .max(200)
      .optional()
      .describe('A whole conversation (system, user and assistant turns); must contain a user turn.'),
    provider: z
      .string()
      .min(1)
      .max(64)
      .optional()
      .describe(`Provider to use: ${PROVIDER_NAMES.join(', ')}. Default: LLM_PROVIDER.`),
    model: z
      .string()
      .min(1)
      .max(200)
      .optional()
      .describe('Model to use; "provider/model" also selects the provider. Default: the provider\'s model.'),
    user_id: userIdSchema.optional(),
    context: contextEnvelopeSchema
      .optional()
      .describe('Context for this request, merged over the stored one field by field; not stored itself.'),
    stream: z
      .boolean()
      .optional()
      .describe('true answers with text/event-stream events instead of one JSON body.'),
    temperature: z.number().min(0).max(2).optional().describe('Sampling temperature, 0 to 2.'),
    max_tokens: z
      .number()
      .int()
      .min(1)
      .max(1_000_000)
      .optional()
      .describe('Upper bound on generated tokens.'),
    response_format: responseFormatSchema
      .optional()
      .describe(
        'Ask for a typed answer, as in Chat Completions: json_object or json_schema ({name, schema, strict}). The answer then carries the checked JSON in `parsed`; an answer that does not parse or match is a 502.',
      ),
    confirm: confirmSchema.optional().describe('Answer to a pending tool confirmation: {id, approve}.'),
  })
  .strict()
  .superRefine((body, ctx) => {
    if (body.confirm !== undefined) {
      // A confirmation answer continues a stored conversation: nothing else to say, but whose it is.
      if (body.user_id === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['user_id'],
          message: 'user_id is required to answer a confirmation',
        });
      }
      if (body.message !== undefined || body.messages !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['confirm'],
          message: 'Give confirm or message/messages, not both',
        });
      }
      return;
    }
    if (body.message === undefined && body.messages === undefined) {
      ctx.addIssue({ code: 'custom', path: ['message'], message: 'Give either message or messages' });
    } else if (body.message !== undefined && body.messages !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['messages'], message: 'Give message or messages, not both' });
    } else if (body.messages && !body.messages.some((message) => message.role === 'user')) {
      ctx.addIssue({ code: 'custom', path: ['messages'], message: 'At least one user message is required' });
    }
  });

export type AskRequest = z.infer<typeof askRequestSchema>;
