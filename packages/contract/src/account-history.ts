import { z } from 'zod';
import { EntityType, HistoryEntityType } from './enums.js';
import { DateTime } from './primitives.js';

const text = z.string().nullish();

export const Attachment = z.object({ id: text, url: text, type: text });
export const InteractionDate = z.object({
  startDateTime: DateTime.nullish(),
  endDateTime: DateTime.nullish(),
});

/** Body of `POST /accountHistory`. `status`, `direction`, `reason` and `channel` are free text. */
export const AccountHistoryCreate = z.object({
  interactionId: z.string().min(1, 'must not be empty').max(255).nullish(),
  entityId: z.string().min(1, 'must not be empty'),
  entityType: EntityType,
  description: text,
  direction: text,
  reason: text,
  status: text,
  statusChangeDate: DateTime.nullish(),
  attachment: Attachment.nullish(),
  channel: text,
  interactionDate: InteractionDate.nullish(),
});
export type AccountHistoryCreate = z.infer<typeof AccountHistoryCreate>;

/**
 * Body of `PATCH /accountHistory/{id}`: a plain merge object on the real backend (not the
 * fieldName/fieldValue array of the OpenAPI file). Absent or null fields stay unchanged;
 * `interactionId`, `entityId`, `entityType` and `creationDate` are immutable and ignored.
 */
export const AccountHistoryPatch = z.object({
  description: text,
  direction: text,
  reason: text,
  status: text,
  statusChangeDate: DateTime.nullish(),
  channel: text,
  attachment: Attachment.nullish(),
  interactionDate: InteractionDate.nullish(),
});
export type AccountHistoryPatch = z.infer<typeof AccountHistoryPatch>;

const nullableText = z.string().nullable();

export const AccountHistory = z.looseObject({
  interactionId: z.string(),
  entityId: z.string(),
  entityType: HistoryEntityType,
  creationDate: nullableText,
  description: nullableText,
  direction: nullableText,
  reason: nullableText,
  status: nullableText,
  statusChangeDate: nullableText,
  attachment: z.looseObject({ id: nullableText, url: nullableText, type: nullableText }).nullable(),
  channel: nullableText,
  interactionDate: z.looseObject({ startDateTime: nullableText, endDateTime: nullableText }).nullable(),
});
export type AccountHistory = z.infer<typeof AccountHistory>;

/** Pagination of `GET /accountHistory/entityId/{entityId}`: out-of-range values are clamped, not rejected. */
export const HISTORY_PAGE = { defaultLimit: 20, minLimit: 1, maxLimit: 100 } as const;
