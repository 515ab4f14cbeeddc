/**
 * What the console remembers for the browser tab. sessionStorage only: the API key must not outlive
 * the tab, and nothing here is worth persisting longer.
 */

export const DEFAULT_USER_ID = 'agent-1';

const KEYS = {
  userId: 'ocsai.console.userId',
  apiKey: 'ocsai.console.apiKey',
  provider: 'ocsai.console.provider',
  model: 'ocsai.console.model',
} as const;

export type SessionField = keyof typeof KEYS;

/** Storage can be missing or throw (privacy modes); the console then just forgets. */
function storage(): Storage | undefined {
  try {
    return globalThis.sessionStorage;
  } catch {
    return undefined;
  }
}

export function loadSession(field: SessionField): string {
  try {
    return storage()?.getItem(KEYS[field]) ?? '';
  } catch {
    return '';
  }
}

export function saveSession(field: SessionField, value: string): void {
  try {
    if (value === '') storage()?.removeItem(KEYS[field]);
    else storage()?.setItem(KEYS[field], value);
  } catch {
    // Quota or privacy mode: the value lives only in memory for this page.
  }
}

/** Same rule as the router's user_id: 1-128 characters from A-Z a-z 0-9 . _ @ : - */
export const USER_ID_PATTERN = /^[A-Za-z0-9._@:-]{1,128}$/;

export function isValidUserId(value: string): boolean {
  return USER_ID_PATTERN.test(value);
}
