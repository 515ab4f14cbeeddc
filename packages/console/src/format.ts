/**
 * Human units for OCS balances. The OCS counts everything in base units (bytes, seconds, events,
 * millionths of a cent); an agent on the phone with a customer thinks in GB, minutes and SMS.
 */

export type UnitType = 'BYTES' | 'EVENTS' | 'SECONDS' | 'MICROCENTS' | 'MICROUNITS';

export interface FormatOptions {
  /** BCP 47 locale for number formatting. */
  locale?: string;
  /** ISO 4217 currency for MICROCENTS balances; the OCS does not say which one it uses. */
  currency?: string;
}

const GIB = 1024 ** 3;
const MIB = 1024 ** 2;
/** 1 currency unit = 100 cents = 100 000 000 microcents. */
const MICROCENTS_PER_UNIT = 100_000_000;
const MICROUNITS_PER_UNIT = 1_000_000;

const DEFAULT_LOCALE = 'en-GB';
const DEFAULT_CURRENCY = 'EUR';

function number(value: number, maximumFractionDigits: number, locale: string): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits, minimumFractionDigits: 0 }).format(value);
}

/**
 * Formats one amount in the unit an agent would say out loud. Data is shown in GB (binary, as the
 * offer catalogue sizes data in GiB: 10737418240 bytes is "10 GB"), falling back to MB below 1 GB.
 */
export function formatAmount(unitType: string, amount: number, options: FormatOptions = {}): string {
  const locale = options.locale ?? DEFAULT_LOCALE;
  if (!Number.isFinite(amount)) return '–';
  switch (unitType) {
    case 'BYTES':
      if (Math.abs(amount) >= GIB || amount === 0) return `${number(amount / GIB, 2, locale)} GB`;
      return `${number(amount / MIB, 1, locale)} MB`;
    case 'SECONDS': {
      const minutes = amount / 60;
      return `${number(minutes, Number.isInteger(minutes) ? 0 : 1, locale)} min`;
    }
    case 'EVENTS':
      return `${number(amount, 0, locale)} SMS`;
    case 'MICROCENTS':
      return new Intl.NumberFormat(locale, {
        style: 'currency',
        currency: options.currency ?? DEFAULT_CURRENCY,
      }).format(amount / MICROCENTS_PER_UNIT);
    case 'MICROUNITS':
      return `${number(amount / MICROUNITS_PER_UNIT, 2, locale)} units`;
    default:
      return number(amount, 2, locale);
  }
}

/** What a balance bar needs: how much of the allowance is gone and how much is left. */
export interface BalanceUsage {
  total: number;
  available: number;
  used: number;
  /** Share used, clamped to 0..1 (an overdrawn or topped-up balance still draws a sane bar). */
  usedFraction: number;
  totalText: string;
  availableText: string;
  usedText: string;
  /** One sentence for screen readers and the bar's text: "2 GB used of 10 GB, 8 GB left". */
  summary: string;
}

export function balanceUsage(
  balance: { unitType: string; balanceAmount: number; balanceAvailable: number },
  options: FormatOptions = {},
): BalanceUsage {
  const total = balance.balanceAmount;
  const available = balance.balanceAvailable;
  const used = Math.max(0, total - available);
  const usedFraction = total > 0 ? Math.min(1, Math.max(0, used / total)) : available > 0 ? 0 : 1;
  const totalText = formatAmount(balance.unitType, total, options);
  const availableText = formatAmount(balance.unitType, available, options);
  const usedText = formatAmount(balance.unitType, used, options);
  return {
    total,
    available,
    used,
    usedFraction,
    totalText,
    availableText,
    usedText,
    summary: `${usedText} used of ${totalText}, ${availableText} left`,
  };
}

/** What kind of allowance a unit type is, for the balance's heading. */
export function unitLabel(unitType: string): string {
  switch (unitType) {
    case 'BYTES':
      return 'Data';
    case 'SECONDS':
      return 'Voice';
    case 'EVENTS':
      return 'SMS';
    case 'MICROCENTS':
      return 'Credit';
    case 'MICROUNITS':
      return 'Units';
    default:
      return unitType;
  }
}

/** Milliseconds as "42 ms" or "1.3 s". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '–';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(1)} s`;
}

/** Pretty JSON for the tool cards; never throws (cycles, BigInt) because the data came off the wire. */
export function formatJson(value: unknown): string {
  try {
    const text = JSON.stringify(value, null, 2);
    return text === undefined ? String(value) : text;
  } catch {
    return String(value);
  }
}
