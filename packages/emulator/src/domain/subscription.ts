import {
  CycleLengthType,
  SUBSCRIPTION_PATCH_FIELDS,
  type SubscriptionAction,
  type SubscriptionCreate,
  type SubscriptionState,
} from '@ocsai/contract';
import { OcsHttpError } from './ocs-http-error.js';
import { addCycles, DEFAULT_EXPIRATION_MS, formatVienna, parseDateTime } from './vienna-time.js';

export interface SubscriptionRecord {
  subscriberId: string;
  subscriptionId: string;
  subscriptionType: string | null;
  offerId: string;
  offerName: string | null;
  state: SubscriptionState;
  creationMs: number;
  activationMs: number | null;
  expirationMs: number | null;
  renewalMs: number | null;
  recurring: boolean;
  paidFlag: boolean;
  isGroup: boolean;
  maxRecurringCycles: number | null;
  recurringCyclesCompleted: number;
  cycleLengthUnits: number | null;
  cycleLengthType: CycleLengthType | null;
  customParameters: Record<string, string>;
  lastModifiedMs: number;
}

/** Case-insensitive match; unknown units (the catalogue's singular `MONTH`) become null, as on the backend. */
export function cycleTypeFromText(value: string | null | undefined): CycleLengthType | null {
  if (typeof value !== 'string') return null;
  const parsed = CycleLengthType.safeParse(value.trim().toUpperCase());
  return parsed.success ? parsed.data : null;
}

export function newSubscription(
  input: SubscriptionCreate,
  subscriberId: string,
  id: string,
  nowMs: number,
): SubscriptionRecord {
  return {
    subscriberId,
    subscriptionId: id,
    subscriptionType: input.subscriptionType ?? null,
    offerId: input.offerId,
    offerName: input.offerName ?? null,
    state: input.state ?? 'pending',
    creationMs: nowMs,
    // Stored as given, a quirk of the backend.
    activationMs: input.activationDate ? parseDateTime(input.activationDate) : null,
    expirationMs: input.expirationDate ? parseDateTime(input.expirationDate) : DEFAULT_EXPIRATION_MS,
    renewalMs: input.renewalDate ? parseDateTime(input.renewalDate) : null,
    recurring: input.recurring ?? false,
    paidFlag: input.paidFlag ?? false,
    isGroup: input.isGroup ?? false,
    maxRecurringCycles: input.maxRecurringCycles ?? null,
    recurringCyclesCompleted: input.recurringCyclesCompleted ?? 0,
    cycleLengthUnits: input.cycleLengthUnits ?? null,
    cycleLengthType: cycleTypeFromText(input.cycleLengthType),
    customParameters: input.customParameters ?? {},
    lastModifiedMs: nowMs,
  };
}

export function subscriptionToWire(s: SubscriptionRecord) {
  return {
    subscriberId: s.subscriberId,
    subscriptionId: s.subscriptionId,
    subscriptionType: s.subscriptionType,
    offerId: s.offerId,
    offerName: s.offerName,
    state: s.state,
    creationDate: formatVienna(s.creationMs),
    activationDate: formatVienna(s.activationMs),
    expirationDate: formatVienna(s.expirationMs),
    renewalDate: formatVienna(s.renewalMs),
    recurring: s.recurring,
    paidFlag: s.paidFlag,
    isGroup: s.isGroup,
    maxRecurringCycles: s.maxRecurringCycles,
    recurringCyclesCompleted: s.recurringCyclesCompleted,
    cycleLengthUnits: s.cycleLengthUnits,
    cycleLengthType: s.cycleLengthType,
    customParameters: s.customParameters,
    balances: [],
    lastModifiedDate: formatVienna(s.lastModifiedMs),
    timers: [],
  };
}

/** Where each action may start from; CANCELLED and EXPIRED are terminal. */
const ALLOWED_FROM: Record<SubscriptionAction, readonly SubscriptionState[]> = {
  activate: ['pending', 'suspended'],
  suspend: ['active'],
  cancel: ['active', 'suspended'],
  renew: ['active'],
};

function renewalAfter(s: SubscriptionRecord, cycles: number): number | null {
  if (!s.recurring || s.activationMs === null || s.cycleLengthUnits === null || s.cycleLengthType === null) {
    return null;
  }
  return addCycles(s.activationMs, s.cycleLengthUnits * cycles, s.cycleLengthType);
}

/** Applies a state action; an action not allowed from the current state is a bodiless 400. */
export function transition(
  s: SubscriptionRecord,
  action: SubscriptionAction,
  nowMs: number,
): SubscriptionRecord {
  if (!ALLOWED_FROM[action].includes(s.state)) {
    throw new OcsHttpError(400, `cannot ${action} a subscription in state ${s.state.toUpperCase()}`, true);
  }
  const next: SubscriptionRecord = { ...s, lastModifiedMs: nowMs };
  switch (action) {
    case 'activate':
      next.state = 'active';
      // Only the first activation sets the date; re-activation after a suspension keeps it.
      next.activationMs = s.activationMs ?? nowMs;
      next.renewalMs = renewalAfter(next, 1);
      break;
    case 'suspend':
      next.state = 'suspended';
      break;
    case 'cancel':
      next.state = 'cancelled';
      break;
    case 'renew':
      next.recurringCyclesCompleted = s.recurringCyclesCompleted + 1;
      if (s.maxRecurringCycles !== null && next.recurringCyclesCompleted >= s.maxRecurringCycles) {
        next.state = 'expired';
      } else {
        // The backend recomputes from activationDate without advancing; the emulator moves one cycle on.
        next.renewalMs = renewalAfter(next, next.recurringCyclesCompleted + 1) ?? s.renewalMs;
      }
      break;
  }
  return next;
}

const PATCHABLE: ReadonlySet<string> = new Set(SUBSCRIPTION_PATCH_FIELDS);

function booleanValue(field: string, value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'false') return value === 'true';
  throw new OcsHttpError(422, `${field}: must be true or false`, true);
}

function integerValue(field: string, value: unknown): number {
  const n = typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) {
    throw new OcsHttpError(422, `${field}: must be a non-negative whole number`, true);
  }
  return n;
}

/**
 * Applies fieldName/fieldValue operations to a copy. State is changed only through the action
 * endpoints, so `state` and every field not in the list are 422; null values are skipped.
 */
export function applySubscriptionPatch(
  original: SubscriptionRecord,
  operations: { fieldName: string; fieldValue?: unknown }[],
  nowMs: number,
): SubscriptionRecord {
  const s = { ...original };
  for (const { fieldName, fieldValue } of operations) {
    if (!PATCHABLE.has(fieldName)) {
      throw new OcsHttpError(422, `fieldName: '${fieldName}' is not a patchable subscription field`, true);
    }
    if (fieldValue === null || fieldValue === undefined) continue;
    switch (fieldName) {
      case 'offerName':
      case 'subscriptionType':
        if (typeof fieldValue === 'string') s[fieldName] = fieldValue;
        break;
      case 'recurring':
      case 'paidFlag':
      case 'isGroup':
        s[fieldName] = booleanValue(fieldName, fieldValue);
        break;
      case 'maxRecurringCycles':
      case 'cycleLengthUnits':
        s[fieldName] = integerValue(fieldName, fieldValue);
        break;
      case 'cycleLengthType': {
        const type = typeof fieldValue === 'string' ? cycleTypeFromText(fieldValue) : null;
        if (type === null) {
          throw new OcsHttpError(
            422,
            `cycleLengthType: must be one of ${CycleLengthType.options.join(', ')}`,
            true,
          );
        }
        s.cycleLengthType = type;
        break;
      }
      case 'customParameters': {
        const ok =
          typeof fieldValue === 'object' &&
          !Array.isArray(fieldValue) &&
          Object.values(fieldValue as object).every((v) => typeof v === 'string');
        if (!ok) throw new OcsHttpError(422, 'customParameters: must be an object of string values', true);
        s.customParameters = fieldValue as Record<string, string>;
        break;
      }
    }
  }
  s.lastModifiedMs = nowMs;
  return s;
}
