import { z } from 'zod';

/** Lifecycle of a subscriber, as the OCS writes it on the wire (lowercase, hyphenated). */
export const SubscriberState = z.enum([
  'pre-provisioned',
  'active',
  'suspended',
  'deactivated',
  'terminated',
]);
export type SubscriberState = z.infer<typeof SubscriberState>;

/**
 * The same states in the form the subscriber PATCH `state` field and `PUT /subscribers/{id}/state`
 * accept (upper snake case; matched case-insensitively by the real backend).
 */
export const SubscriberStateName = z.enum([
  'PRE_PROVISIONED',
  'ACTIVE',
  'SUSPENDED',
  'DEACTIVATED',
  'TERMINATED',
]);
export type SubscriberStateName = z.infer<typeof SubscriberStateName>;

export function subscriberStateFromName(name: SubscriberStateName): SubscriberState {
  return name.toLowerCase().replace('_', '-') as SubscriberState;
}

export function subscriberStateName(state: SubscriberState): SubscriberStateName {
  return state.toUpperCase().replace('-', '_') as SubscriberStateName;
}

export const SubscriptionState = z.enum(['pending', 'active', 'suspended', 'cancelled', 'expired']);
export type SubscriptionState = z.infer<typeof SubscriptionState>;

/** State actions of `POST /subscriptions/{id}/{action}`. */
export const SubscriptionAction = z.enum(['activate', 'suspend', 'cancel', 'renew']);
export type SubscriptionAction = z.infer<typeof SubscriptionAction>;

export const UnitType = z.enum(['BYTES', 'EVENTS', 'SECONDS', 'MICROCENTS', 'MICROUNITS']);
export type UnitType = z.infer<typeof UnitType>;

export const BalanceType = z.enum(['ALLOWANCE', 'COUNTER']);
export type BalanceType = z.infer<typeof BalanceType>;

export const CycleLengthType = z.enum(['DAYS', 'WEEKS', 'MONTHS', 'YEARS']);
export type CycleLengthType = z.infer<typeof CycleLengthType>;

/** Entity types a client may record history for. */
export const EntityType = z.enum(['SUBSCRIBER', 'GROUP', 'ACCOUNT']);
export type EntityType = z.infer<typeof EntityType>;

/** Entity types that appear in stored history: the OCS adds SUBSCRIPTION for its automatic entries. */
export const HistoryEntityType = z.enum(['SUBSCRIBER', 'GROUP', 'ACCOUNT', 'SUBSCRIPTION']);
export type HistoryEntityType = z.infer<typeof HistoryEntityType>;

export const OfferType = z.enum(['PREPAID', 'POSTPAID']);
export type OfferType = z.infer<typeof OfferType>;
