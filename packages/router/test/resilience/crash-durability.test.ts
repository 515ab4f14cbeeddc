import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPackages, REPO, type SpawnedService, spawnService } from './spawned-service.js';

// kill -9 must lose nothing that was acknowledged: both services write SQLite with synchronous=FULL.
const ACKS_BEFORE_KILL = 120;
const WRITERS = 4;

let dir: string;
const spawned: SpawnedService[] = [];
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ocsai-crash-'));
  buildPackages(['contract', 'emulator', 'router']);
}, 120_000);
afterAll(() => {
  for (const service of spawned) if (service.child.exitCode === null) service.child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

const bin = (pkg: string) => join(REPO, 'packages', pkg, 'dist/bin.js');

async function emulator(db: string): Promise<SpawnedService> {
  const service = await spawnService(
    bin('emulator'),
    [],
    { OCS_EMULATOR_PORT: '0', OCS_EMULATOR_DB: db, LOG_LEVEL: 'info' },
    /"url":"(http:\/\/127\.0\.0\.1:\d+[^"]*)"/,
  );
  spawned.push(service);
  return service;
}

async function router(db: string): Promise<SpawnedService> {
  const service = await spawnService(
    bin('router'),
    [],
    { ROUTER_STORE: 'sqlite', ROUTER_DB: db, ROUTER_PORT: '0', LOG_LEVEL: 'info', LLM_PROVIDER: 'ollama' },
    /"url":"(http:\/\/127\.0\.0\.1:\d+)"/,
  );
  spawned.push(service);
  return service;
}

/**
 * Runs `write(i)` from several concurrent writers until `ackCount` writes were acknowledged, then
 * kills the process with SIGKILL while the other writers are still mid-request. Returns the keys
 * of every acknowledged write.
 */
async function writeUntilKilled(
  service: SpawnedService,
  write: (index: number) => Promise<string | undefined>,
): Promise<string[]> {
  const acknowledged: string[] = [];
  let next = 0;
  let killed = false;
  const writer = async () => {
    // Bounded, so a service that refuses every write fails the test instead of hanging it.
    while (!killed && next < ACKS_BEFORE_KILL * 20) {
      const index = next++;
      const key = await write(index).catch(() => undefined);
      if (key !== undefined && !killed) acknowledged.push(key);
      if (acknowledged.length >= ACKS_BEFORE_KILL && !killed) {
        killed = true;
        service.child.kill('SIGKILL');
      }
    }
  };
  await Promise.all(Array.from({ length: WRITERS }, writer));
  await service.exited;
  return acknowledged;
}

const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

describe('kill -9 durability', () => {
  it('emulator: every acknowledged write survives, and a retried create_balance credits once', async () => {
    const db = join(dir, 'ocs.sqlite');
    let service = await emulator(db);
    const subscriber = await (await post(`${service.url}/subscribers`, { msisdn: '4799000000001' })).json();
    const subscription = await (
      await post(`${service.url}/subscribers/${subscriber.subscriberId}/subscriptions`, { offerId: '1003' })
    ).json();
    const balancesUrl = (url: string) => `${url}/subscriptions/${subscription.subscriptionId}/balances`;
    const credit = { unitType: 'BYTES', balanceAmount: 500, balanceAvailable: 500 };
    const txid = { 'X-Transaction-ID': 'TXN-CRASH-RETRY-1' };
    const first = await post(balancesUrl(service.url), credit, txid);
    expect(first.status).toBe(201);
    const credited = await first.json();
    const balancesBefore = (await (await fetch(balancesUrl(service.url))).json()).length;

    const acknowledged = await writeUntilKilled(service, async (index) => {
      const msisdn = `4799${String(100000000 + index)}`;
      const res = await post(`${service.url}/subscribers`, { msisdn });
      return res.status === 201 ? msisdn : undefined;
    });

    service = await emulator(db);
    const lost: string[] = [];
    for (const msisdn of acknowledged) {
      const res = await fetch(`${service.url}/subscribers/lookup?msisdn=${msisdn}`);
      if (res.status !== 200) lost.push(msisdn);
    }
    console.log(`emulator kill -9: ${acknowledged.length} acknowledged writes, ${lost.length} lost`);
    expect(acknowledged.length).toBeGreaterThanOrEqual(ACKS_BEFORE_KILL);
    expect(lost).toEqual([]);

    // A client that lost the answer in the crash retries with the same id: it must not credit again.
    const retried = await post(balancesUrl(service.url), credit, txid);
    expect(retried.status).toBe(201);
    expect((await retried.json()).balanceId).toBe(credited.balanceId);
    const balances = await (await fetch(balancesUrl(service.url))).json();
    const duplicates = balances.length - balancesBefore;
    console.log(`create_balance retried after a crash: ${duplicates} duplicate credits`);
    expect(duplicates).toBe(0);
    service.child.kill('SIGTERM');
    await service.exited;
  });

  it('router (SQLite store): every acknowledged context write survives', async () => {
    const db = join(dir, 'router.sqlite');
    let service = await router(db);
    const acknowledged = await writeUntilKilled(service, async (index) => {
      const user = `crash-user-${index}`;
      const res = await fetch(`${service.url}/context/${user}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ identity: { user_id: user }, memory: { facts: [`fact ${index}`] } }),
      });
      return res.status === 200 ? user : undefined;
    });
    service = await router(db);
    const lost: string[] = [];
    for (const user of acknowledged) {
      const res = await fetch(`${service.url}/context/${user}`);
      if (res.status !== 200) lost.push(user);
    }
    console.log(`router kill -9: ${acknowledged.length} acknowledged context writes, ${lost.length} lost`);
    expect(acknowledged.length).toBeGreaterThanOrEqual(ACKS_BEFORE_KILL);
    expect(lost).toEqual([]);
    service.child.kill('SIGTERM');
    await service.exited;
  });
});
