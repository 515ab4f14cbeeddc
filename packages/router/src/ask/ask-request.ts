import { z } from 'zod';
import { contextEnvelopeSchema, MAX_MESSAGE_CHARS, userIdSchema } from '../context/envelope.js';

export const askMessageSchema = z
  .object({
    role: z.enum(['system', 'user', 'assistant']),
    content: z.string().max(MAX_MESSAGE_CHARS),
  })
  .strict();

/** POST /ask body. Compiled once at import; `provider` is checked by the registry (400, not 422). */
export const askRequestSchema = z
  .object({
    message: z.string().min(1).max(MAX_MESSAGE_CHARS).optional(),
    messages: z.array(askMessageSchema).min(1).max(200).optional(),
    provider: z.string().min(1).max(64).optional(),
    model: z.string().min(1).max(200).optional(),
    user_id: userIdSchema.optional(),
    context: contextEnvelopeSchema.optional(),
    stream: z.boolean().optional(),
    temperature: z.number().min(0).max(2).optional(),
    max_tokens: z.number().int().min(1).max(1_000_000).optional(),
    /** Reserved for tool-call confirmations (a later issue); accepted and ignored for now. */
    confirm: z.unknown().optional(),
  })
  .strict()
  .superRefine((body, ctx) => {
    if (body.message === undefined && body.messages === undefined) {
      ctx.addIssue({ code: 'custom', path: ['message'], message: 'Give either message or messages' });
    } else if (body.message !== undefined && body.messages !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['messages'], message: 'Give message or messages, not both' });
    } else if (body.messages && !body.messages.some((message) => message.role === 'user')) {
      ctx.addIssue({ code: 'custom', path: ['messages'], message: 'At least one user message is required' });
    }
  });

export type AskRequest = z.infer<typeof askRequestSchema>;
