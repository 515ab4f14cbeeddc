import { createHash, timingSafeEqual } from 'node:crypto';

/** SHA-256 hex of a key: the only form in which keys are kept or compared. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/**
 * Maps a presented key to the owner of its SHA-256 hash, in time independent of where (or whether)
 * one matches: every hash is compared, with no early exit.
 */
export class PrincipalKeys<P> {
  readonly #entries: { hash: Buffer; principal: P }[] = [];
  readonly #ids = new Set<string>();

  constructor(entries: readonly { hashes: readonly string[]; principal: P; id?: string }[]) {
    for (const entry of entries) {
      if (entry.id !== undefined) this.#ids.add(entry.id);
      for (const hash of entry.hashes)
        this.#entries.push({ hash: Buffer.from(hash.toLowerCase(), 'hex'), principal: entry.principal });
    }
  }

  get enabled(): boolean {
    return this.#entries.length > 0;
  }

  /** Every principal that owns a key, once each. */
  get principals(): P[] {
    return [...new Set(this.#entries.map((entry) => entry.principal))];
  }

  /** Whether a principal with this id owns any key. */
  has(id: string): boolean {
    return this.#ids.has(id);
  }

  verify(presented: string): P | undefined {
    const digest = createHash('sha256').update(presented, 'utf8').digest();
    let match: P | undefined;
    for (const entry of this.#entries) if (timingSafeEqual(digest, entry.hash)) match = entry.principal;
    return match;
  }
}

/** Plain key checking: the matching key's id (a short prefix of its hash, safe to log), or undefined. */
export class ApiKeyVerifier {
  readonly #keys: PrincipalKeys<string>;

  constructor(hashes: readonly string[]) {
    const unique = [...new Set(hashes.map((hash) => hash.toLowerCase()))];
    this.#keys = new PrincipalKeys(unique.map((hash) => ({ hashes: [hash], principal: hash.slice(0, 16) })));
  }

  get enabled(): boolean {
    return this.#keys.enabled;
  }

  verify(presented: string): string | undefined {
    return this.#keys.verify(presented);
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
