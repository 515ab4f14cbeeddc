import { z } from 'zod';
import { providerNameSchema } from '../ask/ask-response.js';

export const healthSchema = z.object({
  status: z.literal('ok'),
  service: z.literal('ocs-router'),
  version: z.string().describe('Router version.'),
});

export const readySchema = z.object({
  status: z.literal('ready'),
  provider: providerNameSchema.describe('Default provider (LLM_PROVIDER).'),
  store: z.string().describe('Context store backend, e.g. sqlite, memory or redis.'),
});

export const notReadySchema = z.object({
  status: z.literal('not_ready'),
  reasons: z.array(z.string()).describe('What is missing; a reason names a missing variable, never a value.'),
});
