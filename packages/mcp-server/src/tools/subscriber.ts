import {
  IsoDate,
  SUBSCRIBER_PATCH_FIELDS,
  SubscriberCreate,
  type SubscriberPatchField,
  SubscriberState,
  SubscriberStateName,
} from '@ocsai/contract';
import { z } from 'zod';
import { msisdnOrThrow } from '../ocs/msisdn.js';
import { OcsFailure } from '../ocs/ocs-failure.js';
import { SubscriberRecord } from '../ocs/provisioning-api.js';
import { tool, toolGroup } from '../tool-kit/define-tool.js';
import { ocsId } from '../tool-kit/inputs.js';
import { deletedOutput, entityOutput } from '../tool-kit/outputs.js';

const SubscriberId = ocsId(
  'OCS subscriberId (a UUID). Get it from lookup_subscriber (by MSISDN) or create_subscriber.',
);

const MsisdnInput = z
  .string()
  .min(1)
  .max(40)
  .describe(
    'MSISDN in international format. "+43 660 1234567" style input is accepted; "+", spaces, dashes and brackets are stripped, leaving 11-15 digits.',
  );

const subscriberOut = entityOutput(
  'subscriber',
  SubscriberRecord,
  'The subscriber as the OCS returns it: subscriberId, msisdn, imsi, currentState (pre-provisioned|active|suspended|deactivated|terminated), subscriberType, personalInfo, billing, subscriptions (ids), dates.',
);

const ImsiInput = z
  .string()
  .regex(/^\d{12,15}$/, 'IMSI must be 12 to 15 digits')
  .optional()
  .describe('IMSI, 12-15 digits.');

export const lookupSubscriber = tool({
  name: 'lookup_subscriber',
  title: 'Look up subscriber',
  description:
    'Find a subscriber and return its full record (subscriber.subscriberId is the id). Start here: almost every other tool needs the subscriberId. Search by msisdn (preferred), or imsi, or firstName and lastName together (exact match; the first match is returned). If several are given, msisdn wins, then imsi.',
  input: z.object({
    msisdn: MsisdnInput.optional(),
    imsi: ImsiInput,
    firstName: z.string().min(1).max(100).optional().describe('First name; needs lastName too.'),
    lastName: z.string().min(1).max(100).optional().describe('Last name; needs firstName too.'),
  }),
  output: subscriberOut,
  effect: 'read',
  async run(args, { ocs }) {
    let query: { msisdn?: string; imsi?: string; firstName?: string; lastName?: string };
    if (args.msisdn) query = { msisdn: msisdnOrThrow(args.msisdn) };
    else if (args.imsi) query = { imsi: args.imsi };
    else if (args.firstName && args.lastName) query = { firstName: args.firstName, lastName: args.lastName };
    else
      throw new OcsFailure(
        'validation',
        'Give msisdn, or imsi, or both firstName and lastName to look up a subscriber.',
      );
    return { subscriber: await ocs.getSubscriber(await ocs.lookupSubscriber(query)) };
  },
});

export const createSubscriber = tool({
  name: 'create_subscriber',
  title: 'Create subscriber',
  description:
    'Create a new subscriber (a SIM/customer) in the OCS and return it with its new subscriberId. Check with lookup_subscriber first: an MSISDN that is already in use is refused. The subscriber starts pre-provisioned unless initialState is given. Then add a plan with create_subscription.',
  input: z.object({
    msisdn: MsisdnInput,
    imsi: ImsiInput,
    subscriberType: z.enum(['PREPAID', 'POSTPAID']).optional().describe('Default PREPAID.'),
    firstName: z.string().max(100).optional(),
    lastName: z.string().max(100).optional(),
    email: z.email('must be a valid e-mail address').optional(),
    dateOfBirth: IsoDate.optional().describe('YYYY-MM-DD'),
    contactNumber: z.string().max(40).optional(),
    languageId: z.string().max(10).optional().describe('Language code, default EN.'),
    carrierId: z.string().max(100).optional(),
    billingCycle: z.string().max(40).optional().describe('Default MONTHLY.'),
    billcycleDay: z.number().int().min(1).max(31).optional().describe('Day of month, default 1.'),
    street: z.string().max(200).optional().describe('Billing address street.'),
    city: z.string().max(100).optional().describe('Billing address city.'),
    state: z.string().max(100).optional().describe('Billing address state/region (not the lifecycle state).'),
    zipCode: z.string().max(20).optional(),
    country: z.string().max(100).optional(),
    initialState: SubscriberState.optional().describe(
      'Lifecycle state to create in (lowercase), default pre-provisioned.',
    ),
  }),
  output: subscriberOut,
  idempotent: false,
  effect: 'write',
  async run(args, { ocs }) {
    const personal = {
      firstName: args.firstName,
      lastName: args.lastName,
      email: args.email,
      dateOfBirth: args.dateOfBirth,
      contactNumber: args.contactNumber,
    };
    const address = {
      street: args.street,
      city: args.city,
      state: args.state,
      zipCode: args.zipCode,
      country: args.country,
    };
    const has = (o: object) => Object.values(o).some((v) => v !== undefined);
    const body = SubscriberCreate.parse({
      msisdn: msisdnOrThrow(args.msisdn),
      imsi: args.imsi,
      subscriberType: args.subscriberType,
      languageId: args.languageId,
      carrierId: args.carrierId,
      currentState: args.initialState,
      personalInfo: has(personal) ? personal : undefined,
      billing:
        has(address) || args.billingCycle || args.billcycleDay
          ? {
              billingCycle: args.billingCycle,
              billcycleDay: args.billcycleDay,
              billingAddress: has(address) ? address : undefined,
            }
          : undefined,
    });
    return { subscriber: await ocs.createSubscriber(body) };
  },
});

export const getSubscriber = tool({
  name: 'get_subscriber',
  title: 'Get subscriber',
  description:
    'Fetch one subscriber by subscriberId: state, MSISDN/IMSI, personal and billing data, and the ids of its subscriptions. Use lookup_subscriber instead when you only have an MSISDN.',
  input: z.object({ subscriberId: SubscriberId }),
  output: subscriberOut,
  effect: 'read',
  async run(args, { ocs }) {
    return { subscriber: await ocs.getSubscriber(args.subscriberId) };
  },
});

/** Flat PATCH names the OCS accepts, minus `state` (change_subscriber_state guards that one). */
const UPDATABLE_FIELDS = SUBSCRIBER_PATCH_FIELDS.filter((f) => f !== 'state') as Exclude<
  SubscriberPatchField,
  'state'
>[];

export const updateSubscriber = tool({
  name: 'update_subscriber',
  title: 'Update subscriber',
  description:
    "Change fields of a subscriber (contact data, billing address, language, MSISDN/IMSI...). Takes a list of {fieldName, fieldValue} with the OCS's flat field names (email, billingCity, billcycleDay...), applied together: if one is refused nothing changes. Use change_subscriber_state for the lifecycle state. Returns the updated subscriber. Needs the subscriberId from lookup_subscriber.",
  input: z.object({
    subscriberId: SubscriberId,
    updates: z
      .array(
        z.object({
          fieldName: z
            .enum(UPDATABLE_FIELDS as [string, ...string[]])
            .describe(
              'Flat OCS field name; billing address parts are billingStreet/billingCity/billingState/billingZipCode/billingCountry.',
            ),
          fieldValue: z
            .union([z.string(), z.number()])
            .describe('New value; billcycleDay is a whole number 1-31, everything else text.'),
        }),
      )
      .min(1, 'give at least one update')
      .max(20),
  }),
  output: subscriberOut,
  idempotent: true,
  effect: 'write',
  async run(args, { ocs }) {
    const ops = args.updates.map(({ fieldName, fieldValue }) => {
      if (fieldName === 'billcycleDay') {
        const day = typeof fieldValue === 'number' ? fieldValue : Number(fieldValue);
        if (!Number.isInteger(day) || day < 1 || day > 31)
          throw new OcsFailure('validation', 'billcycleDay must be a whole number from 1 to 31.');
        return { fieldName, fieldValue: day };
      }
      const text = String(fieldValue);
      if (fieldName === 'msisdn') return { fieldName, fieldValue: msisdnOrThrow(text) };
      if (fieldName === 'email' && !z.email().safeParse(text).success)
        throw new OcsFailure('validation', `email "${text}" is not a valid e-mail address.`);
      return { fieldName, fieldValue: text };
    });
    return { subscriber: await ocs.patchSubscriber(args.subscriberId, ops) };
  },
});

export const deleteSubscriber = tool({
  name: 'delete_subscriber',
  title: 'Delete subscriber',
  description:
    'Permanently delete a subscriber together with all its subscriptions and balances (account history is kept). Cannot be undone; prefer change_subscriber_state to suspend or deactivate. Needs the subscriberId from lookup_subscriber. Returns {deleted: true, subscriberId}.',
  input: z.object({ subscriberId: SubscriberId }),
  output: deletedOutput('subscriberId'),
  effect: 'irreversible',
  confirm: (args) => ({
    summary: `Permanently delete subscriber ${args.subscriberId} with all its subscriptions and balances.`,
  }),
  async run(args, { ocs }) {
    await ocs.deleteSubscriber(args.subscriberId);
    return { deleted: true as const, subscriberId: args.subscriberId };
  },
});

/**
 * Target states no other call can undo: TERMINATED is the end of the subscriber's life, and
 * DEACTIVATED releases the MSISDN for reuse (uniqueness holds only among subscribers that are not
 * deactivated), so once another subscriber takes the number the old one cannot be given it back.
 */
const IRREVERSIBLE_STATES = new Set(['TERMINATED', 'DEACTIVATED']);

export const changeSubscriberState = tool({
  name: 'change_subscriber_state',
  title: 'Change subscriber state',
  description:
    'Move a subscriber to another lifecycle state: PRE_PROVISIONED, ACTIVE, SUSPENDED, DEACTIVATED or TERMINATED (any state may go to any state). ACTIVE enables service, SUSPENDED pauses it; DEACTIVATED (which frees the MSISDN for another subscriber) and TERMINATED stop service and need confirmation. The OCS records the change in the account history. Needs the subscriberId from lookup_subscriber. Returns the updated subscriber.',
  input: z.object({
    subscriberId: SubscriberId,
    state: z
      .enum([...SubscriberStateName.options, ...SubscriberState.options])
      .transform((v) => v.toUpperCase().replace('-', '_') as SubscriberStateName)
      .describe('Target state: PRE_PROVISIONED, ACTIVE, SUSPENDED, DEACTIVATED or TERMINATED.'),
  }),
  output: subscriberOut,
  idempotent: true,
  effect: 'write',
  confirm: (args) =>
    IRREVERSIBLE_STATES.has(args.state)
      ? {
          summary:
            args.state === 'TERMINATED'
              ? `Terminate subscriber ${args.subscriberId}; service stops for good.`
              : `Deactivate subscriber ${args.subscriberId}; service stops and its MSISDN can be given to another subscriber.`,
        }
      : undefined,
  async run(args, { ocs }) {
    return {
      subscriber: await ocs.patchSubscriber(args.subscriberId, [
        { fieldName: 'state', fieldValue: args.state },
      ]),
    };
  },
});

export const SUBSCRIBER_TOOLS = toolGroup('subscriber', [
  lookupSubscriber,
  createSubscriber,
  getSubscriber,
  updateSubscriber,
  deleteSubscriber,
  changeSubscriberState,
]);
