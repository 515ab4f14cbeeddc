import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appHarness, uniqueMsisdn } from './harness.js';

const h = appHarness();
let subscriberId: string;
beforeAll(async () => {
  subscriberId = (await h.call('POST', '/subscribers', { msisdn: uniqueMsisdn() })).body.subscriberId;
  // 25 manual entries + the automatic creation entry = 26, all started "now" or earlier.
  for (let i = 0; i < 25; i++) {
    const r = await h.call('POST', '/accountHistory', {
      entityId: subscriberId,
      entityType: 'SUBSCRIBER',
      status: 'TEST',
      description: `entry ${i}`,
      interactionDate: { startDateTime: '2025-01-01T10:00:00Z', endDateTime: '2025-01-01T10:05:00Z' },
    });
    expect(r.status).toBe(201);
  }
});
afterAll(() => h.close());

const HISTORY_KEYS = [
  'interactionId',
  'entityId',
  'entityType',
  'creationDate',
  'description',
  'direction',
  'reason',
  'status',
  'statusChangeDate',
  'attachment',
  'channel',
  'interactionDate',
];
const page = (query: string) => h.call('GET', `/accountHistory/entityId/${subscriberId}${query}`);
const ids = (entries: { interactionId: string }[]) => entries.map((e) => e.interactionId);

describe('POST /accountHistory', () => {
  it('honours a client interactionId, ignores creationDate, 409 on duplicate leaving the original', async () => {
    const id = `hist-${Date.now()}`;
    const r = await h.call('POST', '/accountHistory', {
      interactionId: id,
      entityId: 'E1',
      entityType: 'ACCOUNT',
      creationDate: '2000-01-01T00:00:00Z',
      attachment: { id: 'attach-123', url: 'https://example.com/a.pdf', type: 'application/pdf' },
      channel: 'WEB',
    });
    expect(r.status).toBe(201);
    expect(Object.keys(r.body)).toEqual(HISTORY_KEYS);
    expect(r.body).toMatchObject({
      interactionId: id,
      entityType: 'ACCOUNT',
      description: null,
      interactionDate: null,
    });
    expect(r.body.creationDate).not.toContain('2000');
    const dup = await h.call('POST', '/accountHistory', {
      interactionId: id,
      entityId: 'E2',
      entityType: 'GROUP',
    });
    expect(dup.status).toBe(409);
    expect((await h.call('GET', `/accountHistory/${id}`)).body.entityId).toBe('E1');
  });

  it('generates an id and validates required fields and the enum', async () => {
    const r = await h.call('POST', '/accountHistory', { entityId: 'E3', entityType: 'GROUP' });
    expect(r.body.interactionId).toMatch(/^[0-9a-f-]{36}$/);
    const missing = await h.call('POST', '/accountHistory', { status: 'TEST' });
    expect(missing.status).toBe(400);
    expect(missing.body.message).toMatch(/entityId: is required; entityType: is required/);
    expect(
      (await h.call('POST', '/accountHistory', { entityId: 'E', entityType: 'SUBSCRIPTION' })).status,
    ).toBe(400);
  });
});

describe('GET /accountHistory/entityId/{id}', () => {
  it('pages 26 entries with default 20 and clamps out-of-range values', async () => {
    const first = await page('');
    expect(first.text.startsWith('[')).toBe(true);
    expect(first.body).toHaveLength(20);
    expect(first.text.match(/startDateTime/g)).toHaveLength(20);
    expect((await page('?limit=0')).body).toHaveLength(1);
    expect((await page('?limit=-5')).body).toHaveLength(1);
    expect((await page('?limit=150')).body).toHaveLength(26);
    expect((await page('?limit=100')).body).toHaveLength(26);
    expect((await page('?limit=8')).body).toHaveLength(8);
    expect((await page('?offset=20&limit=10')).body).toHaveLength(6);
    expect((await page('?offset=5')).body).toHaveLength(20);
    expect((await page('?offset=26')).text).toBe('[]');
    expect(ids((await page('?offset=-3&limit=5')).body)).toEqual(ids(first.body.slice(0, 5)));
    expect((await page('?limit=&offset=')).body).toHaveLength(20);
  });

  it('orders newest start first with insertion order breaking ties, pages never overlap', async () => {
    const all = (await page('?limit=100')).body;
    // The automatic creation entry started "now", later than the 2025 manual ones.
    expect(all[0].reason).toBe('Subscriber Creation');
    expect(all[1].description).toBe('entry 24');
    expect(all[25].description).toBe('entry 0');
    const p1 = ids((await page('?limit=10&offset=0')).body);
    const p2 = ids((await page('?limit=10&offset=10')).body);
    expect(p1.filter((id) => p2.includes(id))).toEqual([]);
    expect([...p1, ...p2]).toEqual(ids(all.slice(0, 20)));
  });

  it('puts a later start before an earlier one created after it, entries without start last', async () => {
    const entity = `order-${Date.now()}`;
    const post = (start?: string) =>
      h.call('POST', '/accountHistory', {
        entityId: entity,
        entityType: 'SUBSCRIBER',
        ...(start ? { interactionDate: { startDateTime: start } } : {}),
      });
    const none = (await post()).body.interactionId;
    const ten = (await post('2025-06-01T10:00:00+02:00')).body.interactionId;
    const nine = (await post('2025-06-01T09:00:00')).body.interactionId;
    expect(ids((await h.call('GET', `/accountHistory/entityId/${entity}`)).body)).toEqual([ten, nine, none]);
    expect(ids((await h.call('GET', `/accountHistory?entityId=${entity}&limit=2`)).body)).toEqual([
      ten,
      nine,
    ]);
    expect((await h.call('GET', '/accountHistory/entityId/nobody')).text).toBe('[]');
    expect((await h.call('GET', '/accountHistory')).status).toBe(400);
  });

  it('non-numeric limit/offset: friendly 400 naming the parameter', async () => {
    const r = await page('?limit=abc');
    expect(r.status).toBe(400);
    expect(r.body.message).toMatch(/^limit:/);
    expect((await page('?offset=xyz')).body.message).toMatch(/^offset:/);
    expect((await page('?limit=99999999999')).status).toBe(400);
  });
});

describe('PATCH / DELETE /accountHistory/{id}', () => {
  it('merges a plain object, ignoring immutable fields and nulls', async () => {
    const created = (
      await h.call('POST', '/accountHistory', {
        entityId: 'P1',
        entityType: 'SUBSCRIBER',
        status: 'FIRST',
        reason: 'r',
        attachment: { id: 'a1' },
      })
    ).body;
    const r = await h.call('PATCH', `/accountHistory/${created.interactionId}`, {
      status: 'UPDATED_STATUS',
      description: 'changed',
      direction: 'OUTBOUND',
      reason: null,
      entityId: 'other',
      interactionId: 'other',
      statusChangeDate: '2025-01-01T00:00:00Z',
      channel: 'WEB',
      attachment: { url: 'https://x' },
      interactionDate: { startDateTime: '2025-02-01T00:00:00Z', endDateTime: '2025-02-01T01:00:00Z' },
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      interactionId: created.interactionId,
      entityId: 'P1',
      status: 'UPDATED_STATUS',
      description: 'changed',
      direction: 'OUTBOUND',
      reason: 'r',
      channel: 'WEB',
      statusChangeDate: '2025-01-01T01:00:00+01:00',
      attachment: { id: 'a1', url: 'https://x', type: null },
      interactionDate: { startDateTime: '2025-02-01T01:00:00+01:00' },
    });
    expect((await h.call('GET', `/accountHistory/${created.interactionId}`)).body).toEqual(r.body);
    expect(
      (
        await h.call('PATCH', `/accountHistory/${created.interactionId}`, [
          { fieldName: 'status', fieldValue: 'x' },
        ])
      ).status,
    ).toBe(400);
    expect((await h.call('PATCH', `/accountHistory/${created.interactionId}`, { status: 5 })).status).toBe(
      400,
    );
    expect((await h.call('PATCH', '/accountHistory/unknown', { status: 'x' })).status).toBe(404);
  });

  it('deletes, then 404', async () => {
    const created = (await h.call('POST', '/accountHistory', { entityId: 'D1', entityType: 'SUBSCRIBER' }))
      .body;
    expect((await h.call('DELETE', `/accountHistory/${created.interactionId}`)).status).toBe(204);
    expect((await h.call('GET', `/accountHistory/${created.interactionId}`)).status).toBe(404);
    expect((await h.call('DELETE', `/accountHistory/${created.interactionId}`)).status).toBe(404);
  });
});
