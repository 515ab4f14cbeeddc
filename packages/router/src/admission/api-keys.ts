import { createHash, timingSafeEqual } from 'node:crypto';

/** SHA-256 hex of a key: the only form in which keys are kept or compared. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** Checks presented keys against SHA-256 hashes, in time independent of where (or whether) one matches. */
export class ApiKeyVerifier {
  readonly #hashes: Buffer[];

  constructor(hashes: readonly string[]) {
    this.#hashes = [...new Set(hashes.map((hash) => hash.toLowerCase()))].map((hash) =>
      Buffer.from(hash, 'hex'),
    );
  }

  get enabled(): boolean {
    return this.#hashes.length > 0;
  }

  /** The matching key's id (a short prefix of its hash, safe to log), or undefined. */
  verify(presented: string): string | undefined {
    const digest = createHash('sha256').update(presented, 'utf8').digest();
    let match: Buffer | undefined;
    // Every hash is compared, so the time taken does not reveal which entry matched.
    for (const hash of this.#hashes) if (timingSafeEqual(digest, hash)) match = hash;
    return match ? match.toString('hex').slice(0, 16) : undefined;
  }
}

/** Maps a presented key to the principal owning its hash; same constant-time comparison as ApiKeyVerifier. */
export class PrincipalKeys<P> {
  readonly #entries: { hash: Buffer; principal: P }[] = [];

  constructor(entries: readonly { hashes: readonly string[]; principal: P }[]) {
    for (const entry of entries)
      for (const hash of entry.hashes)
        this.#entries.push({ hash: Buffer.from(hash.toLowerCase(), 'hex'), principal: entry.principal });
  }

  get enabled(): boolean {
    return this.#entries.length > 0;
  }

  /** Whether a principal with this id owns any key. */
  has(id: string): boolean {
    return this.#entries.some((entry) => (entry.principal as { id?: string }).id === id);
  }

  verify(presented: string): P | undefined {
    const digest = createHash('sha256').update(presented, 'utf8').digest();
    let match: P | undefined;
    // Every hash is compared, so the time taken does not reveal which entry matched.
    for (const entry of this.#entries) if (timingSafeEqual(digest, entry.hash)) match = entry.principal;
    return match;
  }
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost', '[::1]']);

export function isLoopbackHost(host: string): boolean {
  return LOOPBACK.has(host.toLowerCase()) || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** Refuses to expose an unauthenticated router beyond this machine. */
export function assertAuthForHost(host: string, verifier: { enabled: boolean }): void {
  if (verifier.enabled || isLoopbackHost(host)) return;
  throw new Error(
    `ROUTER_HOST=${host} is not a loopback address, so credentials are required: set ROUTER_KEYS_FILE, ROUTER_API_KEYS, ROUTER_API_KEY_HASHES or ROUTER_OIDC_ISSUER (or listen on 127.0.0.1)`,
  );
}
