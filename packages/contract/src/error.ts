import { z } from 'zod';

/**
 * Error body as the real backend sends it (Spring-style), not the `{code, message}` shape of the
 * OpenAPI file. Many 4xx responses of the real backend carry no body at all.
 */
export const ErrorBody = z.looseObject({
  timestamp: z.string(),
  status: z.number().int(),
  error: z.string(),
  message: z.string(),
  path: z.string(),
  details: z.record(z.string(), z.unknown()),
});
export type ErrorBody = z.infer<typeof ErrorBody>;
