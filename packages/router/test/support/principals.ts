import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashApiKey } from '../../src/admission/api-keys.js';
import type { Principal } from '../../src/admission/principal.js';
import { PROVIDER_NAMES } from '../../src/providers/types.js';

/** A principal as the keyless loopback default builds it, with overrides. */
export function testPrincipal(overrides: Partial<Principal> = {}): Principal {
  return {
    id: 'local',
    name: 'test',
    roles: [],
    users: ['*'],
    providers: [...PROVIDER_NAMES],
    models: ['*'],
    rateLimits: {},
    source: 'local',
    ...overrides,
  };
}

/** How the loop's takePending is called for `userId` by the test principal. */
export const answerFor = (userId: string, approve = true, principal = testPrincipal()) => ({
  userId,
  principal,
  approve,
});

/** Writes a ROUTER_KEYS_FILE (JSON) whose principals own the given plain keys; returns its path. */
export function writeKeysFile(
  principals: (Record<string, unknown> & { id: string; keys: string[] })[],
  dir = mkdtempSync(join(tmpdir(), 'router-keys-')),
): string {
  const file = join(dir, 'keys.json');
  const entries = principals.map(({ keys, ...rest }) => ({ ...rest, key_sha256: keys.map(hashApiKey) }));
  writeFileSync(file, JSON.stringify({ principals: entries }));
  return file;
}
