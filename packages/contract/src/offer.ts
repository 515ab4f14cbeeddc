import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { BalanceCreate } from './balance.js';
import { BalanceType, CycleLengthType, OfferType, UnitType } from './enums.js';
import type { SubscriptionCreate } from './subscription.js';

/** One balance that subscribing to an offer grants. */
export const OfferBalance = z.object({
  balanceType: BalanceType,
  unitType: UnitType,
  amount: z.number().int().min(0),
  isRecurring: z.boolean(),
  cycleLengthUnits: z.number().int().min(1).nullable(),
  cycleLengthType: CycleLengthType.nullable(),
  isRolloverAllowed: z.boolean(),
  maxRolloverAmount: z.number().int().min(0),
  description: z.string(),
});
export type OfferBalance = z.infer<typeof OfferBalance>;

/** A catalogue offer. The real OCS has no catalogue: offers are data the operator ships. */
export const Offer = z.object({
  offerId: z.string().min(1),
  offerName: z.string().min(1),
  description: z.string(),
  price: z.number().min(0),
  offerType: OfferType,
  recurring: z.boolean(),
  paidFlag: z.boolean(),
  isGroup: z.boolean(),
  /** null: renews without limit. */
  maxRecurringCycles: z.number().int().min(1).nullable(),
  cycleLengthUnits: z.number().int().min(1),
  cycleLengthType: CycleLengthType,
  balances: z.array(OfferBalance).min(1),
});
export type Offer = z.infer<typeof Offer>;

export const OfferCatalogue = z.array(Offer);

export interface LoadedCatalogue {
  offers: Offer[];
  /** Human-readable notes on every correction applied to the source data. */
  corrections: string[];
}

/** RFC 4180 CSV: quoted fields, doubled quotes, CRLF or LF line ends. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      if (row.some((f) => f !== '')) rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  row.push(field);
  if (row.some((f) => f !== '')) rows.push(row);
  return rows;
}

const UNIT_ALIASES: Record<string, CycleLengthType> = {
  DAY: 'DAYS',
  DAYS: 'DAYS',
  WEEK: 'WEEKS',
  WEEKS: 'WEEKS',
  MONTH: 'MONTHS',
  MONTHS: 'MONTHS',
  YEAR: 'YEARS',
  YEARS: 'YEARS',
};

const yes = (v: string) => /^(yes|true|y|1)$/i.test(v.trim());

/** Reads a cycle (length, unit) pair, also when the two columns are swapped as in the shipped CSV. */
function cycle(a: string, b: string): { units: number; type: CycleLengthType; swapped: boolean } | null {
  const ua = UNIT_ALIASES[a.trim().toUpperCase()];
  const ub = UNIT_ALIASES[b.trim().toUpperCase()];
  if (ub && /^\d+$/.test(a.trim())) return { units: Number(a), type: ub, swapped: false };
  if (ua && /^\d+$/.test(b.trim())) return { units: Number(b), type: ua, swapped: true };
  return null;
}

/**
 * Parses the operator's offer CSV (one row per offer balance) and corrects the known mix-ups of
 * the shipped file: swapped cycle length/unit columns, singular cycle units (`MONTH`, which the
 * OCS would silently null), and a data balance labelled `SECONDS`.
 */
export function parseOfferCsv(text: string): LoadedCatalogue {
  const [header, ...rows] = parseCsv(text);
  if (!header) return { offers: [], corrections: [] };
  const col = (name: string) => {
    const i = header.findIndex((h) => h.trim().toLowerCase() === name.toLowerCase());
    if (i < 0) throw new Error(`offer CSV: missing column "${name}"`);
    return i;
  };
  const c = {
    name: col('OfferName'),
    id: col('OfferId'),
    description: col('OfferDescription'),
    price: col('OfferPrice'),
    type: col('OfferType'),
    recurring: col('Recurring'),
    paid: col('PaidFlag'),
    group: col('GroupOffer'),
    maxCycles: col('MaxRecurringCycles'),
    cycleLength: col('OfferCycleLength'),
    cycleUnit: col('OfferCycleUnit'),
    balanceType: col('BalanceType'),
    amount: col('BalanceAmount'),
    unitType: col('BalanceUnitType'),
    balRecurring: col('BalanceIsRecurring'),
    balCycleLength: col('BalanceCycleLength'),
    balCycleUnit: col('BalanceCycleUnit'),
    rollover: col('BalanceIsRolloverAllowed'),
    maxRollover: col('BalanceMaxRolloverAmount'),
    balDescription: col('Balance description'),
  };
  const corrections = new Set<string>();
  const offers = new Map<string, Offer>();
  rows.forEach((r, index) => {
    const line = index + 2;
    const get = (i: number) => (r[i] ?? '').trim();
    const offerId = get(c.id);
    const offerCycle = cycle(get(c.cycleLength), get(c.cycleUnit));
    if (!offerCycle) throw new Error(`offer CSV line ${line}: unreadable offer cycle`);
    if (offerCycle.swapped)
      corrections.add(
        `offer ${offerId}: OfferCycleLength/OfferCycleUnit columns were swapped; read as ${offerCycle.units} ${offerCycle.type}`,
      );
    if (
      get(c.cycleUnit).toUpperCase() !== offerCycle.type &&
      get(c.cycleLength).toUpperCase() !== offerCycle.type
    )
      corrections.add(`offer ${offerId}: singular cycle unit normalised to ${offerCycle.type}`);
    const balCycle = cycle(get(c.balCycleLength), get(c.balCycleUnit));
    const description = get(c.balDescription);
    let unitType = UnitType.parse(get(c.unitType).toUpperCase());
    if (unitType === 'SECONDS' && /\bdata\b/i.test(description)) {
      unitType = 'BYTES';
      corrections.add(`offer ${offerId}: data balance "${description}" was labelled SECONDS; read as BYTES`);
    }
    const balance: OfferBalance = {
      balanceType: BalanceType.parse(get(c.balanceType).toUpperCase() || 'ALLOWANCE'),
      unitType,
      amount: Number(get(c.amount)),
      isRecurring: yes(get(c.balRecurring)),
      cycleLengthUnits: balCycle?.units ?? null,
      cycleLengthType: balCycle?.type ?? null,
      isRolloverAllowed: yes(get(c.rollover)),
      maxRolloverAmount: Number(get(c.maxRollover) || '0'),
      description,
    };
    const existing = offers.get(offerId);
    if (existing) {
      existing.balances.push(balance);
      return;
    }
    const maxCycles = Number(get(c.maxCycles) || '0');
    offers.set(offerId, {
      offerId,
      offerName: get(c.name),
      description: get(c.description),
      price: Number(get(c.price)),
      offerType: OfferType.parse(get(c.type).toUpperCase()),
      recurring: yes(get(c.recurring)),
      paidFlag: yes(get(c.paid)),
      isGroup: yes(get(c.group)),
      maxRecurringCycles: maxCycles > 0 ? maxCycles : null,
      cycleLengthUnits: offerCycle.units,
      cycleLengthType: offerCycle.type,
      balances: [balance],
    });
  });
  const parsed = OfferCatalogue.safeParse([...offers.values()]);
  if (!parsed.success) throw new Error(`offer CSV: ${z.prettifyError(parsed.error)}`);
  return { offers: parsed.data, corrections: [...corrections] };
}

/** Parses a JSON catalogue: an array of offers in the `Offer` shape. */
export function parseOfferJson(text: string): LoadedCatalogue {
  const parsed = OfferCatalogue.safeParse(JSON.parse(text));
  if (!parsed.success) throw new Error(`offer JSON: ${z.prettifyError(parsed.error)}`);
  return { offers: parsed.data, corrections: [] };
}

/** Path of the catalogue shipped with this package (the operator's `offers.csv`, corrected on load). */
export const BUNDLED_OFFERS_FILE = new URL('../data/offers.csv', import.meta.url);

/** Loads a catalogue from a `.csv` or `.json` file; without a path, the bundled one. */
export function loadOfferCatalogue(path?: string | URL): LoadedCatalogue {
  const file = path ?? BUNDLED_OFFERS_FILE;
  const text = readFileSync(file, 'utf8');
  return String(file).toLowerCase().endsWith('.json') ? parseOfferJson(text) : parseOfferCsv(text);
}

/** The subscription body that subscribes a subscriber to `offer` (cycle units in the OCS's plural form). */
export function subscriptionFromOffer(offer: Offer): SubscriptionCreate {
  return {
    offerId: offer.offerId,
    offerName: offer.offerName,
    subscriptionType: offer.offerType,
    state: 'pending',
    recurring: offer.recurring,
    paidFlag: offer.paidFlag,
    isGroup: offer.isGroup,
    maxRecurringCycles: offer.maxRecurringCycles,
    recurringCyclesCompleted: 0,
    cycleLengthUnits: offer.cycleLengthUnits,
    cycleLengthType: offer.cycleLengthType,
  };
}

/** The balance bodies an offer grants, full and unused. */
export function balancesFromOffer(offer: Offer): BalanceCreate[] {
  return offer.balances.map((b) => ({
    balanceType: b.balanceType,
    unitType: b.unitType,
    balanceAmount: b.amount,
    balanceAvailable: b.amount,
    isRecurring: b.isRecurring,
    cycleLengthType: b.cycleLengthType,
    cycleLengthUnits: b.cycleLengthUnits,
    maxRecurringCycles: offer.maxRecurringCycles,
    isRolloverAllowed: b.isRolloverAllowed,
    maxRolloverAmount: b.maxRolloverAmount,
    rolloverAmount: 0,
  }));
}
