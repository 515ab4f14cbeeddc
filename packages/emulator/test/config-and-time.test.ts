import { ConfigError } from '@ocsai/contract';
import { emulatorEnvSchema, loadEmulatorConfig } from '@ocsai/emulator';
import { describe, expect, it } from 'vitest';
import {
  addCycles,
  DEFAULT_EXPIRATION_MS,
  formatVienna,
  parseDateTime,
  viennaLocalTimestamp,
  viennaOffsetMinutes,
} from '../src/domain/vienna-time.js';

describe('loadEmulatorConfig', () => {
  it('applies defaults', () => {
    expect(loadEmulatorConfig({})).toEqual({
      OCS_EMULATOR_HOST: '127.0.0.1',
      OCS_EMULATOR_PORT: 8080,
      OCS_EMULATOR_DB: './data/ocs-emulator.sqlite',
      OCS_EMULATOR_FIDELITY: 'friendly',
      LOG_LEVEL: 'info',
    });
  });

  it('reads every variable, treating empty values as unset', () => {
    const config = loadEmulatorConfig({
      OCS_EMULATOR_PORT: '0',
      OCS_EMULATOR_DB: ':memory:',
      OCS_EMULATOR_API_KEY: 'k',
      OCS_EMULATOR_FIDELITY: 'strict',
      OCS_OFFERS_FILE: '/tmp/o.csv',
      OCS_EMULATOR_HOST: '',
      LOG_LEVEL: 'debug',
    });
    expect(config).toMatchObject({
      OCS_EMULATOR_PORT: 0,
      OCS_EMULATOR_HOST: '127.0.0.1',
      OCS_EMULATOR_FIDELITY: 'strict',
    });
  });

  it('fails fast naming the bad variable', () => {
    expect(() => loadEmulatorConfig({ OCS_EMULATOR_PORT: 'abc' })).toThrow(/OCS_EMULATOR_PORT/);
    expect(() => loadEmulatorConfig({ OCS_EMULATOR_FIDELITY: 'exact' })).toThrow(/OCS_EMULATOR_FIDELITY/);
    expect(() => loadEmulatorConfig({ OCS_EMULATOR_PORT: '70000' })).toThrow(/OCS_EMULATOR_PORT/);
  });

  it('reports through the contract parseEnv, never echoing a value', () => {
    const secret = 'not-a-port-s3cr3t';
    let thrown: unknown;
    try {
      loadEmulatorConfig({ OCS_EMULATOR_PORT: secret, OCS_EMULATOR_FIDELITY: 'exact' });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect((thrown as Error).message).toMatch(
      /OCS_EMULATOR_PORT[\s\S]*OCS_EMULATOR_FIDELITY|OCS_EMULATOR_FIDELITY[\s\S]*OCS_EMULATOR_PORT/,
    );
    expect((thrown as Error).message).not.toContain(secret);
  });

  it('describes every variable', () => {
    for (const [name, schema] of Object.entries(emulatorEnvSchema.shape)) {
      expect(schema.description, name).toBeTruthy();
    }
  });
});

describe('Vienna time', () => {
  it('uses +01:00 in winter and +02:00 in summer', () => {
    expect(formatVienna(Date.parse('2025-01-15T12:00:00Z'))).toBe('2025-01-15T13:00:00+01:00');
    expect(formatVienna(Date.parse('2025-07-15T12:00:00Z'))).toBe('2025-07-15T14:00:00+02:00');
    expect(viennaOffsetMinutes(Date.parse('2025-03-30T00:59:59Z'))).toBe(60);
    expect(viennaOffsetMinutes(Date.parse('2025-03-30T01:00:00Z'))).toBe(120);
    expect(formatVienna(null)).toBeNull();
    expect(formatVienna(DEFAULT_EXPIRATION_MS)).toBe('2037-12-31T23:59:59+01:00');
  });

  it('parses offsets, Z and local Vienna times', () => {
    expect(parseDateTime('2025-12-31T23:59:59Z')).toBe(Date.parse('2025-12-31T23:59:59Z'));
    expect(parseDateTime('2025-06-01T10:00:00+0200')).toBe(Date.parse('2025-06-01T08:00:00Z'));
    expect(parseDateTime('2025-06-01T10:00')).toBe(Date.parse('2025-06-01T08:00:00Z'));
    expect(parseDateTime('2025-01-01T10:00:00.5')).toBe(Date.parse('2025-01-01T09:00:00.5Z'));
  });

  it('renders the error timestamp as local time without offset', () => {
    expect(viennaLocalTimestamp(Date.parse('2025-12-19T12:14:20.221Z'))).toBe('2025-12-19T13:14:20.221');
    expect(viennaLocalTimestamp(Date.parse('2025-12-19T12:14:20Z'))).toBe('2025-12-19T13:14:20');
  });

  it('adds calendar cycles on the Vienna calendar', () => {
    const jan31 = parseDateTime('2025-01-31T10:00:00');
    expect(formatVienna(addCycles(jan31, 1, 'MONTHS'))).toBe('2025-02-28T10:00:00+01:00');
    expect(formatVienna(addCycles(jan31, 1, 'YEARS'))).toBe('2026-01-31T10:00:00+01:00');
    expect(formatVienna(addCycles(jan31, 2, 'WEEKS'))).toBe('2025-02-14T10:00:00+01:00');
    // Crossing the switch to summer time keeps the wall-clock hour.
    expect(formatVienna(addCycles(parseDateTime('2025-03-29T10:00:00'), 1, 'DAYS'))).toBe(
      '2025-03-30T10:00:00+02:00',
    );
    expect(formatVienna(addCycles(parseDateTime('2025-11-15T10:00:00'), 3, 'MONTHS'))).toBe(
      '2026-02-15T10:00:00+01:00',
    );
  });
});
