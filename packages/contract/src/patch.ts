import { z } from 'zod';

/** One operation of a subscriber or subscription PATCH body. */
export const PatchOperation = z.object({
  fieldName: z.string().min(1, 'must not be empty'),
  fieldValue: z.unknown(),
});
export type PatchOperation = z.infer<typeof PatchOperation>;

/** A PATCH body: a non-empty array of operations, applied in order and atomically. */
export const PatchField = z.array(PatchOperation).min(1, 'must contain at least one operation');
export type PatchField = z.infer<typeof PatchField>;
