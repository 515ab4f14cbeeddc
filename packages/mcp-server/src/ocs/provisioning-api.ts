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
import type { CancelSignal } from '../cancellation.js';
import { type OcsCallContext, OcsFailure } from './ocs-failure.js';
import type { OcsHttp, OcsRequest } from './ocs-http.js';

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
  signal?: CancelSignal | undefined;
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

/** What a failing call was about, per entity: reads name the entity and where to find its id. */
const subscriber = (id: string): OcsCallContext => ({
  entity: 'Subscriber',
  id,
  notFoundHint: FIND_SUBSCRIBER,
});
const subscription = (id: string): OcsCallContext => ({
  entity: 'Subscription',
  id,
  notFoundHint: FIND_SUBSCRIPTION,
});
const historyEntry = (id: string): OcsCallContext => ({
  entity: 'Account history entry',
  id,
  notFoundHint: FIND_HISTORY,
});
/** A write: the read that tells whether it was applied, when its outcome is unknown. */
// (Object.assign rather than spreads here: on Node 20 a spread with further members takes V8's slow
// path, over a microsecond per write call.)
const writing = (
  context: OcsCallContext,
  verifyWith: string,
  more?: Partial<OcsCallContext>,
): OcsCallContext => Object.assign({}, context, { verifyWith }, more);
/** A delete: "not found" afterwards means it is gone, and a 404 may mean it already was. */
const deleting = (context: OcsCallContext, verifyWith: string): OcsCallContext =>
  Object.assign({}, context, {
    verifyWith: `${verifyWith} (not found = deleted)`,
    notFoundHint: `${context.notFoundHint} It may already be deleted.`,
  });

/** The record schemas whose parsed answers {@link checkedRecordSchema} vouches for. */
const RECORDS: ReadonlySet<z.ZodType> = new Set([
  SubscriberRecord,
  SubscriptionRecord,
  BalanceRecord,
  HistoryRecord,
]);

/** Records this module parsed (each frozen, so unchanged since), with the schema each one passed. */
const CHECKED = new WeakMap<object, z.ZodType>();

/**
 * The record schema `value` passed at the OCS boundary, when it is a record this module parsed and
 * returned: such a record was frozen as it was checked, so it still passes that schema. The tool
 * kit reads this to skip checking the same record against the same schema again in a tool's
 * output schema (tool-kit/call-tool.ts).
 */
export function checkedRecordSchema(value: unknown): z.ZodType | undefined {
  return typeof value === 'object' && value !== null ? CHECKED.get(value) : undefined;
}

/**
 * A record schema's check as plain code, on the answer itself: every record schema is a loose object
 * of plain string fields, and zod's parse of one copies the whole answer, member by member, into a
 * new object (about 6 µs for a subscriber of 23 members, against 0.2 µs for checking the fields in
 * place). The answer is ours (JSON.parse made it for this call), so it is checked and frozen as it
 * is: its members stay in the order the OCS sent them, where zod put the declared ones first. An
 * answer with an own `__proto__` member goes to zod, which leaves that member out; so does one that
 * fails, for zod's issues. A test holds it to zod's verdict and values.
 */
function looseStringRecord(
  schema: z.ZodObject,
): ((body: unknown) => Record<string, unknown> | undefined) | undefined {
  const def = schema._zod.def;
  const fields = Object.keys(def.shape);
  const plainStrings = fields.every((field) => {
    const fieldDef = (def.shape[field] as z.ZodType)._zod.def as { type: string; checks?: unknown[] };
    return fieldDef.type === 'string' && !fieldDef.checks?.length;
  });
  if (!plainStrings || (def.catchall?._zod.def as { type?: string } | undefined)?.type !== 'unknown')
    return undefined;
  return (body) => {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
    if (Object.getPrototypeOf(body) !== Object.prototype || Object.hasOwn(body, '__proto__'))
      return undefined;
    const input = body as Record<string, unknown>;
    for (const field of fields) if (typeof input[field] !== 'string') return undefined;
    return input;
  };
}

/** The plain-code check of each record schema (all of them qualify; one that did not would use zod). */
const RECORD_CHECKS = new Map<z.ZodType, (body: unknown) => Record<string, unknown> | undefined>();
for (const schema of RECORDS) {
  const check = looseStringRecord(schema as z.ZodObject);
  if (check) RECORD_CHECKS.set(schema, check);
}

/** {@link looseStringRecord}'s check of a record schema, for the test that holds it to zod. */
export function recordCheckOf(
  schema: z.ZodType,
): ((body: unknown) => Record<string, unknown> | undefined) | undefined {
  return RECORD_CHECKS.get(schema);
}

function parse<T>(schema: z.ZodType<T>, body: unknown, what: string): T {
  const checked = RECORD_CHECKS.get(schema)?.(body);
  if (checked !== undefined) {
    CHECKED.set(Object.freeze(checked), schema);
    return checked as T;
  }
  const r = schema.safeParse(body);
  if (!r.success)
    throw new OcsFailure('bad_response', `The OCS returned an unexpected ${what} response.`, undefined, {
      body,
      issues: r.error.issues,
    });
  const data = r.data;
  // zod built this object (a loose object is copied key by key): frozen, nothing can make it fail
  // the schema it just passed. The schemas check its own fields only, so a shallow freeze suffices.
  if (RECORDS.has(schema) && typeof data === 'object' && data !== null)
    CHECKED.set(Object.freeze(data), schema);
  return data;
}

/**
 * The provisioning endpoints as the real backend serves them (BEHAVIOUR.md wins over OpenAPI), bound
 * to one tool call: its transaction id and cancellation go with every request.
 */
export class ProvisioningApi {
  constructor(
    private readonly http: OcsHttp,
    readonly call: CallOptions,
  ) {}

  /** The same calls under a derived transaction id, so that repeating a whole multi-step call is idempotent too. */
  step(name: string): ProvisioningApi {
    return new ProvisioningApi(this.http, {
      transactionId: `${this.call.transactionId}.${name}`,
      signal: this.call.signal,
    });
  }

  private async send(req: Omit<OcsRequest, 'transactionId' | 'signal'>): Promise<unknown> {
    // Every caller hands over a fresh object literal: the call's options are set on it instead of
    // merging both into a third object (two spreads) on every OCS call.
    const request = req as OcsRequest;
    request.transactionId = this.call.transactionId;
    request.signal = this.call.signal;
    return (await this.http.request(request)).body;
  }

  async lookupSubscriber(query: {
    msisdn?: string;
    imsi?: string;
    firstName?: string;
    lastName?: string;
  }): Promise<string> {
    const key = query.msisdn
      ? `MSISDN ${query.msisdn}`
      : query.imsi
        ? `IMSI ${query.imsi}`
        : `name ${query.firstName} ${query.lastName}`;
    const body = await this.send({
      method: 'GET',
      path: '/subscribers/lookup',
      route: '/subscribers/lookup',
      query,
      context: {
        entity: `Subscriber with ${key}`,
        notFoundHint: 'Check the number (international format, digits only) or create the subscriber.',
        badRequestMessage: 'Lookup needs an MSISDN, an IMSI, or both first and last name.',
      },
    });
    return parse(LookupAnswer, body, 'lookup').subscriberId;
  }

  async createSubscriber(body: SubscriberCreate): Promise<SubscriberRecord> {
    const answer = await this.send({
      method: 'POST',
      path: '/subscribers',
      route: '/subscribers',
      body,
      context: {
        entity: `Subscriber ${body.msisdn}`,
        verifyWith: `lookup_subscriber with msisdn ${body.msisdn}`,
        conflictMessage: `A subscriber with MSISDN ${body.msisdn} already exists. Use lookup_subscriber to get its subscriberId instead of creating it again.`,
      },
    });
    return parse(SubscriberRecord, answer, 'subscriber');
  }

  async getSubscriber(id: string): Promise<SubscriberRecord> {
    const body = await this.send({
      method: 'GET',
      path: `/subscribers/${seg(id)}`,
      route: '/subscribers/{subscriberId}',
      context: subscriber(id),
    });
    return parse(SubscriberRecord, body, 'subscriber');
  }

  async patchSubscriber(id: string, ops: PatchOperation[]): Promise<SubscriberRecord> {
    const body = await this.send({
      method: 'PATCH',
      path: `/subscribers/${seg(id)}`,
      route: '/subscribers/{subscriberId}',
      body: ops,
      context: writing(subscriber(id), `get_subscriber with subscriberId ${id}`, {
        conflictMessage: 'Another subscriber already uses that MSISDN.',
        unprocessableMessage: `The OCS refused the update of subscriber ${id}: a field is unknown or immutable, or a value (e.g. the state name) is not allowed. Nothing was changed.`,
      }),
    });
    return parse(SubscriberRecord, body, 'subscriber');
  }

  async deleteSubscriber(id: string): Promise<void> {
    await this.send({
      method: 'DELETE',
      path: `/subscribers/${seg(id)}`,
      route: '/subscribers/{subscriberId}',
      context: deleting(subscriber(id), `get_subscriber with subscriberId ${id}`),
    });
  }

  async createSubscription(subscriberId: string, body: SubscriptionCreate): Promise<SubscriptionRecord> {
    const answer = await this.send({
      method: 'POST',
      path: `/subscribers/${seg(subscriberId)}/subscriptions`,
      route: '/subscribers/{subscriberId}/subscriptions',
      body,
      context: writing(subscriber(subscriberId), `list_subscriptions with subscriberId ${subscriberId}`),
    });
    return parse(SubscriptionRecord, answer, 'subscription');
  }

  async listSubscriptions(subscriberId: string): Promise<SubscriptionRecord[]> {
    const body = await this.send({
      method: 'GET',
      path: `/subscribers/${seg(subscriberId)}/subscriptions`,
      route: '/subscribers/{subscriberId}/subscriptions',
      context: subscriber(subscriberId),
    });
    return parse(SubscriptionList, body, 'subscription list');
  }

  async getSubscription(id: string): Promise<SubscriptionRecord> {
    const body = await this.send({
      method: 'GET',
      path: `/subscriptions/${seg(id)}`,
      route: '/subscriptions/{subscriptionId}',
      context: subscription(id),
    });
    return parse(SubscriptionRecord, body, 'subscription');
  }

  /** The recurring-cycle counters an irreversibility judgement reads (null when the OCS has none). */
  async subscriptionCycles(id: string): Promise<{ max: number | null; completed: number | null }> {
    const record = await this.getSubscription(id);
    const numberOrNull = (v: unknown) => (typeof v === 'number' ? v : null);
    return {
      max: numberOrNull(record.maxRecurringCycles),
      completed: numberOrNull(record.recurringCyclesCompleted),
    };
  }

  async patchSubscription(id: string, ops: PatchOperation[]): Promise<SubscriptionRecord> {
    const body = await this.send({
      method: 'PATCH',
      path: `/subscriptions/${seg(id)}`,
      route: '/subscriptions/{subscriptionId}',
      body: ops,
      context: writing(subscription(id), `get_subscription with subscriptionId ${id}`, {
        unprocessableMessage: `The OCS refused the update of subscription ${id}: a field is unknown or immutable, or a value has the wrong type. State changes go through change_subscription_state. Nothing was changed.`,
      }),
    });
    return parse(SubscriptionRecord, body, 'subscription');
  }

  async subscriptionAction(id: string, action: SubscriptionAction): Promise<SubscriptionRecord> {
    const body = await this.send({
      method: 'POST',
      path: `/subscriptions/${seg(id)}/${action}`,
      route: `/subscriptions/{subscriptionId}/${action}`,
      context: writing(subscription(id), `get_subscription with subscriptionId ${id}`, {
        badRequestMessage: `The OCS does not allow "${action}" from the subscription's current state (activate: from pending/suspended; suspend: from active; cancel: from active/suspended; renew: from active). Use get_subscription to see the state.`,
      }),
    });
    return parse(SubscriptionRecord, body, 'subscription');
  }

  async deleteSubscription(id: string): Promise<void> {
    await this.send({
      method: 'DELETE',
      path: `/subscriptions/${seg(id)}`,
      route: '/subscriptions/{subscriptionId}',
      context: deleting(subscription(id), `get_subscription with subscriptionId ${id}`),
    });
  }

  async createBalance(subscriptionId: string, body: BalanceCreate): Promise<BalanceRecord> {
    const answer = await this.send({
      method: 'POST',
      path: `/subscriptions/${seg(subscriptionId)}/balances`,
      route: '/subscriptions/{subscriptionId}/balances',
      body,
      context: writing(subscription(subscriptionId), `list_balances with subscriptionId ${subscriptionId}`),
    });
    return parse(BalanceRecord, answer, 'balance');
  }

  async listBalances(subscriptionId: string): Promise<BalanceRecord[]> {
    const body = await this.send({
      method: 'GET',
      path: `/subscriptions/${seg(subscriptionId)}/balances`,
      route: '/subscriptions/{subscriptionId}/balances',
      context: subscription(subscriptionId),
    });
    return parse(BalanceList, body, 'balance list');
  }

  async deleteBalances(subscriptionId: string): Promise<void> {
    await this.send({
      method: 'DELETE',
      path: `/subscriptions/${seg(subscriptionId)}/balances`,
      route: '/subscriptions/{subscriptionId}/balances',
      context: writing(subscription(subscriptionId), `list_balances with subscriptionId ${subscriptionId}`),
    });
  }

  async createHistory(body: AccountHistoryCreate): Promise<HistoryRecord> {
    const answer = await this.send({
      method: 'POST',
      path: '/accountHistory',
      route: '/accountHistory',
      body,
      context: {
        entity: 'Account history entry',
        ...(body.interactionId ? { id: body.interactionId } : {}),
        verifyWith: `list_account_history with entityId ${body.entityId}`,
        conflictMessage: `An account history entry with interactionId ${body.interactionId} already exists; omit interactionId to let the OCS generate one.`,
        badRequestMessage: 'The OCS needs entityId and a valid entityType (SUBSCRIBER, GROUP or ACCOUNT).',
      },
    });
    return parse(HistoryRecord, answer, 'account history');
  }

  async listHistory(entityId: string, page: { limit: number; offset: number }): Promise<HistoryRecord[]> {
    const body = await this.send({
      method: 'GET',
      path: `/accountHistory/entityId/${seg(entityId)}`,
      route: '/accountHistory/entityId/{entityId}',
      query: { limit: page.limit, offset: page.offset },
      context: { entity: 'Account history of entity', id: entityId },
    });
    return parse(HistoryList, body, 'account history list');
  }

  async getHistory(id: string): Promise<HistoryRecord> {
    const body = await this.send({
      method: 'GET',
      path: `/accountHistory/${seg(id)}`,
      route: '/accountHistory/{interactionId}',
      context: historyEntry(id),
    });
    return parse(HistoryRecord, body, 'account history');
  }

  async deleteHistory(id: string): Promise<void> {
    await this.send({
      method: 'DELETE',
      path: `/accountHistory/${seg(id)}`,
      route: '/accountHistory/{interactionId}',
      context: deleting(historyEntry(id), `get_account_history with interactionId ${id}`),
    });
  }

  /** A plain merge object on the real backend, not the fieldName/fieldValue array of the OpenAPI file. */
  async patchHistory(id: string, patch: AccountHistoryPatch): Promise<HistoryRecord> {
    const body = await this.send({
      method: 'PATCH',
      path: `/accountHistory/${seg(id)}`,
      route: '/accountHistory/{interactionId}',
      body: patch,
      context: writing(historyEntry(id), `get_account_history with interactionId ${id}`),
    });
    return parse(HistoryRecord, body, 'account history');
  }
}
