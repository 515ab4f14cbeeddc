import { MSISDN_PATTERN } from '@ocsai/contract';
import { OcsFailure } from './ocs-failure.js';

/** Digits only, as the OCS stores MSISDNs: "+43 660 123-4567" becomes "436601234567". */
export function normaliseMsisdn(raw: string): string {
  return raw.replace(/[\s+\-().]/g, '');
}

/** The normalised MSISDN, or a validation failure that says what a valid one looks like. */
export function msisdnOrThrow(raw: string): string {
  const digits = normaliseMsisdn(raw);
  if (!MSISDN_PATTERN.test(digits))
    throw new OcsFailure(
      'validation',
      `msisdn "${raw}" is not a valid MSISDN: after removing "+", spaces and dashes it must be 11 to 15 digits in international format (e.g. 43664123456789).`,
    );
  return digits;
}
