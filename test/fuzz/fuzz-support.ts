import fc from 'fast-check';
import { expect } from 'vitest';

/** Field names the services know, so generated objects reach validation of real fields with wrong types. */
const KNOWN_FIELDS = [
  'msisdn',
  'imsi',
  'offerId',
  'subscriberId',
  'subscriptionId',
  'unitType',
  'balanceAmount',
  'balanceAvailable',
  'state',
  'currentState',
  'personalInfo',
  'billing',
  'op',
  'path',
  'value',
  'entityId',
  'entityType',
  'description',
  'direction',
  'channel',
  'status',
  'message',
  'messages',
  'provider',
  'model',
  'user_id',
  'context',
  'stream',
  'temperature',
  'max_tokens',
  'identity',
  'memory',
  'docs',
  'tools',
  'role',
  'content',
  'confirm',
  'jsonrpc',
  'id',
  'method',
  'params',
  'arguments',
  'name',
];

const scalar = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.integer(),
  fc.double({ noNaN: false }),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom(
    '',
    ' ',
    '0',
    '-1',
    '1e309',
    'null',
    '\u0000',
    '\ud800',
    '👩‍💻',
    '<script>',
    "'; DROP TABLE x;--",
  ),
);

/** Objects over the known field names, with values of any type (often the wrong one). */
export const wrongTypedObject = fc.dictionary(
  fc.oneof(fc.constantFrom(...KNOWN_FIELDS), fc.string({ maxLength: 12 })),
  fc.oneof(
    scalar,
    fc.array(scalar, { maxLength: 4 }),
    fc.dictionary(fc.constantFrom(...KNOWN_FIELDS), scalar),
  ),
  { maxKeys: 8 },
);

/** A request body: bytes, since some cases are not even valid UTF-8. */
export const body: fc.Arbitrary<Uint8Array> = fc
  .oneof(
    { weight: 5, arbitrary: wrongTypedObject.map((value) => JSON.stringify(value)) },
    { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify(value)) },
    { weight: 2, arbitrary: fc.string({ maxLength: 200 }) },
    // Deep nesting: arrays and objects thousands of levels down.
    {
      weight: 1,
      arbitrary: fc
        .integer({ min: 100, max: 20_000 })
        .map((depth) => `${'['.repeat(depth)}${']'.repeat(depth)}`),
    },
    {
      weight: 1,
      arbitrary: fc
        .integer({ min: 100, max: 5000 })
        .map((depth) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`),
    },
    // Huge strings in a plausible field.
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.constantFrom(...KNOWN_FIELDS), fc.integer({ min: 10_000, max: 300_000 }))
        .map(([field, size]) => JSON.stringify({ [field]: 'x'.repeat(size) })),
    },
  )
  .map((text) => new TextEncoder().encode(text))
  .chain((bytes) =>
    fc.oneof(
      { weight: 9, arbitrary: fc.constant(bytes) },
      // Invalid UTF-8 spliced in.
      {
        weight: 2,
        arbitrary: fc
          .tuple(fc.nat(bytes.length), fc.uint8Array({ minLength: 1, maxLength: 8 }))
          .map(([at, junk]) =>
            Uint8Array.from([
              ...bytes.slice(0, at),
              0xff,
              0xc3,
              ...junk.map((b) => b | 0x80),
              ...bytes.slice(at),
            ]),
          ),
      },
    ),
  );

const headerValue = fc.string({
  unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
  maxLength: 60,
});

/** Request headers: content types right and wrong, ids and keys of any printable shape. */
export const headers = fc.record(
  {
    'content-type': fc.constantFrom(
      'application/json',
      'application/json; charset=utf-8',
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/json; charset=utf-16',
    ),
    'x-request-id': headerValue,
    'x-transaction-id': headerValue,
    accept: fc.constantFrom(
      'application/json',
      '*/*',
      'text/event-stream',
      'application/json, text/event-stream',
    ),
  },
  { requiredKeys: ['content-type'] },
);

/** One path segment (an id): valid-looking, empty-ish, traversal, encoded junk, very long. */
export const pathSegment = fc
  .oneof(
    fc.uuid(),
    fc.string({ minLength: 1, maxLength: 40 }),
    fc.constantFrom('..', '%2e%2e', '%00', 'null', '-1', '0', ' ', '%ff%fe', '%E0%A4%A'),
    fc.integer({ min: 200, max: 5000 }).map((size) => 'a'.repeat(size)),
  )
  .map((segment) => (/%[0-9A-Fa-f]{0,2}/.test(segment) ? segment : encodeURIComponent(segment)));

/** Cases run per endpoint, printed at the end of each file for the closing note. */
export class CaseCounter {
  readonly #counts = new Map<string, number>();
  serverErrors = 0;
  add(endpoint: string): void {
    this.#counts.set(endpoint, (this.#counts.get(endpoint) ?? 0) + 1);
  }
  summary(service: string): string {
    const parts = [...this.#counts].map(([endpoint, count]) => `${endpoint}=${count}`);
    const total = [...this.#counts.values()].reduce((a, b) => a + b, 0);
    return `fuzz ${service}: ${total} cases, ${this.serverErrors} server errors; ${parts.join(', ')}`;
  }
}

/** Only 2xx-4xx; a JSON 4xx body must carry a message that says what is wrong. */
export async function expectHandled(response: Response, counter: CaseCounter, what: string): Promise<void> {
  const text = await response.text();
  if (response.status >= 500) counter.serverErrors++;
  expect(response.status, `${what} -> ${response.status} ${text.slice(0, 300)}`).toBeLessThan(500);
  if (response.status >= 400 && text && (response.headers.get('content-type') ?? '').includes('json')) {
    let parsed: unknown;
    expect(() => {
      parsed = JSON.parse(text);
    }, `${what}: error body is not JSON`).not.toThrow();
    expect(JSON.stringify(parsed), `${what}: error names no problem`).toMatch(/"message":"[^"]{3,}/);
    expect(text, `${what}: stack trace in the answer`).not.toMatch(/\n\s+at [\w.<]+ \(/);
  }
}

/**
 * fetch, with one retry when the connection dies without an answer: a keep-alive socket the
 * server closed as idle just as the request went out is a client-side race, not a server error.
 * A second failure is reported with the request that caused it.
 */
export async function send(url: string, init: RequestInit, payload?: Uint8Array): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch {
    return fetch(url, init).catch((error: Error) => {
      const sample = payload ? new TextDecoder().decode(payload.slice(0, 120)) : '';
      throw new Error(
        `${init.method} ${url}: no answer (${String(error.cause ?? error)}); body starts ${sample}`,
      );
    });
  }
}
