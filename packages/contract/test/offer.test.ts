import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  balancesFromOffer,
  loadOfferCatalogue,
  parseCsv,
  parseOfferCsv,
  subscriptionFromOffer,
} from '../src/index.js';

describe('bundled offer catalogue', () => {
  const { offers, corrections } = loadOfferCatalogue();
  const byId = new Map(offers.map((o) => [o.offerId, o]));

  it('groups the CSV rows into the five offers with their balances', () => {
    expect([...byId.keys()]).toEqual(['1000', '1001', '1002', '1003', '1010']);
    expect(byId.get('1000')?.balances.map((b) => b.unitType)).toEqual(['SECONDS', 'EVENTS', 'BYTES']);
    expect(byId.get('1003')?.balances).toHaveLength(1);
  });

  it('reads the swapped cycle columns and plural units the OCS understands', () => {
    const weekly = byId.get('1002')!;
    expect(weekly.cycleLengthType).toBe('WEEKS');
    expect(weekly.cycleLengthUnits).toBe(1);
    expect(weekly.maxRecurringCycles).toBe(4);
    expect(weekly.balances[0]?.cycleLengthType).toBe('WEEKS');
    expect(byId.get('1000')?.maxRecurringCycles).toBeNull();
    expect(corrections.some((c) => c.includes('swapped'))).toBe(true);
  });

  it('relabels the premium data balance from SECONDS to BYTES and says so', () => {
    const data = byId.get('1010')!.balances.find((b) => b.description.includes('data'))!;
    expect(data.unitType).toBe('BYTES');
    expect(data.amount).toBe(21474836480);
    expect(data.maxRolloverAmount).toBe(10737418240);
    expect(corrections.some((c) => c.includes('1010') && c.includes('BYTES'))).toBe(true);
  });

  it('builds subscription and balance bodies from an offer', () => {
    const offer = byId.get('1010')!;
    expect(subscriptionFromOffer(offer)).toMatchObject({
      offerId: '1010',
      subscriptionType: 'PREPAID',
      state: 'pending',
      cycleLengthType: 'MONTHS',
    });
    const balances = balancesFromOffer(offer);
    expect(balances).toHaveLength(3);
    expect(balances[2]).toMatchObject({
      unitType: 'BYTES',
      balanceAmount: 21474836480,
      balanceAvailable: 21474836480,
    });
  });
});

describe('CSV parsing', () => {
  it('handles quotes, doubled quotes and CRLF', () => {
    expect(parseCsv('a,"b,c","d ""e"""\r\n1,2,3\r\n')).toEqual([
      ['a', 'b,c', 'd "e"'],
      ['1', '2', '3'],
    ]);
  });

  it('names a missing column', () => {
    expect(() => parseOfferCsv('OfferName,OfferId\nx,1\n')).toThrow(/missing column "OfferDescription"/);
  });

  it('loads a JSON catalogue and rejects an invalid one with the field named', () => {
    const dir = mkdtempSync(join(tmpdir(), 'offers-'));
    const good = join(dir, 'good.json');
    const { offers } = loadOfferCatalogue();
    writeFileSync(good, JSON.stringify(offers.slice(0, 1)));
    expect(loadOfferCatalogue(good).offers[0]?.offerId).toBe('1000');
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify([{ ...offers[0], offerType: 'HYBRID' }]));
    expect(() => loadOfferCatalogue(bad)).toThrow(/offerType/);
  });
});
