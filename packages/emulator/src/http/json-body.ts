import type { Context } from 'hono';
import { OcsHttpError } from '../domain/ocs-http-error.js';
import type { AppEnv } from './app-env.js';

/** Largest request body accepted; anything bigger is 413. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** Reads and parses a JSON body; a missing or malformed body is a 400 (the backend would 500). */
export async function readJson(c: Context<AppEnv>, bodiless = false): Promise<unknown> {
  const text = await c.req.text();
  c.set('requestBodyText', text);
  if (text.trim() === '') throw new OcsHttpError(400, 'body: a JSON request body is required', bodiless);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new OcsHttpError(400, `body: malformed JSON (${(error as Error).message})`, bodiless);
  }
}

export function requireObject(value: unknown, bodiless = false): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new OcsHttpError(400, 'body: must be a JSON object', bodiless);
  }
  return value as Record<string, unknown>;
}
