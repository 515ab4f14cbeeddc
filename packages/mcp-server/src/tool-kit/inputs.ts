import { z } from 'zod';
import { OCS_ID_PATTERN } from '../ocs/provisioning-api.js';

/** An OCS id as a tool argument: {@link OCS_ID_PATTERN}, so that it cannot change the OCS path. */
export function ocsId(description: string, maxLength = 200) {
  return z
    .string()
    .min(1)
    .max(maxLength)
    .regex(OCS_ID_PATTERN, 'must be an id: not "." or "..", and no "/", "?", "#", "%", "\\" or spaces')
    .describe(description);
}

export const TransactionIdInput = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces')
  .optional()
  .describe(
    'Optional X-Transaction-ID for the OCS call(s). Reuse the same value to repeat a write safely: a repeat with the same arguments gets the first result without calling the OCS again; the same value with other arguments is refused. Omit it to get a new UUID.',
  );

export const ConfirmationTokenInput = z
  .string()
  .min(1)
  .max(2048)
  .optional()
  .describe(
    'Only for the second step of a confirmation: the confirmation_token returned by the first call, after the human said yes. Never invent one.',
  );

/** Client-side paging of a list the OCS returns whole. */
export const PageInput = {
  limit: z.number().int().min(1).max(100).default(50).describe('Page size, 1-100 (default 50).'),
  offset: z.number().int().min(0).default(0).describe('Items to skip (default 0).'),
};

/** Free text the OCS stores as given (account history fields). */
export const text = (what: string) => z.string().max(2000).optional().describe(what);
