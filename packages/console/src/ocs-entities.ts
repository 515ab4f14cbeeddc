/**
 * Finds the OCS objects (subscriber, subscriptions, balances) inside MCP tool results, so the
 * subscriber panel can show what the conversation touched. Tool names and result shapes may
 * change; this looks for the well-known keys anywhere in the result instead of trusting either.
 */

export interface SubscriberView {
  subscriberId: string;
  msisdn?: string;
  state?: string;
  name?: string;
  deleted?: boolean;
}

export interface SubscriptionView {
  subscriptionId: string;
  subscriberId?: string;
  offerId?: string;
  offerName?: string;
  state?: string;
  deleted?: boolean;
}

export interface BalanceView {
  balanceId: string;
  subscriptionId?: string;
  unitType: string;
  balanceType?: string;
  balanceAmount: number;
  balanceAvailable: number;
  deleted?: boolean;
}

/** Everything seen so far, in first-seen order; later sightings update earlier ones in place. */
export interface OcsEntities {
  subscribers: SubscriberView[];
  subscriptions: SubscriptionView[];
  balances: BalanceView[];
}

export const EMPTY_ENTITIES: OcsEntities = { subscribers: [], subscriptions: [], balances: [] };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string | undefined {
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

function amount(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))
    return Number(value);
  return undefined;
}

/** Drops undefined fields so a partial sighting never erases what an earlier one knew. */
function defined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export function toSubscriber(value: unknown): SubscriberView | undefined {
  if (!isRecord(value)) return undefined;
  const subscriberId = text(value['subscriberId']);
  if (!subscriberId) return undefined;
  const info = isRecord(value['personalInfo']) ? value['personalInfo'] : {};
  const name = [text(info['firstName']), text(info['lastName'])].filter(Boolean).join(' ');
  return {
    subscriberId,
    ...defined({
      msisdn: text(value['msisdn']),
      state: text(value['currentState']),
      name: name || undefined,
    }),
  };
}

export function toSubscription(value: unknown): SubscriptionView | undefined {
  if (!isRecord(value)) return undefined;
  const subscriptionId = text(value['subscriptionId']);
  if (!subscriptionId) return undefined;
  return {
    subscriptionId,
    ...defined({
      subscriberId: text(value['subscriberId']),
      offerId: text(value['offerId']),
      offerName: text(value['offerName']),
      state: text(value['state']),
    }),
  };
}

export function toBalance(value: unknown): BalanceView | undefined {
  if (!isRecord(value)) return undefined;
  const balanceId = text(value['balanceId']);
  const unitType = text(value['unitType']);
  const total = amount(value['balanceAmount']);
  if (!balanceId || !unitType || total === undefined) return undefined;
  return {
    balanceId,
    unitType,
    balanceAmount: total,
    balanceAvailable: amount(value['balanceAvailable']) ?? total,
    ...defined({ subscriptionId: text(value['subscriptionId']), balanceType: text(value['balanceType']) }),
  };
}

/** The part of an MCP tool result that carries data: structuredContent, else JSON in the text content. */
export function resultData(result: unknown): unknown {
  if (!isRecord(result)) return undefined;
  if (result['structuredContent'] !== undefined) return result['structuredContent'];
  const content = Array.isArray(result['content']) ? result['content'] : [];
  for (const part of content) {
    if (isRecord(part) && part['type'] === 'text' && typeof part['text'] === 'string') {
      try {
        return JSON.parse(part['text']);
      } catch {
        // Plain prose, not data.
      }
    }
  }
  return undefined;
}

/** The text an MCP tool result carries, joined; used to show a tool's error message. */
export function resultText(result: unknown): string {
  if (!isRecord(result) || !Array.isArray(result['content'])) return '';
  return result['content']
    .filter(
      (part): part is { type: 'text'; text: string } => isRecord(part) && typeof part['text'] === 'string',
    )
    .map((part) => part.text)
    .join('\n');
}

/**
 * A result that only says "ask the human first" (the MCP server's two-step confirmation): the tool
 * has not done anything yet.
 */
export function isConfirmationRequest(result: unknown): boolean {
  const data = resultData(result);
  return isRecord(data) && data['confirmation_required'] === true;
}

/** The X-Transaction-ID the MCP server used for the OCS call, to quote in a support case. */
export function transactionIdOf(result: unknown): string | undefined {
  const data = resultData(result);
  return isRecord(data) ? text(data['transaction_id']) : undefined;
}

interface Found {
  subscribers: SubscriberView[];
  subscriptions: SubscriptionView[];
  balances: BalanceView[];
}

const MAX_DEPTH = 6;

/** Walks the result looking for the keys the OCS uses; id-only arrays (subscriber.subscriptions) are skipped. */
export function extractEntities(result: unknown): Found {
  const found: Found = { subscribers: [], subscriptions: [], balances: [] };
  const visit = (value: unknown, depth: number): void => {
    if (depth > MAX_DEPTH) return;
    if (Array.isArray(value)) {
      for (const item of value) visit(item, depth + 1);
      return;
    }
    if (!isRecord(value)) return;
    for (const [key, child] of Object.entries(value)) {
      const items = Array.isArray(child) ? child : [child];
      if (key === 'subscriber' || key === 'subscribers') {
        for (const item of items) {
          const subscriber = toSubscriber(item);
          if (subscriber) found.subscribers.push(subscriber);
        }
      } else if (key === 'subscription' || key === 'subscriptions') {
        for (const item of items) {
          const subscription = toSubscription(item);
          if (subscription) found.subscriptions.push(subscription);
        }
      } else if (key === 'balance' || key === 'balances') {
        for (const item of items) {
          const balance = toBalance(item);
          if (balance) found.balances.push(balance);
        }
      }
      visit(child, depth + 1);
    }
  };
  visit(resultData(result), 0);
  return found;
}

function upsert<T>(list: T[], item: Partial<T>, sameAs: (existing: T) => boolean, create: () => T): T[] {
  const index = list.findIndex(sameAs);
  if (index === -1) return [...list, create()];
  const next = [...list];
  next[index] = { ...list[index], ...item } as T;
  return next;
}

export function mergeEntities(entities: OcsEntities, found: Found): OcsEntities {
  let { subscribers, subscriptions, balances } = entities;
  for (const s of found.subscribers) {
    subscribers = upsert(
      subscribers,
      s,
      (e) => e.subscriberId === s.subscriberId,
      () => s,
    );
  }
  for (const s of found.subscriptions) {
    subscriptions = upsert(
      subscriptions,
      s,
      (e) => e.subscriptionId === s.subscriptionId,
      () => s,
    );
  }
  for (const b of found.balances) {
    balances = upsert(
      balances,
      b,
      (e) => e.balanceId === b.balanceId,
      () => b,
    );
  }
  return { subscribers, subscriptions, balances };
}

function argumentId(args: Record<string, unknown>, camel: string): string | undefined {
  const snake = camel.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
  return text(args[camel]) ?? text(args[snake]);
}

/**
 * A successful delete returns little or nothing to extract, so the deletion is read from the call
 * itself: `delete_subscription {subscriptionId}` marks that subscription (and its balances) deleted,
 * `delete_balances {subscriptionId}` its balances.
 */
export function applyDeletion(
  entities: OcsEntities,
  toolName: string,
  args: Record<string, unknown>,
): OcsEntities {
  // With several MCP servers the router exposes `<server>__<tool>`.
  const separator = toolName.lastIndexOf('__');
  const plainName = separator === -1 ? toolName : toolName.slice(separator + 2);
  const match = /^(?:delete|remove)_(subscriber|subscription|balances|balance)$/.exec(plainName);
  if (!match) return entities;
  const kind = match[1];
  if (kind === 'subscriber') {
    const id = argumentId(args, 'subscriberId');
    if (!id) return entities;
    return {
      ...entities,
      subscribers: entities.subscribers.map((s) => (s.subscriberId === id ? { ...s, deleted: true } : s)),
    };
  }
  if (kind === 'subscription') {
    const id = argumentId(args, 'subscriptionId');
    if (!id) return entities;
    return {
      ...entities,
      subscriptions: entities.subscriptions.map((s) =>
        s.subscriptionId === id ? { ...s, deleted: true } : s,
      ),
      balances: entities.balances.map((b) => (b.subscriptionId === id ? { ...b, deleted: true } : b)),
    };
  }
  if (kind === 'balances') {
    // delete_balances empties a whole subscription.
    const id = argumentId(args, 'subscriptionId');
    if (!id) return entities;
    return {
      ...entities,
      balances: entities.balances.map((b) => (b.subscriptionId === id ? { ...b, deleted: true } : b)),
    };
  }
  const id = argumentId(args, 'balanceId');
  if (!id) return entities;
  return {
    ...entities,
    balances: entities.balances.map((b) => (b.balanceId === id ? { ...b, deleted: true } : b)),
  };
}
