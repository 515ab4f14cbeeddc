import { z } from 'zod';
import { BalanceType, CycleLengthType, UnitType } from './enums.js';
import { AmountInput, DateTime } from './primitives.js';

/** Body of `POST /subscriptions/{id}/balances`. */
export const BalanceCreate = z.object({
  balanceType: BalanceType.nullish(),
  unitType: UnitType,
  balanceAmount: AmountInput,
  balanceAvailable: AmountInput,
  effectiveDate: DateTime.nullish(),
  /** Past dates are accepted: the real backend only logs them. */
  expirationDate: DateTime.nullish(),
  isGroupBalance: z.boolean().nullish(),
  isRecurring: z.boolean().nullish(),
  cycleLengthType: CycleLengthType.nullish(),
  cycleLengthUnits: z.number().int().min(1).nullish(),
  maxRecurringCycles: z.number().int().min(0).nullish(),
  recurringCyclesCompleted: z.number().int().min(0).nullish(),
  maxRolloverAmount: AmountInput.nullish(),
  rolloverAmount: AmountInput.nullish(),
  isRolloverAllowed: z.boolean().nullish(),
});
export type BalanceCreate = z.infer<typeof BalanceCreate>;

const nullableText = z.string().nullable();

export const Balance = z.looseObject({
  subscriptionId: z.string(),
  balanceId: z.string(),
  effectiveDate: nullableText,
  expirationDate: nullableText,
  creationDate: nullableText,
  lastModifiedDate: nullableText,
  balanceType: nullableText,
  unitType: UnitType,
  balanceAmount: z.number(),
  balanceAvailable: z.number(),
  isGroupBalance: z.boolean().nullable(),
  isRecurring: z.boolean().nullable(),
  cycleLengthType: nullableText,
  cycleLengthUnits: z.number().nullable(),
  maxRecurringCycles: z.number().nullable(),
  recurringCyclesCompleted: z.number().nullable(),
  maxRolloverAmount: z.number().nullable(),
  rolloverAmount: z.number().nullable(),
  isRolloverAllowed: z.boolean().nullable(),
});
export type Balance = z.infer<typeof Balance>;
