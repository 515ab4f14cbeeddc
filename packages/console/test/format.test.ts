import { describe, expect, it } from 'vitest';
import { balanceUsage, formatAmount, formatDuration, formatJson, unitLabel } from '../src/format.js';

describe('formatAmount', () => {
  it('shows data in GB (binary, as the offer catalogue sizes it) and small amounts in MB', () => {
    expect(formatAmount('BYTES', 10_737_418_240)).toBe('10 GB');
    expect(formatAmount('BYTES', 1.5 * 1024 ** 3)).toBe('1.5 GB');
    expect(formatAmount('BYTES', 512 * 1024 ** 2)).toBe('512 MB');
    expect(formatAmount('BYTES', 0)).toBe('0 GB');
  });

  it('shows voice in minutes, SMS as a count, credit as currency, microunits as units', () => {
    expect(formatAmount('SECONDS', 3600)).toBe('60 min');
    expect(formatAmount('SECONDS', 90)).toBe('1.5 min');
    expect(formatAmount('EVENTS', 1000)).toBe('1,000 SMS');
    expect(formatAmount('MICROCENTS', 1_250_000_000)).toBe('€12.50');
    expect(formatAmount('MICROCENTS', 500_000_000, { currency: 'USD', locale: 'en-US' })).toBe('$5.00');
    expect(formatAmount('MICROUNITS', 2_500_000)).toBe('2.5 units');
  });

  it('keeps unknown units and non-finite amounts readable', () => {
    expect(formatAmount('WIDGETS', Math.PI)).toBe('3.14');
    expect(formatAmount('BYTES', Number.NaN)).toBe('–');
  });

  it('honours the locale', () => {
    expect(formatAmount('BYTES', 1.5 * 1024 ** 3, { locale: 'de-DE' })).toBe('1,5 GB');
  });
});

describe('balanceUsage', () => {
  it('computes used and left, and a sentence for screen readers', () => {
    const usage = balanceUsage({
      unitType: 'BYTES',
      balanceAmount: 10 * 1024 ** 3,
      balanceAvailable: 8 * 1024 ** 3,
    });
    expect(usage.used).toBe(2 * 1024 ** 3);
    expect(usage.usedFraction).toBeCloseTo(0.2);
    expect(usage.summary).toBe('2 GB used of 10 GB, 8 GB left');
  });

  it('clamps overdrawn, topped-up and empty balances to a sane bar', () => {
    expect(balanceUsage({ unitType: 'EVENTS', balanceAmount: 10, balanceAvailable: -5 }).usedFraction).toBe(
      1,
    );
    expect(balanceUsage({ unitType: 'EVENTS', balanceAmount: 10, balanceAvailable: 20 }).usedFraction).toBe(
      0,
    );
    expect(balanceUsage({ unitType: 'EVENTS', balanceAmount: 0, balanceAvailable: 0 }).usedFraction).toBe(1);
    expect(balanceUsage({ unitType: 'EVENTS', balanceAmount: 0, balanceAvailable: 3 }).usedFraction).toBe(0);
  });
});

describe('small formatters', () => {
  it('labels unit types', () => {
    expect(['BYTES', 'SECONDS', 'EVENTS', 'MICROCENTS', 'MICROUNITS', 'OTHER'].map(unitLabel)).toEqual([
      'Data',
      'Voice',
      'SMS',
      'Credit',
      'Units',
      'OTHER',
    ]);
  });

  it('formats durations', () => {
    expect(formatDuration(42.4)).toBe('42 ms');
    expect(formatDuration(1340)).toBe('1.3 s');
    expect(formatDuration(-1)).toBe('–');
  });

  it('formats JSON without throwing on what JSON cannot hold', () => {
    expect(formatJson({ a: 1 })).toBe('{\n  "a": 1\n}');
    expect(formatJson(undefined)).toBe('undefined');
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    expect(formatJson(cyclic)).toBe('[object Object]');
  });
});
