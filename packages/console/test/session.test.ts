import { afterEach, describe, expect, it } from 'vitest';
import { isValidUserId, loadSession, saveSession } from '../src/session.js';

/** A Storage with the Web API's shape, for the node test environment. */
class MemoryStorage {
  private readonly items = new Map<string, string>();
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    this.items.set(key, value);
  }
  removeItem(key: string) {
    this.items.delete(key);
  }
}

const global = globalThis as { sessionStorage?: unknown };

afterEach(() => {
  delete global.sessionStorage;
});

describe('session', () => {
  it('stores, reads and forgets values', () => {
    global.sessionStorage = new MemoryStorage();
    expect(loadSession('userId')).toBe('');
    saveSession('userId', 'agent-7');
    expect(loadSession('userId')).toBe('agent-7');
    saveSession('userId', '');
    expect(loadSession('userId')).toBe('');
  });

  it('forgets quietly when storage is missing or throws', () => {
    expect(loadSession('apiKey')).toBe('');
    saveSession('apiKey', 'k');
    global.sessionStorage = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('quota');
      },
    };
    expect(loadSession('apiKey')).toBe('');
    expect(() => saveSession('apiKey', 'k')).not.toThrow();
  });

  it('validates user ids like the router does', () => {
    expect(isValidUserId('agent-1')).toBe(true);
    expect(isValidUserId('a b')).toBe(false);
    expect(isValidUserId('')).toBe(false);
  });
});
