import { z } from 'zod';

/** Context path of the provisioning API on the real backend and on the emulator. */
export const OCS_BASE_PATH = '/ocs/prov/v1';

/**
 * Response header only our emulator sends: it replays a POST that repeats a client X-Transaction-ID
 * (same method, path and body) instead of applying it again. The real backend makes no such promise
 * (it echoes the header and nothing more), so an OCS client may repeat a write only where it sees this.
 */
export const EMULATOR_DEDUPLICATES_HEADER = 'X-OCS-Emulator-Deduplicates';

export const MSISDN_PATTERN = /^[0-9]{11,15}$/;
export const IMSI_PATTERN = /^[0-9]{12,15}$/;

export const Msisdn = z
  .string()
  .regex(
    MSISDN_PATTERN,
    'MSISDN must be 11 to 15 digits in international format, no "+" (e.g. 43664123456789)',
  );
export const Imsi = z.string().regex(IMSI_PATTERN, 'IMSI must be 12 to 15 digits');

/** ISO-8601 date-time; the OCS accepts `Z` and numeric offsets, and a local time without offset. */
export const DateTime = z
  .string()
  .regex(
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/,
    'must be an ISO-8601 date-time such as 2037-12-31T23:59:59Z',
  )
  .refine(
    (s) => !Number.isNaN(Date.parse(s.length <= 16 ? `${s}:00` : s)),
    'must be a real calendar date-time',
  );

export const IsoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
  .refine((s) => !Number.isNaN(Date.parse(s)), 'must be a real calendar date');

/** A whole number that fits the backend's 64-bit columns exactly (JSON numbers beyond 2^53 lose precision). */
export const Amount = z
  .number()
  .int('must be a whole number')
  .min(0, 'must not be negative')
  .max(Number.MAX_SAFE_INTEGER);

/** Amount as accepted on input: the backend truncates fractional values to whole units. */
export const AmountInput = z
  .number()
  .min(0, 'must not be negative')
  .max(Number.MAX_SAFE_INTEGER, 'is too large to be represented exactly')
  .transform((n) => Math.trunc(n));
