import {
  IMSI_PATTERN,
  MSISDN_PATTERN,
  SUBSCRIBER_PATCH_FIELDS,
  type SubscriberCreate,
  type SubscriberPatchField,
  type SubscriberState,
  SubscriberStateName,
  subscriberStateFromName,
} from '@ocsai/contract';
import { z } from 'zod';
import { OcsHttpError } from './ocs-http-error.js';
import { DEFAULT_EXPIRATION_MS, formatVienna, parseDateTime } from './vienna-time.js';

/** A subscriber as stored: flat, like the backend's entity. Instants are epoch milliseconds. */
export interface SubscriberRecord {
  subscriberId: string;
  msisdn: string;
  imsi: string | null;
  currentState: SubscriberState;
  previousState: SubscriberState | null;
  creationMs: number;
  lastTransitionMs: number | null;
  activationMs: number | null;
  expirationMs: number | null;
  languageId: string;
  carrierId: string | null;
  subscriberType: string;
  firstName: string | null;
  lastName: string | null;
  dateOfBirth: string | null;
  email: string | null;
  contactNumber: string | null;
  billingCycle: string;
  billcycleDay: number;
  billingStreet: string | null;
  billingCity: string | null;
  billingState: string | null;
  billingZipCode: string | null;
  billingCountry: string | null;
  lastModifiedMs: number;
}

const orDefault = (value: string | null | undefined, fallback: string) =>
  value === null || value === undefined || value.trim() === '' ? fallback : value;

export function newSubscriber(input: SubscriberCreate, id: string, nowMs: number): SubscriberRecord {
  const address = input.billing?.billingAddress;
  return {
    subscriberId: id,
    msisdn: input.msisdn,
    imsi: input.imsi ?? null,
    currentState: input.currentState ?? 'pre-provisioned',
    previousState: null,
    creationMs: nowMs,
    lastTransitionMs: null,
    activationMs: input.activationDate ? parseDateTime(input.activationDate) : null,
    expirationMs: input.expirationDate ? parseDateTime(input.expirationDate) : DEFAULT_EXPIRATION_MS,
    languageId: orDefault(input.languageId, 'EN'),
    carrierId: input.carrierId ?? null,
    subscriberType: orDefault(input.subscriberType, 'PREPAID'),
    firstName: input.personalInfo?.firstName ?? null,
    lastName: input.personalInfo?.lastName ?? null,
    dateOfBirth: input.personalInfo?.dateOfBirth ?? null,
    email: input.personalInfo?.email ?? null,
    contactNumber: input.personalInfo?.contactNumber ?? null,
    billingCycle: orDefault(input.billing?.billingCycle, 'MONTHLY'),
    billcycleDay: input.billing?.billcycleDay ?? 1,
    billingStreet: address?.street ?? null,
    billingCity: address?.city ?? null,
    billingState: address?.state ?? null,
    billingZipCode: address?.zipCode ?? null,
    billingCountry: address?.country ?? null,
    lastModifiedMs: nowMs,
  };
}

/** Wire form in the backend's key order; every key present, `null` when unset. */
export function subscriberToWire(s: SubscriberRecord, subscriptionIds: string[]) {
  const hasPersonal = [s.firstName, s.lastName, s.dateOfBirth, s.email].some((v) => v !== null);
  const address = [s.billingStreet, s.billingCity, s.billingState, s.billingZipCode, s.billingCountry];
  return {
    subscriberId: s.subscriberId,
    businessAccountId: null,
    msisdn: s.msisdn,
    imsi: s.imsi,
    iccId: null,
    currentState: s.currentState,
    previousState: s.previousState,
    creationDate: formatVienna(s.creationMs),
    lastTransitionDate: formatVienna(s.lastTransitionMs),
    activationDate: formatVienna(s.activationMs),
    expirationDate: formatVienna(s.expirationMs),
    languageId: s.languageId,
    carrierId: s.carrierId,
    subscriberType: s.subscriberType,
    personalInfo: hasPersonal
      ? {
          firstName: s.firstName,
          lastName: s.lastName,
          dateOfBirth: s.dateOfBirth,
          email: s.email,
          contactNumber: s.contactNumber,
        }
      : null,
    billing: {
      billingCycle: s.billingCycle,
      billcycleDay: s.billcycleDay,
      billingAddress: address.some((v) => v !== null)
        ? {
            street: s.billingStreet,
            city: s.billingCity,
            state: s.billingState,
            zipCode: s.billingZipCode,
            country: s.billingCountry,
          }
        : null,
    },
    groups: [],
    subscriptions: subscriptionIds,
    notificationAddresses: [],
    services: null,
    customFields: {},
    lastModifiedDate: formatVienna(s.lastModifiedMs),
    timers: [],
  };
}

/** Patch fields with a rule of their own below; every other patchable field is plain text. */
const RULED_FIELDS = ['email', 'billcycleDay', 'billingCycle', 'state', 'msisdn', 'imsi'] as const;
type TextField = Exclude<SubscriberPatchField, (typeof RULED_FIELDS)[number]>;
const TEXT_FIELDS: ReadonlySet<string> = new Set(
  SUBSCRIBER_PATCH_FIELDS.filter((field) => !(RULED_FIELDS as readonly string[]).includes(field)),
);

const PATCHABLE: ReadonlySet<string> = new Set(SUBSCRIBER_PATCH_FIELDS);
const Email = z.email();

export interface SubscriberPatchResult {
  updated: SubscriberRecord;
  changedFields: string[];
  stateChange: { from: SubscriberState; to: SubscriberState } | null;
}

/** Parses a state name as the backend does: upper-cased, then matched against the enum names. */
export function subscriberStateFromText(value: unknown): SubscriberState | null {
  if (typeof value !== 'string') return null;
  const parsed = SubscriberStateName.safeParse(value.trim().toUpperCase());
  return parsed.success ? subscriberStateFromName(parsed.data) : null;
}

/** Moves a subscriber to `state`; re-setting the current state changes nothing. */
export function withState(s: SubscriberRecord, state: SubscriberState, nowMs: number): SubscriberRecord {
  if (s.currentState === state) return s;
  return { ...s, previousState: s.currentState, currentState: state, lastTransitionMs: nowMs };
}

/**
 * Applies flat-name PATCH operations in order to a copy. Unknown fields and non-state values for
 * `state` are 422 (nothing applied); null values are skipped; values of the wrong JSON type are
 * ignored, as the real backend does. Values of the right type that would break a constraint the
 * backend enforces at commit (MSISDN/IMSI pattern, e-mail, bill-cycle day) are 400 here.
 */
export function applySubscriberPatch(
  original: SubscriberRecord,
  operations: { fieldName: string; fieldValue?: unknown }[],
  nowMs: number,
): SubscriberPatchResult {
  let s = { ...original };
  const changed = new Set<string>();
  for (const { fieldName, fieldValue } of operations) {
    if (!PATCHABLE.has(fieldName)) {
      throw new OcsHttpError(422, `fieldName: '${fieldName}' is not a patchable subscriber field`, true);
    }
    if (fieldValue === null || fieldValue === undefined) continue;
    if (fieldName === 'state') {
      const state = subscriberStateFromText(fieldValue);
      if (state === null) {
        throw new OcsHttpError(
          422,
          `state: '${String(fieldValue)}' is not one of ${SubscriberStateName.options.join(', ')}`,
          true,
        );
      }
      s = withState(s, state, nowMs);
      continue;
    }
    if (fieldName === 'billcycleDay') {
      if (typeof fieldValue !== 'number' || !Number.isInteger(fieldValue)) continue;
      if (fieldValue < 1 || fieldValue > 31)
        throw new OcsHttpError(400, 'billcycleDay: must be between 1 and 31');
      s.billcycleDay = fieldValue;
    } else if (fieldName === 'billingCycle') {
      if (typeof fieldValue !== 'string' && typeof fieldValue !== 'number') continue;
      s.billingCycle = String(fieldValue);
    } else if (typeof fieldValue !== 'string') {
      continue;
    } else if (fieldName === 'msisdn') {
      if (!MSISDN_PATTERN.test(fieldValue)) {
        throw new OcsHttpError(400, 'msisdn: MSISDN must be 11 to 15 digits in international format, no "+"');
      }
      s.msisdn = fieldValue;
    } else if (fieldName === 'imsi') {
      if (!IMSI_PATTERN.test(fieldValue)) throw new OcsHttpError(400, 'imsi: IMSI must be 12 to 15 digits');
      s.imsi = fieldValue;
    } else if (fieldName === 'email') {
      if (!Email.safeParse(fieldValue).success)
        throw new OcsHttpError(400, 'email: must be a valid e-mail address');
      s.email = fieldValue;
    } else if (TEXT_FIELDS.has(fieldName)) {
      s[fieldName as TextField] = fieldValue;
    }
    if (
      (original as unknown as Record<string, unknown>)[fieldName] !==
      (s as unknown as Record<string, unknown>)[fieldName]
    ) {
      changed.add(fieldName);
    }
  }
  const stateChange =
    s.currentState !== original.currentState ? { from: original.currentState, to: s.currentState } : null;
  if (stateChange) changed.add('state');
  if (changed.size > 0) s = { ...s, lastModifiedMs: nowMs };
  return { updated: s, changedFields: [...changed], stateChange };
}
