import type { BalanceCreate, BalanceType, CycleLengthType, UnitType } from '@ocsai/contract';
import { formatVienna, parseDateTime } from './vienna-time.js';

export interface BalanceRecord {
  subscriptionId: string;
  balanceId: string;
  effectiveMs: number | null;
  expirationMs: number | null;
  creationMs: number;
  lastModifiedMs: number;
  balanceType: BalanceType;
  unitType: UnitType;
  balanceAmount: number;
  balanceAvailable: number;
  isGroupBalance: boolean;
  isRecurring: boolean;
  cycleLengthType: CycleLengthType | null;
  cycleLengthUnits: number | null;
  maxRecurringCycles: number | null;
  recurringCyclesCompleted: number;
  maxRolloverAmount: number | null;
  rolloverAmount: number | null;
  isRolloverAllowed: boolean;
}

export function newBalance(
  input: BalanceCreate,
  subscriptionId: string,
  id: string,
  nowMs: number,
): BalanceRecord {
  const isRecurring = input.isRecurring ?? false;
  const isRolloverAllowed = input.isRolloverAllowed ?? false;
  // A recurring balance without cycle settings renews monthly (newer backend behaviour).
  const defaultCycle = isRecurring && !input.cycleLengthType && !input.cycleLengthUnits;
  return {
    subscriptionId,
    balanceId: id,
    effectiveMs: input.effectiveDate ? parseDateTime(input.effectiveDate) : null,
    // Past dates are accepted: the backend only logs them.
    expirationMs: input.expirationDate ? parseDateTime(input.expirationDate) : null,
    creationMs: nowMs,
    lastModifiedMs: nowMs,
    balanceType: input.balanceType ?? 'ALLOWANCE',
    unitType: input.unitType,
    balanceAmount: input.balanceAmount,
    balanceAvailable: input.balanceAvailable,
    isGroupBalance: input.isGroupBalance ?? false,
    isRecurring,
    cycleLengthType: defaultCycle ? 'MONTHS' : (input.cycleLengthType ?? null),
    cycleLengthUnits: defaultCycle ? 1 : (input.cycleLengthUnits ?? null),
    maxRecurringCycles: input.maxRecurringCycles ?? null,
    recurringCyclesCompleted: input.recurringCyclesCompleted ?? 0,
    maxRolloverAmount: input.maxRolloverAmount ?? null,
    rolloverAmount: input.rolloverAmount ?? (isRolloverAllowed ? 0 : null),
    isRolloverAllowed,
  };
}

export function balanceToWire(b: BalanceRecord) {
  return {
    subscriptionId: b.subscriptionId,
    balanceId: b.balanceId,
    effectiveDate: formatVienna(b.effectiveMs),
    expirationDate: formatVienna(b.expirationMs),
    creationDate: formatVienna(b.creationMs),
    lastModifiedDate: formatVienna(b.lastModifiedMs),
    balanceType: b.balanceType,
    unitType: b.unitType,
    balanceAmount: b.balanceAmount,
    balanceAvailable: b.balanceAvailable,
    isGroupBalance: b.isGroupBalance,
    isRecurring: b.isRecurring,
    cycleLengthType: b.cycleLengthType,
    cycleLengthUnits: b.cycleLengthUnits,
    maxRecurringCycles: b.maxRecurringCycles,
    recurringCyclesCompleted: b.recurringCyclesCompleted,
    maxRolloverAmount: b.maxRolloverAmount,
    rolloverAmount: b.rolloverAmount,
    isRolloverAllowed: b.isRolloverAllowed,
  };
}
