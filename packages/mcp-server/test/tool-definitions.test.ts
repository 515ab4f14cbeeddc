import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/client';
import { loadOfferCatalogue } from '@ocsai/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { LOCAL_PRINCIPAL } from '../src/auth/principal.js';
import { type McpConfig, TOOLSETS } from '../src/config.js';
import { closeRuntime, getRuntime } from '../src/runtime.js';
import { ALL_TOOLS } from '../src/tools/all-tools.js';
import { withCachedJsonSchema } from '../src/tools/cached-json-schema.js';
import { invokeTool } from '../src/tools/invoke-tool.js';
import { connectInMemory, ok, testConfig } from './helpers.js';

const SNAP_DIR = join(import.meta.dirname, '__toolsnaps__');
// The OCS is never reached in these tests: a closed port is enough.
const NOWHERE = 'http://127.0.0.1:9/ocs/prov/v1';

const EXPECTED_ORDER = [
  'lookup_subscriber',
  'create_subscriber',
  'get_subscriber',
  'update_subscriber',
  'delete_subscriber',
  'change_subscriber_state',
  'create_subscription',
  'list_subscriptions',
  'get_subscription',
  'update_subscription',
  'change_subscription_state',
  'delete_subscription',
  'create_balance',
  'list_balances',
  'delete_balances',
  'create_account_history',
  'list_account_history',
  'get_account_history',
  'update_account_history',
  'delete_account_history',
  'list_offers',
  'get_offer',
];

async function listTools(env: Record<string, string>) {
  const config = testConfig(NOWHERE, env);
  const client = await connectInMemory(config);
  try {
    return (await client.listTools()).tools;
  } finally {
    await client.close();
    await closeRuntime(config);
  }
}

describe('tool list', () => {
  let config: McpConfig;
  let client: Client;
  beforeAll(async () => {
    // Every toolset, history-admin included, so that every tool has a schema snapshot.
    config = testConfig(NOWHERE, { OCS_MCP_TOOLSETS: TOOLSETS.join(',') });
    client = await connectInMemory(config);
  });
  afterAll(async () => {
    await client?.close();
    await closeRuntime(config);
  });

  it('lists every tool in a fixed order with valid snake_case names', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual(EXPECTED_ORDER);
    for (const t of tools) expect(t.name).toMatch(/^[a-z][a-z0-9_]{0,127}$/);
  });

  it('declares all four annotations, a title, a description and object schemas on every tool', async () => {
    const { tools } = await client.listTools();
    for (const t of tools) {
      const a = t.annotations ?? {};
      for (const hint of ['readOnlyHint', 'destructiveHint', 'idempotentHint', 'openWorldHint'] as const)
        expect(typeof a[hint], `${t.name}.${hint}`).toBe('boolean');
      expect(t.title, t.name).toBeTruthy();
      expect(t.description?.length ?? 0, t.name).toBeGreaterThan(60);
      expect(t.inputSchema.type).toBe('object');
      expect(t.outputSchema?.type).toBe('object');
      if (a.readOnlyHint) expect(a.destructiveHint, t.name).toBe(false);
    }
    const destructive = tools.filter((t) => t.annotations?.destructiveHint).map((t) => t.name);
    // destructiveHint follows the confirmation rule: every tool some call of which is irreversible.
    expect(destructive).toEqual([
      'delete_subscriber',
      'change_subscriber_state',
      'update_subscription',
      'change_subscription_state',
      'delete_subscription',
      'delete_balances',
      'update_account_history',
      'delete_account_history',
    ]);
    for (const name of destructive) {
      const t = tools.find((x) => x.name === name)!;
      expect(Object.keys(t.inputSchema.properties ?? {})).toContain('confirmation_token');
      expect(t.description).toMatch(/confirmation_token/);
    }
  });

  it('matches the schema snapshots in test/__toolsnaps__ (UPDATE_TOOLSNAPS=1 writes missing or changed ones)', async () => {
    const { tools } = await client.listTools();
    const update = process.env.UPDATE_TOOLSNAPS === '1';
    if (update) mkdirSync(SNAP_DIR, { recursive: true });
    for (const t of tools) {
      const snap = {
        name: t.name,
        title: t.title,
        description: t.description,
        inputSchema: t.inputSchema,
        outputSchema: t.outputSchema,
        annotations: t.annotations,
      };
      const text = `${JSON.stringify(snap, null, 2)}\n`;
      const file = join(SNAP_DIR, `${t.name}.snap.json`);
      if (update) {
        writeFileSync(file, text);
        continue;
      }
      expect(existsSync(file), `missing snapshot ${file}; run with UPDATE_TOOLSNAPS=1`).toBe(true);
      expect(JSON.parse(readFileSync(file, 'utf8')), `schema drift in ${t.name}`).toEqual(JSON.parse(text));
    }
    const files = readdirSync(SNAP_DIR).filter((f) => f.endsWith('.snap.json'));
    expect(files.sort()).toEqual(tools.map((t) => `${t.name}.snap.json`).sort());
  });

  it('rejects unknown arguments and names the bad field', async () => {
    const r = await client.callTool({ name: 'get_offer', arguments: { offerId: '1000', extra: 1 } });
    expect(r.isError).toBe(true);
    const r2 = await client.callTool({
      name: 'list_subscriptions',
      arguments: { subscriberId: 'x', limit: 500 },
    });
    expect(r2.isError).toBe(true);
    expect(JSON.stringify(r2.content)).toMatch(/limit/);
  });
});

describe('read-only mode and toolsets', () => {
  it('leaves history-admin (edit and delete account history) off by default', async () => {
    const names = (await listTools({})).map((t) => t.name);
    expect(names).toEqual(
      EXPECTED_ORDER.filter((n) => n !== 'update_account_history' && n !== 'delete_account_history'),
    );
  });

  it('hides every writing tool in read-only mode', async () => {
    const names = (await listTools({ OCS_MCP_READ_ONLY: 'true' })).map((t) => t.name);
    expect(names).toEqual([
      'lookup_subscriber',
      'get_subscriber',
      'list_subscriptions',
      'get_subscription',
      'list_balances',
      'list_account_history',
      'get_account_history',
      'list_offers',
      'get_offer',
    ]);
  });

  it('refuses writing tools in the handler too (defence in depth)', async () => {
    const config = testConfig(NOWHERE, { OCS_MCP_READ_ONLY: 'true', OCS_MCP_TOOLSETS: 'offers,balance' });
    const runtime = getRuntime(config);
    const fakeCtx = { mcpReq: { signal: new AbortController().signal } } as never;
    for (const def of ALL_TOOLS.filter((t) => t.writes)) {
      const r = await invokeTool(def, {}, fakeCtx, {} as never, runtime, LOCAL_PRINCIPAL);
      expect(r).toMatchObject({ isError: true });
      expect(JSON.stringify(r)).toMatch(/read-only mode/);
    }
    const hidden = ALL_TOOLS.find((t) => t.name === 'get_subscriber')!;
    expect(
      JSON.stringify(await invokeTool(hidden, {}, fakeCtx, {} as never, runtime, LOCAL_PRINCIPAL)),
    ).toMatch(/OCS_MCP_TOOLSETS/);
    await closeRuntime(config);
  });

  it('exposes only the selected toolsets', async () => {
    const names = (await listTools({ OCS_MCP_TOOLSETS: 'offers, balance' })).map((t) => t.name);
    expect(names).toEqual(['create_balance', 'list_balances', 'delete_balances', 'list_offers', 'get_offer']);
  });

  it('says read-only in the instructions and drops the onboarding prompt', async () => {
    const config = testConfig(NOWHERE, { OCS_MCP_READ_ONLY: 'true', OCS_MCP_TOOLSETS: 'offers' });
    const client = await connectInMemory(config);
    expect(client.getInstructions()).toMatch(/READ-ONLY/);
    expect((await client.listPrompts()).prompts.map((p) => p.name)).toEqual([
      'investigate_balance_complaint',
    ]);
    expect((await client.listResourceTemplates()).resourceTemplates).toEqual([]);
    await client.close();
    await closeRuntime(config);
  });
});

describe('cached JSON Schema conversion', () => {
  it('converts once per direction and still validates', () => {
    const schema = withCachedJsonSchema(z.object({ a: z.string() }));
    const std = schema['~standard'] as unknown as {
      jsonSchema: { input: (o: { target: string }) => unknown };
      validate: (v: unknown) => { issues?: unknown[] };
    };
    const first = std.jsonSchema.input({ target: 'draft-2020-12' });
    expect(std.jsonSchema.input({ target: 'draft-2020-12' })).toBe(first);
    expect(first).toMatchObject({ type: 'object', properties: { a: { type: 'string' } } });
    expect(std.validate({ a: 'x' }).issues).toBeUndefined();
    expect(std.validate({ a: 1 }).issues).toHaveLength(1);
    expect(schema.safeParse({ a: 'y' }).success).toBe(true);
  });
});

describe('offer catalogue file', () => {
  it('serves the catalogue from OCS_OFFERS_FILE (JSON)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ocs-offers-'));
    const file = join(dir, 'offers.json');
    writeFileSync(
      file,
      JSON.stringify(loadOfferCatalogue().offers.filter((o) => o.offerType === 'POSTPAID')),
    );
    const config = testConfig(NOWHERE, { OCS_OFFERS_FILE: file });
    const client = await connectInMemory(config);
    const r = await ok(client, 'list_offers');
    expect(r.offers.map((o: { offerId: string }) => o.offerId)).toEqual(['1001']);
    await client.close();
    await closeRuntime(config);
  });
});
