import { describe, expect, it } from 'vitest';
import {
  BalanceRecord,
  HistoryRecord,
  recordCheckOf,
  SubscriberRecord,
  SubscriptionRecord,
} from '../src/ocs/provisioning-api.js';

/** A subscriber as the emulator answers it, with members the schema does not declare. */
const SUBSCRIBER = JSON.parse(
  '{"subscriberId":"5b0b8e90","businessAccountId":null,"msisdn":"4366401000000","imsi":null,"currentState":"pre-provisioned","personalInfo":{"firstName":"A","lastName":"B"},"billing":{"billcycleDay":1},"groups":[],"subscriptions":["f185"],"customFields":{},"timers":[]}',
);

/** Answers each schema must treat exactly as zod does: passed (the same object), or refused. */
const ANSWERS: Array<[string, unknown]> = [
  ['a real record', SUBSCRIBER],
  [
    'declared members out of order',
    JSON.parse('{"z":1,"currentState":"x","msisdn":"m","a":2,"subscriberId":"s"}'),
  ],
  [
    'a __proto__ member (JSON.parse makes it an own key)',
    JSON.parse('{"__proto__":{"polluted":true},"subscriberId":"s","msisdn":"m","currentState":"x"}'),
  ],
  [
    'a member named like a declared one in another case',
    { subscriberId: 's', SubscriberId: 1, msisdn: 'm', currentState: 'x' },
  ],
  ['only the declared members', { subscriberId: 's', msisdn: 'm', currentState: 'x' }],
  ['a declared member missing', { subscriberId: 's', msisdn: 'm' }],
  ['a declared member of another type', { subscriberId: 's', msisdn: 4366, currentState: 'x' }],
  ['a declared member null', { subscriberId: null, msisdn: 'm', currentState: 'x' }],
  ['an array', [SUBSCRIBER]],
  ['null', null],
  ['a string', 'not a record'],
  ['empty strings', { subscriberId: '', msisdn: '', currentState: '' }],
];

describe('the record check at the OCS boundary', () => {
  it('a checked record is frozen and vouched for; a record that fails stays a bad_response', async () => {
    const { ProvisioningApi, checkedRecordSchema } = await import('../src/ocs/provisioning-api.js');
    const answers: unknown[] = [JSON.parse(JSON.stringify(SUBSCRIBER)), { subscriberId: 's' }];
    const http = { request: async () => ({ status: 200, body: answers.shift() }) };
    const ocs = new ProvisioningApi(http as never, { transactionId: 't' });
    const record = await ocs.getSubscriber('5b0b8e90');
    expect(Object.isFrozen(record)).toBe(true);
    expect(checkedRecordSchema(record)).toBe(SubscriberRecord);
    expect(JSON.stringify(record)).toBe(JSON.stringify(SUBSCRIBER));
    await expect(ocs.getSubscriber('5b0b8e90')).rejects.toMatchObject({ kind: 'bad_response' });
  });

  for (const [name, schema] of [
    ['SubscriberRecord', SubscriberRecord],
    ['SubscriptionRecord', SubscriptionRecord],
    ['BalanceRecord', BalanceRecord],
    ['HistoryRecord', HistoryRecord],
  ] as const) {
    it(`${name} is checked in place by plain code that passes what zod passes, with the same members`, () => {
      const check = recordCheckOf(schema);
      expect(check).toBeTypeOf('function');
      const shape = Object.keys(schema.shape);
      // Each answer, and the same answer completed with this schema's declared members.
      const answers = ANSWERS.flatMap(([what, body]): Array<[string, unknown]> => {
        if (typeof body !== 'object' || body === null || Array.isArray(body)) return [[what, body]];
        const completed = JSON.parse(JSON.stringify(body));
        for (const field of shape) if (!(field in completed)) completed[field] = `${field}-value`;
        return [
          [what, body],
          [`${what}, completed`, completed],
        ];
      });
      let passed = 0;
      for (const [what, body] of answers) {
        const zod = schema.safeParse(body);
        const ours = check?.(body);
        if (!zod.success) {
          expect(ours, what).toBeUndefined();
          continue;
        }
        if (Object.hasOwn(body as object, '__proto__')) {
          // Left to zod, which drops that member.
          expect(ours, what).toBeUndefined();
          continue;
        }
        passed += 1;
        // The answer itself, with every member zod keeps and the same values.
        expect(ours, what).toBe(body);
        expect(Object.keys(ours ?? {}).sort(), what).toEqual(Object.keys(zod.data).sort());
        for (const key of Object.keys(zod.data))
          expect((ours as Record<string, unknown>)[key], `${what}: ${key}`).toBe(
            (zod.data as Record<string, unknown>)[key],
          );
      }
      expect(passed).toBeGreaterThan(3);
    });
  }
});
