import { z } from 'zod';
import { providerNameSchema } from '../../ask/ask-response.js';

/** GET /v1/models: the default model of each configured provider, OpenAI style. */
export const modelListSchema = z.object({
  object: z.literal('list'),
  data: z
    .array(
      z.object({
        id: z.string().describe('provider/model'),
        object: z.literal('model'),
        created: z.number().int(),
        owned_by: providerNameSchema,
      }),
    )
    .describe('The default model of each configured provider.'),
});
