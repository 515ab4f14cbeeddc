import { z } from 'zod';
import { SubscriberState, SubscriberStateName } from './enums.js';
import { DateTime, Imsi, IsoDate, Msisdn } from './primitives.js';

const text = z.string().nullish();

export const PersonalInfo = z.object({
  firstName: text,
  lastName: text,
  dateOfBirth: IsoDate.nullish(),
  email: z.email('must be a valid e-mail address').nullish(),
  contactNumber: text,
});

export const BillingAddress = z.object({
  street: text,
  city: text,
  state: text,
  zipCode: text,
  country: text,
});

export const Billing = z.object({
  /** Free text; the backend coerces a JSON number (`1`) to the string `"1"`. */
  billingCycle: z
    .union([z.string(), z.number()])
    .transform((v) => String(v))
    .nullish(),
  billcycleDay: z.number().int('must be a whole number').min(1).max(31).nullish(),
  billingAddress: BillingAddress.nullish(),
});

/** Body of `POST /subscribers`. Unknown properties are ignored, as the real backend does. */
export const SubscriberCreate = z.object({
  msisdn: Msisdn,
  imsi: Imsi.nullish(),
  languageId: text,
  carrierId: text,
  subscriberType: text,
  currentState: SubscriberState.nullish(),
  activationDate: DateTime.nullish(),
  expirationDate: DateTime.nullish(),
  personalInfo: PersonalInfo.nullish(),
  billing: Billing.nullish(),
});
export type SubscriberCreate = z.infer<typeof SubscriberCreate>;

const nullableText = z.string().nullable();

/** A subscriber as the OCS returns it: every key present, `null` when unset. */
export const Subscriber = z.looseObject({
  subscriberId: z.string(),
  businessAccountId: nullableText,
  msisdn: z.string(),
  imsi: nullableText,
  iccId: nullableText,
  currentState: SubscriberState,
  previousState: SubscriberState.nullable(),
  creationDate: nullableText,
  lastTransitionDate: nullableText,
  activationDate: nullableText,
  expirationDate: nullableText,
  languageId: nullableText,
  carrierId: nullableText,
  subscriberType: nullableText,
  personalInfo: z
    .looseObject({
      firstName: nullableText,
      lastName: nullableText,
      dateOfBirth: nullableText,
      email: nullableText,
      contactNumber: nullableText,
    })
    .nullable(),
  billing: z
    .looseObject({
      billingCycle: nullableText,
      billcycleDay: z.number().nullable(),
      billingAddress: z
        .looseObject({
          street: nullableText,
          city: nullableText,
          state: nullableText,
          zipCode: nullableText,
          country: nullableText,
        })
        .nullable(),
    })
    .nullable(),
  groups: z.array(z.string()).nullable(),
  subscriptions: z.array(z.string()).nullable(),
  notificationAddresses: z.array(z.string()).nullable(),
  services: z.record(z.string(), z.unknown()).nullable(),
  customFields: z.record(z.string(), z.string()).nullable(),
  lastModifiedDate: nullableText,
  timers: z.array(z.string()).nullable(),
});
export type Subscriber = z.infer<typeof Subscriber>;

/** Response of `GET /subscribers/lookup`: only the id. */
export const SubscriberIdResponse = z.object({ subscriberId: z.string() });
export type SubscriberIdResponse = z.infer<typeof SubscriberIdResponse>;

/**
 * Flat field names accepted by `PATCH /subscribers/{id}` on the real backend. Dotted names
 * (`personalInfo.email`), although the OpenAPI example shows them, are rejected with 422.
 */
export const SUBSCRIBER_PATCH_FIELDS = [
  'email',
  'contactNumber',
  'firstName',
  'lastName',
  'languageId',
  'billingStreet',
  'billingCity',
  'billingCountry',
  'billingState',
  'billingZipCode',
  'billcycleDay',
  'billingCycle',
  'state',
  'msisdn',
  'imsi',
  'carrierId',
  'subscriberType',
] as const;
export const SubscriberPatchField = z.enum(SUBSCRIBER_PATCH_FIELDS);
export type SubscriberPatchField = z.infer<typeof SubscriberPatchField>;

/** Query of `PUT /subscribers/{id}/state`. */
export const SubscriberStateQuery = z.object({ state: SubscriberStateName });
