import {
  balancesFromOffer,
  SubscriptionAction,
  SubscriptionPatchField,
  subscriptionFromOffer,
} from '@ocsai/contract';
import { z } from 'zod';
import { OcsFailure } from '../ocs/ocs-failure.js';
import { BalanceRecord, SubscriptionRecord } from '../ocs/provisioning-api.js';
import { tool, toolGroup } from '../tool-kit/define-tool.js';
import { ocsId, PageInput } from '../tool-kit/inputs.js';
import { deletedOutput, entityOutput } from '../tool-kit/outputs.js';

const SubscriberId = ocsId('OCS subscriberId. Get it from lookup_subscriber (by MSISDN).');

export const SubscriptionId = ocsId(
  'OCS subscriptionId. Get it from list_subscriptions (by subscriberId) or create_subscription.',
);

const subscriptionOut = entityOutput(
  'subscription',
  SubscriptionRecord,
  'The subscription as the OCS returns it: subscriptionId, subscriberId, offerId, offerName, subscriptionType, state (pending|active|suspended|cancelled|expired), recurring, cycle fields, renewalDate, dates.',
);

export const createSubscription = tool({
  name: 'create_subscription',
  title: 'Create subscription from offer',
  description:
    "Subscribe a subscriber to an offer from the catalogue (list_offers): builds the subscription from the offer (name, type, recurring cycle). Convention: PREPAID subscribers get PREPAID offers, POSTPAID subscribers POSTPAID offers. With createBalances=true also creates the offer's balances (voice, SMS, data allowances); with activate=true also activates it (otherwise it stays pending). Needs subscriberId (lookup_subscriber) and offerId (list_offers). Returns the subscription and any created balances.",
  input: z.object({
    subscriberId: SubscriberId,
    offerId: ocsId('Offer id from list_offers, e.g. "1000".', 100),
    createBalances: z.boolean().default(false).describe("Also create the offer's balances (default false)."),
    activate: z.boolean().default(false).describe('Also activate the subscription (default false: pending).'),
  }),
  output: subscriptionOut.extend({
    balances: z
      .array(BalanceRecord)
      .describe('Balances created from the offer (empty unless createBalances).'),
  }),
  idempotent: false,
  effect: 'write',
  async run(args, { ocs, offers, transactionId }) {
    const offer = offers.get(args.offerId);
    if (!offer)
      throw new OcsFailure(
        'validation',
        `Offer ${args.offerId} is not in the catalogue. Known offers: ${offers.ids.join(', ')} (see list_offers).`,
      );
    let subscription = await ocs.createSubscription(args.subscriberId, subscriptionFromOffer(offer));
    const balances = [];
    try {
      if (args.createBalances) {
        for (const [i, body] of balancesFromOffer(offer).entries()) {
          // Every step has its own derived transaction id, so repeating the whole call resumes it.
          balances.push(await ocs.step(`balance${i + 1}`).createBalance(subscription.subscriptionId, body));
        }
      }
      if (args.activate) {
        subscription = await ocs.step('activate').subscriptionAction(subscription.subscriptionId, 'activate');
      }
    } catch (err) {
      if (!(err instanceof OcsFailure)) throw err;
      throw new OcsFailure(
        err.kind,
        `Subscription ${subscription.subscriptionId} was created${balances.length > 0 ? ` with ${balances.length} balance(s)` : ''}, but a follow-up step failed: ${err.message} Repeat the same call with transaction_id ${transactionId} to finish it without duplicates.`,
        err.status,
        err.detail,
      );
    }
    return { subscription, balances };
  },
});

export const listSubscriptions = tool({
  name: 'list_subscriptions',
  title: 'List subscriptions',
  description:
    "List a subscriber's subscriptions (plans) with their state and offer. Needs the subscriberId from lookup_subscriber. The OCS returns the whole list; limit/offset page it here. Returns {subscriptions, total, limit, offset}.",
  input: z.object({ subscriberId: SubscriberId, ...PageInput }),
  output: z.object({
    subscriptions: z.array(SubscriptionRecord),
    total: z.number().int().describe('Number of subscriptions the subscriber has.'),
    limit: z.number().int(),
    offset: z.number().int(),
  }),
  effect: 'read',
  async run(args, { ocs }) {
    const all = await ocs.listSubscriptions(args.subscriberId);
    return {
      subscriptions: all.slice(args.offset, args.offset + args.limit),
      total: all.length,
      limit: args.limit,
      offset: args.offset,
    };
  },
});

export const getSubscription = tool({
  name: 'get_subscription',
  title: 'Get subscription',
  description:
    'Fetch one subscription by subscriptionId: state, offer, recurring cycle, renewal date. Use list_subscriptions to find subscriptionIds of a subscriber.',
  input: z.object({ subscriptionId: SubscriptionId }),
  output: subscriptionOut,
  effect: 'read',
  async run(args, { ocs }) {
    return { subscription: await ocs.getSubscription(args.subscriptionId) };
  },
});

export const updateSubscription = tool({
  name: 'update_subscription',
  title: 'Update subscription',
  description:
    'Change fields of a subscription: offerName, subscriptionType, recurring, paidFlag, isGroup, maxRecurringCycles, cycleLengthUnits, cycleLengthType (DAYS|WEEKS|MONTHS|YEARS), customParameters (object of strings). Applied together: if one is refused nothing changes. The state cannot be changed here (use change_subscription_state). Lowering maxRecurringCycles to the cycles already used is irreversible (the next renewal expires the subscription). Needs the subscriptionId from list_subscriptions. Returns the updated subscription.',
  input: z.object({
    subscriptionId: SubscriptionId,
    updates: z
      .array(
        z.object({
          fieldName: SubscriptionPatchField.describe('Field to change.'),
          fieldValue: z
            .union([z.string(), z.number(), z.boolean(), z.record(z.string(), z.string())])
            .describe(
              'New value: booleans for recurring/paidFlag/isGroup, whole numbers for counts, an object for customParameters.',
            ),
        }),
      )
      .min(1, 'give at least one update')
      .max(20),
  }),
  output: subscriptionOut,
  idempotent: true,
  effect: 'write',
  async confirm(args, { ocs }) {
    // Lowering maxRecurringCycles to the cycles already used dooms the subscription: its next
    // renewal (ours or the OCS's own) expires it, and EXPIRED is terminal.
    const cap = args.updates.findLast((u) => u.fieldName === 'maxRecurringCycles')?.fieldValue;
    const max =
      typeof cap === 'number' ? cap : typeof cap === 'string' && cap.trim() !== '' ? Number(cap) : NaN;
    if (!Number.isFinite(max)) return undefined;
    const used = (await ocs.step('check').subscriptionCycles(args.subscriptionId)).completed ?? 0;
    if (max > used) return undefined;
    return {
      summary: `Set maxRecurringCycles of subscription ${args.subscriptionId} to ${max} while ${used} cycle(s) are already used: its next renewal expires it, and an expired subscription cannot be activated again.`,
    };
  },
  async run(args, { ocs }) {
    return { subscription: await ocs.patchSubscription(args.subscriptionId, args.updates) };
  },
});

export const changeSubscriptionState = tool({
  name: 'change_subscription_state',
  title: 'Change subscription state',
  description:
    'Run a lifecycle action on a subscription: activate (from pending or suspended), suspend (from active), cancel (from active or suspended; final, needs confirmation), renew (from active; counts a cycle, and expires it for good when that reaches maxRecurringCycles: then it needs confirmation). The OCS refuses other transitions and records each change in the account history. Needs the subscriptionId from list_subscriptions. Returns the updated subscription.',
  input: z.object({
    subscriptionId: SubscriptionId,
    action: SubscriptionAction.describe('activate | suspend | cancel | renew'),
  }),
  output: subscriptionOut,
  idempotent: false,
  effect: 'write',
  async confirm(args, { ocs }) {
    if (args.action === 'cancel')
      return { summary: `Cancel subscription ${args.subscriptionId}; cancellation is final.` };
    if (args.action !== 'renew') return undefined;
    // renew counts a cycle; reaching maxRecurringCycles expires the subscription for good.
    const { max, completed } = await ocs.step('check').subscriptionCycles(args.subscriptionId);
    const next = (completed ?? 0) + 1;
    if (typeof max !== 'number' || next < max) return undefined;
    return {
      summary: `Renew subscription ${args.subscriptionId}: this is cycle ${next} of at most ${max}, so the renewal EXPIRES it, and an expired subscription cannot be activated again.`,
    };
  },
  async run(args, { ocs }) {
    return { subscription: await ocs.subscriptionAction(args.subscriptionId, args.action) };
  },
});

export const deleteSubscription = tool({
  name: 'delete_subscription',
  title: 'Delete subscription',
  description:
    'Permanently delete a subscription and its balances. Cannot be undone; prefer change_subscription_state (suspend/cancel) to keep the record. Needs the subscriptionId from list_subscriptions. Returns {deleted: true, subscriptionId}.',
  input: z.object({ subscriptionId: SubscriptionId }),
  output: deletedOutput('subscriptionId'),
  effect: 'irreversible',
  confirm: (args) => ({
    summary: `Permanently delete subscription ${args.subscriptionId} and its balances.`,
  }),
  async run(args, { ocs }) {
    await ocs.deleteSubscription(args.subscriptionId);
    return { deleted: true as const, subscriptionId: args.subscriptionId };
  },
});

export const SUBSCRIPTION_TOOLS = toolGroup('subscription', [
  createSubscription,
  listSubscriptions,
  getSubscription,
  updateSubscription,
  changeSubscriptionState,
  deleteSubscription,
]);
