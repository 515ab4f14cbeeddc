import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, declaredVariables, isBlank, parseEnv } from '../src/index.js';

const schema = z.object({
  PORT: z.coerce.number().int().min(1).default(8080),
  HOST: z.string().min(1).default('127.0.0.1'),
  API_KEY: z.string().min(8).optional(),
});

describe('parseEnv', () => {
  it('treats blank values as unset, so defaults apply', () => {
    expect(parseEnv('demo', schema, { PORT: '', HOST: '   ' })).toEqual({ PORT: 8080, HOST: '127.0.0.1' });
  });

  it('reads only the variables the schema declares', () => {
    expect(declaredVariables(Object.keys(schema.shape), { PORT: '1', PATH: '/bin' })).toEqual({ PORT: '1' });
    expect(isBlank(' ')).toBe(true);
    expect(isBlank('x')).toBe(false);
  });

  it('names every bad variable, and never echoes a value', () => {
    let error: unknown;
    try {
      parseEnv('demo', schema, { PORT: 'eighty', API_KEY: 'sk-1' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toMatch(/^Invalid demo configuration:/);
    expect(message).toContain('PORT');
    expect(message).toContain('API_KEY');
    expect(message).not.toContain('sk-1');
    expect(message).not.toContain('eighty');
  });
});
