export const REDACTED = '[redacted]';

/** Secrets shorter than this are not matched: a 1–3 character "secret" would blank ordinary text. */
const MIN_SECRET_LENGTH = 4;

/**
 * Replaces every occurrence of the configured secret values in text and in nested values. Built once
 * per process from the secrets a service was given (API keys, tokens), and applied to anything that
 * leaves the process: errors, tool results, audit arguments, log lines. Always redact first and
 * truncate after, or a secret cut in half survives as its prefix.
 */
export class SecretRedactor {
  private readonly secrets: readonly string[];
  /** Whether every secret is written verbatim inside a JSON string (nothing in it needs escaping). */
  readonly verbatimInJson: boolean;

  constructor(secrets: Iterable<string | undefined | null>) {
    const unique = new Set<string>();
    for (const secret of secrets) {
      if (typeof secret === 'string' && secret.length >= MIN_SECRET_LENGTH) unique.add(secret);
    }
    // Longest first, so a secret that contains another is replaced whole.
    this.secrets = [...unique].sort((a, b) => b.length - a.length);
    this.verbatimInJson = this.secrets.every((secret) => JSON.stringify(secret) === `"${secret}"`);
  }

  get size(): number {
    return this.secrets.length;
  }

  text(text: string): string {
    let out = text;
    for (const secret of this.secrets) {
      if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    }
    return out;
  }

  /** Redacts, then cuts to `max` characters (marking the cut), in that order. */
  truncated(text: string, max: number): string {
    const redacted = this.text(text);
    return redacted.length > max ? `${redacted.slice(0, max)}…` : redacted;
  }

  /**
   * A JSON-like value with secrets redacted in every string, keys included: a deep copy where a
   * secret occurs, the value itself where none does. Whether one occurs is read off the value's
   * JSON text (one native pass) instead of walking it: a string holding a secret holds it verbatim
   * in its JSON form when the secret needs no escaping, so a miss there is a miss everywhere.
   */
  value<T>(value: T): T {
    if (this.secrets.length === 0) return value;
    if (this.verbatimInJson && !this.occursIn(value)) return value;
    return this.walk(value) as T;
  }

  /** Whether any secret occurs in `text`. */
  containsSecret(text: string): boolean {
    for (const secret of this.secrets) if (text.includes(secret)) return true;
    return false;
  }

  private occursIn(value: unknown): boolean {
    let json: string | undefined;
    try {
      json = JSON.stringify(value);
    } catch {
      return true; // not JSON (a cycle, a BigInt): walk it
    }
    return json !== undefined && this.containsSecret(json);
  }

  private walk(value: unknown): unknown {
    if (typeof value === 'string') return this.text(value);
    if (Array.isArray(value)) return value.map((item) => this.walk(item));
    if (value !== null && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [key, member] of Object.entries(value)) out[this.text(key)] = this.walk(member);
      return out;
    }
    return value;
  }
}
