import { BalanceCreate, BalanceType, CycleLengthType, DateTime, UnitType } from '@ocsai/contract';
import { z } from 'zod';
import { BalanceRecord } from '../ocs/provisioning-api.js';
import { tool, toolGroup } from '../tool-kit/define-tool.js';
import { deletedOutput, entityOutput } from '../tool-kit/outputs.js';
import { SubscriptionId } from './subscription.js';

const Amount = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

export const createBalance = tool({
  name: 'create_balance',
  title: 'Create balance',
  description:
    'Add a balance (allowance) to a subscription, e.g. a data top-up or bonus minutes. Amounts are whole units of unitType: BYTES for data (1 GB = 1073741824), SECONDS for voice, EVENTS for SMS/MMS, MICROCENTS for money. To retry after a timeout without crediting twice, repeat the call with the same transaction_id. Needs the subscriptionId from list_subscriptions. Returns the created balance.',
  input: z.object({
    subscriptionId: SubscriptionId,
    unitType: UnitType.describe('BYTES | EVENTS | SECONDS | MICROCENTS | MICROUNITS'),
    balanceAmount: Amount.describe('Granted amount in whole units.'),
    balanceAvailable: Amount.optional().describe('Currently available amount; default = balanceAmount.'),
    balanceType: BalanceType.optional().describe('ALLOWANCE (default) or COUNTER.'),
    effectiveDate: DateTime.optional().describe('ISO-8601 start, e.g. 2026-01-01T00:00:00Z.'),
    expirationDate: DateTime.optional().describe('ISO-8601 expiry, e.g. 2026-12-31T23:59:59Z.'),
    isRecurring: z.boolean().optional().describe('Renews every cycle (default false).'),
    cycleLengthType: CycleLengthType.optional().describe(
      'Cycle unit for recurring balances (default MONTHS).',
    ),
    cycleLengthUnits: z.number().int().min(1).optional().describe('Cycle length (default 1).'),
    maxRecurringCycles: z.number().int().min(0).optional(),
    isRolloverAllowed: z.boolean().optional(),
    maxRolloverAmount: Amount.optional(),
    isGroupBalance: z.boolean().optional(),
  }),
  output: entityOutput('balance', BalanceRecord, 'The balance as stored by the OCS, with its balanceId.'),
  idempotent: false,
  effect: 'write',
  async run(args, { ocs }) {
    const { subscriptionId, ...rest } = args;
    const body = BalanceCreate.parse({
      ...rest,
      balanceAvailable: rest.balanceAvailable ?? rest.balanceAmount,
    });
    return { balance: await ocs.createBalance(subscriptionId, body) };
  },
});

export const listBalances = tool({
  name: 'list_balances',
  title: 'List balances',
  description:
    'List the balances of a subscription: unitType, balanceAmount (granted), balanceAvailable (left), expiry, recurring and rollover settings. Use it to answer "how much data/minutes are left". Needs the subscriptionId from list_subscriptions (an unknown id gives an empty list). Returns {balances, total}.',
  input: z.object({ subscriptionId: SubscriptionId }),
  output: z.object({ balances: z.array(BalanceRecord), total: z.number().int() }),
  effect: 'read',
  async run(args, { ocs }) {
    const balances = await ocs.listBalances(args.subscriptionId);
    return { balances, total: balances.length };
  },
});

export const deleteBalances = tool({
  name: 'delete_balances',
  title: 'Delete all balances',
  description:
    'Delete ALL balances of a subscription (the subscription itself stays). Cannot be undone. Needs the subscriptionId from list_subscriptions; check list_balances first. Returns {deleted: true, subscriptionId}.',
  input: z.object({ subscriptionId: SubscriptionId }),
  output: deletedOutput('subscriptionId'),
  effect: 'irreversible',
  confirm: (args) => ({ summary: `Delete all balances of subscription ${args.subscriptionId}.` }),
  async run(args, { ocs }) {
    await ocs.deleteBalances(args.subscriptionId);
    return { deleted: true as const, subscriptionId: args.subscriptionId };
  },
});

export const BALANCE_TOOLS = toolGroup('balance', [createBalance, listBalances, deleteBalances]);
