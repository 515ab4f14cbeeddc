import type {
  AccountHistoryCreate,
  AccountHistoryPatch,
  BalanceCreate,
  PatchOperation,
  SubscriberCreate,
  SubscriptionAction,
  SubscriptionCreate,
} from '@ocsai/contract';
import { z } from 'zod';
import { OcsFailure } from './ocs-failure.js';
import type { OcsHttp } from './ocs-http.js';

/**
 * Response shapes checked at the boundary. Deliberately loose: the ids we chain on must be there,
 * everything else passes through to the model as the OCS sent it.
 */
export const SubscriberRecord = z.looseObject({
  subscriberId: z.string(),
  msisdn: z.string(),
  currentState: z.string(),
});
export const SubscriptionRecord = z.looseObject({
  subscriptionId: z.string(),
  subscriberId: z.string(),
  state: z.string(),
});
export const BalanceRecord = z.looseObject({ balanceId: z.string(), subscriptionId: z.string() });
export const HistoryRecord = z.looseObject({ interactionId: z.string(), entityId: z.string() });
export type SubscriberRecord = z.infer<typeof SubscriberRecord>;
export type SubscriptionRecord = z.infer<typeof SubscriptionRecord>;
export type BalanceRecord = z.infer<typeof BalanceRecord>;
export type HistoryRecord = z.infer<typeof HistoryRecord>;

/** Per-call inputs every endpoint takes: the transaction id and the MCP request's cancellation. */
export interface CallOptions {
  transactionId: string;
  signal?: AbortSignal | undefined;
}

/**
 * What an id may look like. It becomes a URL path segment, so nothing that could change the path is
 * accepted: not `.` or `..`, no `/`, `?`, `#`, `%`, backslash or white space. Tool schemas carry the
 * pattern (a bad id is a tool error naming the field); this module checks it again for every other
 * way an id arrives (resource URIs).
 */
export const OCS_ID_PATTERN = /^(?!\.\.?$)[^/?#%\\\s]+$/;

function seg(id: string): string {
  if (!OCS_ID_PATTERN.test(id))
    throw new OcsFailure(
      'validation',
      `"${id.slice(0, 60)}" is not a valid OCS id (no ".", "..", "/", "?", "#", "%" or spaces).`,
    );
  return encodeURIComponent(id);
}

const FIND_SUBSCRIBER = 'Use lookup_subscriber (by MSISDN) to find the subscriberId.';
const FIND_SUBSCRIPTION = 'Use list_subscriptions with the subscriberId to find subscriptionIds.';
const FIND_HISTORY = 'Use list_account_history with the entityId to find interactionIds.';

// Response schemas are built once per process, not per call.
const LookupAnswer = z.object({ subscriberId: z.string() });
const SubscriptionList = z.array(SubscriptionRecord);
const BalanceList = z.array(BalanceRecord);
const HistoryList = z.array(HistoryRecord);

function parse<T>(schema: z.ZodType<T>, body: unknown, what: string): T {
  const r = schema.safeParse(body);
  if (!r.success)
    throw new OcsFailure('bad_response', `The OCS returned an unexpected ${what} response.`, undefined, {
      body,
      issues: r.error.issues,
    });
  return r.data;
}

/** The provisioning endpoints as the real backend serves them (BEHAVIOUR.md wins over OpenAPI). */
export class ProvisioningApi {
  constructor(private readonly http: OcsHttp) {}

  async lookupSubscriber(
    query: { msisdn?: string; imsi?: string; firstName?: string; lastName?: string },
    o: CallOptions,
  ): Promise<string> {
    const key = query.msisdn
      ? `MSISDN ${query.msisdn}`
      : query.imsi
        ? `IMSI ${query.imsi}`
        : `name ${query.firstName} ${query.lastName}`;
    const res = await this.http.request({
      method: 'GET',
      path: '/subscribers/lookup',
      query,
      ...o,
      context: {
        entity: `Subscriber with ${key}`,
        notFoundHint: 'Check the number (international format, digits only) or create the subscriber.',
        badRequestMessage: 'Lookup needs an MSISDN, an IMSI, or both first and last name.',
      },
    });
    return parse(LookupAnswer, res.body, 'lookup').subscriberId;
  }

  async createSubscriber(body: SubscriberCreate, o: CallOptions): Promise<SubscriberRecord> {
    const res = await this.http.request({
      method: 'POST',
      path: '/subscribers',
      body,
      ...o,
      context: {
        entity: `Subscriber ${body.msisdn}`,
        verifyWith: `lookup_subscriber with msisdn ${body.msisdn}`,
        conflictMessage: `A subscriber with MSISDN ${body.msisdn} already exists. Use lookup_subscriber to get its subscriberId instead of creating it again.`,
      },
    });
    return parse(SubscriberRecord, res.body, 'subscriber');
  }

  async getSubscriber(id: string, o: CallOptions): Promise<SubscriberRecord> {
    const res = await this.http.request({
      method: 'GET',
      path: `/subscribers/${seg(id)}`,
      ...o,
      context: { entity: 'Subscriber', id, notFoundHint: FIND_SUBSCRIBER },
    });
    return parse(SubscriberRecord, res.body, 'subscriber');
  }

  async patchSubscriber(id: string, ops: PatchOperation[], o: CallOptions): Promise<SubscriberRecord> {
    const res = await this.http.request({
      method: 'PATCH',
      path: `/subscribers/${seg(id)}`,
      body: ops,
      ...o,
      context: {
        entity: 'Subscriber',
        id,
        verifyWith: `get_subscriber with subscriberId ${id}`,
        notFoundHint: FIND_SUBSCRIBER,
        conflictMessage: 'Another subscriber already uses that MSISDN.',
        unprocessableMessage: `The OCS refused the update of subscriber ${id}: a field is unknown or immutable, or a value (e.g. the state name) is not allowed. Nothing was changed.`,
      },
    });
    return parse(SubscriberRecord, res.body, 'subscriber');
  }

  async deleteSubscriber(id: string, o: CallOptions): Promise<void> {
    await this.http.request({
      method: 'DELETE',
      path: `/subscribers/${seg(id)}`,
      ...o,
      context: {
        entity: 'Subscriber',
        id,
        verifyWith: `get_subscriber with subscriberId ${id} (not found = deleted)`,
        notFoundHint: `${FIND_SUBSCRIBER} It may already be deleted.`,
      },
    });
  }

  async createSubscription(
    subscriberId: string,
    body: SubscriptionCreate,
    o: CallOptions,
  ): Promise<SubscriptionRecord> {
    const res = await this.http.request({
      method: 'POST',
      path: `/subscribers/${seg(subscriberId)}/subscriptions`,
      body,
      ...o,
      context: {
        entity: 'Subscriber',
        id: subscriberId,
        verifyWith: `list_subscriptions with subscriberId ${subscriberId}`,
        notFoundHint: FIND_SUBSCRIBER,
      },
    });
    return parse(SubscriptionRecord, res.body, 'subscription');
  }

  async listSubscriptions(subscriberId: string, o: CallOptions): Promise<SubscriptionRecord[]> {
    const res = await this.http.request({
      method: 'GET',
      path: `/subscribers/${seg(subscriberId)}/subscriptions`,
      ...o,
      context: { entity: 'Subscriber', id: subscriberId, notFoundHint: FIND_SUBSCRIBER },
    });
    return parse(SubscriptionList, res.body, 'subscription list');
  }

  async getSubscription(id: string, o: CallOptions): Promise<SubscriptionRecord> {
    const res = await this.http.request({
      method: 'GET',
      path: `/subscriptions/${seg(id)}`,
      ...o,
      context: { entity: 'Subscription', id, notFoundHint: FIND_SUBSCRIPTION },
    });
    return parse(SubscriptionRecord, res.body, 'subscription');
  }

  async patchSubscription(id: string, ops: PatchOperation[], o: CallOptions): Promise<SubscriptionRecord> {
    const res = await this.http.request({
      method: 'PATCH',
      path: `/subscriptions/${seg(id)}`,
      body: ops,
      ...o,
      context: {
        entity: 'Subscription',
        id,
        verifyWith: `get_subscription with subscriptionId ${id}`,
        notFoundHint: FIND_SUBSCRIPTION,
        unprocessableMessage: `The OCS refused the update of subscription ${id}: a field is unknown or immutable, or a value has the wrong type. State changes go through change_subscription_state. Nothing was changed.`,
      },
    });
    return parse(SubscriptionRecord, res.body, 'subscription');
  }

  async subscriptionAction(
    id: string,
    action: SubscriptionAction,
    o: CallOptions,
  ): Promise<SubscriptionRecord> {
    const res = await this.http.request({
      method: 'POST',
      path: `/subscriptions/${seg(id)}/${action}`,
      ...o,
      context: {
        entity: 'Subscription',
        id,
        verifyWith: `get_subscription with subscriptionId ${id}`,
        notFoundHint: FIND_SUBSCRIPTION,
        badRequestMessage: `The OCS does not allow "${action}" from the subscription's current state (activate: from pending/suspended; suspend: from active; cancel: from active/suspended; renew: from active). Use get_subscription to see the state.`,
      },
    });
    return parse(SubscriptionRecord, res.body, 'subscription');
  }

  async deleteSubscription(id: string, o: CallOptions): Promise<void> {
    await this.http.request({
      method: 'DELETE',
      path: `/subscriptions/${seg(id)}`,
      ...o,
      context: {
        entity: 'Subscription',
        id,
        verifyWith: `get_subscription with subscriptionId ${id} (not found = deleted)`,
        notFoundHint: `${FIND_SUBSCRIPTION} It may already be deleted.`,
      },
    });
  }

  async createBalance(subscriptionId: string, body: BalanceCreate, o: CallOptions): Promise<BalanceRecord> {
    const res = await this.http.request({
      method: 'POST',
      path: `/subscriptions/${seg(subscriptionId)}/balances`,
      body,
      ...o,
      context: {
        entity: 'Subscription',
        id: subscriptionId,
        verifyWith: `list_balances with subscriptionId ${subscriptionId}`,
        notFoundHint: FIND_SUBSCRIPTION,
      },
    });
    return parse(BalanceRecord, res.body, 'balance');
  }

  async listBalances(subscriptionId: string, o: CallOptions): Promise<BalanceRecord[]> {
    const res = await this.http.request({
      method: 'GET',
      path: `/subscriptions/${seg(subscriptionId)}/balances`,
      ...o,
      context: { entity: 'Subscription', id: subscriptionId, notFoundHint: FIND_SUBSCRIPTION },
    });
    return parse(BalanceList, res.body, 'balance list');
  }

  async deleteBalances(subscriptionId: string, o: CallOptions): Promise<void> {
    await this.http.request({
      method: 'DELETE',
      path: `/subscriptions/${seg(subscriptionId)}/balances`,
      ...o,
      context: {
        entity: 'Subscription',
        id: subscriptionId,
        verifyWith: `list_balances with subscriptionId ${subscriptionId}`,
        notFoundHint: FIND_SUBSCRIPTION,
      },
    });
  }

  async createHistory(body: AccountHistoryCreate, o: CallOptions): Promise<HistoryRecord> {
    const res = await this.http.request({
      method: 'POST',
      path: '/accountHistory',
      body,
      ...o,
      context: {
        entity: 'Account history entry',
        ...(body.interactionId ? { id: body.interactionId } : {}),
        verifyWith: `list_account_history with entityId ${body.entityId}`,
        conflictMessage: `An account history entry with interactionId ${body.interactionId} already exists; omit interactionId to let the OCS generate one.`,
        badRequestMessage: 'The OCS needs entityId and a valid entityType (SUBSCRIBER, GROUP or ACCOUNT).',
      },
    });
    return parse(HistoryRecord, res.body, 'account history');
  }

  async listHistory(
    entityId: string,
    page: { limit: number; offset: number },
    o: CallOptions,
  ): Promise<HistoryRecord[]> {
    const res = await this.http.request({
      method: 'GET',
      path: `/accountHistory/entityId/${seg(entityId)}`,
      query: { limit: page.limit, offset: page.offset },
      ...o,
      context: { entity: 'Account history of entity', id: entityId },
    });
    return parse(HistoryList, res.body, 'account history list');
  }

  async getHistory(id: string, o: CallOptions): Promise<HistoryRecord> {
    const res = await this.http.request({
      method: 'GET',
      path: `/accountHistory/${seg(id)}`,
      ...o,
      context: { entity: 'Account history entry', id, notFoundHint: FIND_HISTORY },
    });
    return parse(HistoryRecord, res.body, 'account history');
  }

  async deleteHistory(id: string, o: CallOptions): Promise<void> {
    await this.http.request({
      method: 'DELETE',
      path: `/accountHistory/${seg(id)}`,
      ...o,
      context: {
        entity: 'Account history entry',
        id,
        verifyWith: `get_account_history with interactionId ${id} (not found = deleted)`,
        notFoundHint: `${FIND_HISTORY} It may already be deleted.`,
      },
    });
  }

  /** A plain merge object on the real backend, not the fieldName/fieldValue array of the OpenAPI file. */
  async patchHistory(id: string, patch: AccountHistoryPatch, o: CallOptions): Promise<HistoryRecord> {
    const res = await this.http.request({
      method: 'PATCH',
      path: `/accountHistory/${seg(id)}`,
      body: patch,
      ...o,
      context: {
        entity: 'Account history entry',
        id,
        verifyWith: `get_account_history with interactionId ${id}`,
        notFoundHint: FIND_HISTORY,
      },
    });
    return parse(HistoryRecord, res.body, 'account history');
  }
}
