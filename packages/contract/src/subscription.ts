import { z } from 'zod';
import { SubscriptionState } from './enums.js';
import { DateTime } from './primitives.js';

const text = z.string().nullish();
const count = z.number().int('must be a whole number').min(0, 'must not be negative').nullish();

/** Body of `POST /subscribers/{id}/subscriptions` and `POST /subscriptions`. */
export const SubscriptionCreate = z.object({
  /** Owner; read from the body only on `POST /subscriptions` (the nested route takes it from the path). */
  subscriberId: text,
  offerId: z.string().min(1, 'must not be empty'),
  offerName: text,
  subscriptionType: text,
  state: SubscriptionState.nullish(),
  activationDate: DateTime.nullish(),
  expirationDate: DateTime.nullish(),
  renewalDate: DateTime.nullish(),
  recurring: z.boolean().nullish(),
  paidFlag: z.boolean().nullish(),
  isGroup: z.boolean().nullish(),
  maxRecurringCycles: count,
  recurringCyclesCompleted: count,
  cycleLengthUnits: count,
  /**
   * DAYS | WEEKS | MONTHS | YEARS, matched case-insensitively. Any other value (the catalogue's
   * singular `MONTH`) is silently stored as null by the real backend, so it is accepted here.
   */
  cycleLengthType: text,
  customParameters: z.record(z.string(), z.string()).nullish(),
});
export type SubscriptionCreate = z.infer<typeof SubscriptionCreate>;

const nullableText = z.string().nullable();

/** A subscription as the OCS returns it: every key present, `null` when unset. */
export const Subscription = z.looseObject({
  subscriberId: z.string(),
  subscriptionId: z.string(),
  subscriptionType: nullableText,
  offerId: nullableText,
  offerName: nullableText,
  state: SubscriptionState,
  creationDate: nullableText,
  activationDate: nullableText,
  expirationDate: nullableText,
  renewalDate: nullableText,
  recurring: z.boolean().nullable(),
  paidFlag: z.boolean().nullable(),
  isGroup: z.boolean().nullable(),
  maxRecurringCycles: z.number().nullable(),
  recurringCyclesCompleted: z.number().nullable(),
  cycleLengthUnits: z.number().nullable(),
  cycleLengthType: nullableText,
  customParameters: z.record(z.string(), z.string()).nullable(),
  balances: z.array(z.string()).nullable(),
  lastModifiedDate: nullableText,
  timers: z.array(z.string()).nullable(),
});
export type Subscription = z.infer<typeof Subscription>;

/** Fields accepted by `PATCH /subscriptions/{id}`; state changes go through the action endpoints. */
export const SUBSCRIPTION_PATCH_FIELDS = [
  'offerName',
  'subscriptionType',
  'recurring',
  'paidFlag',
  'isGroup',
  'maxRecurringCycles',
  'cycleLengthUnits',
  'cycleLengthType',
  'customParameters',
] as const;
export const SubscriptionPatchField = z.enum(SUBSCRIPTION_PATCH_FIELDS);
export type SubscriptionPatchField = z.infer<typeof SubscriptionPatchField>;
