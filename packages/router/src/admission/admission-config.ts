import { z } from 'zod';
import { hashApiKey } from './api-keys.js';

const optionalEnv = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === '' ? undefined : value), schema);

const commaList = (text: string) =>
  text
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);

/**
 * Auth, rate-limit and CORS settings; spread into the router's env schema. Plain API keys are
 * hashed while the environment is parsed, so the config object never holds a usable key.
 */
export const admissionEnvShape = {
  ROUTER_API_KEYS: optionalEnv(
    z
      .string()
      .transform((text) => commaList(text).map(hashApiKey))
      .default([])
      .describe('Comma list of API keys accepted as Bearer or x-api-key (kept only as SHA-256 hashes).'),
  ),
  ROUTER_API_KEY_HASHES: optionalEnv(
    z
      .string()
      .transform((text) => commaList(text).map((hash) => hash.toLowerCase()))
      .pipe(z.array(z.string().regex(/^[0-9a-f]{64}$/, 'each hash must be 64 hex digits (sha256)')))
      .default([])
      .describe('Comma list of SHA-256 hex digests of accepted API keys.'),
  ),
  ROUTER_RATE_LIMIT_RPM: optionalEnv(
    z.coerce.number().int().min(0).default(0).describe('Requests per minute per API key (0 = no limit).'),
  ),
  ROUTER_RATE_LIMIT_TPM: optionalEnv(
    z.coerce.number().int().min(0).default(0).describe('LLM tokens per minute per API key (0 = no limit).'),
  ),
  ROUTER_CORS_ORIGINS: optionalEnv(
    z
      .string()
      .transform(commaList)
      .pipe(z.array(z.url('each origin must be a URL such as https://app.example.com')))
      .default([])
      .describe('Exact browser origins allowed by CORS; none = CORS off.'),
  ),
};

export interface AdmissionConfig {
  ROUTER_API_KEYS: string[];
  ROUTER_API_KEY_HASHES: string[];
  ROUTER_RATE_LIMIT_RPM: number;
  ROUTER_RATE_LIMIT_TPM: number;
  ROUTER_CORS_ORIGINS: string[];
}
