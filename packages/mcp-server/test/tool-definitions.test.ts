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
import { invokeTool } from '../src/tool-kit/invoke-tool.js';
import { withCachedJsonSchema } from '../src/tool-kit/json-schema.js';
import type { ToolContext } from '../src/tool-kit/tool-context.js';
import { ALL_TOOLS } from '../src/tools/index.js';
import { SUBSCRIBER_TOOLS } from '../src/tools/subscriber.js';
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
    const request = {
      id: 1,
      meta: undefined,
      signal: new AbortController().signal,
      headers: undefined,
      canElicit: false,
    };
    for (const def of ALL_TOOLS.filter((t) => t.writes)) {
      const r = await invokeTool(def, {}, request, runtime, LOCAL_PRINCIPAL);
      expect(r).toMatchObject({ isError: true });
      expect(JSON.stringify(r)).toMatch(/read-only mode/);
    }
    const hidden = ALL_TOOLS.find((t) => t.name === 'get_subscriber')!;
    expect(JSON.stringify(await invokeTool(hidden, {}, request, runtime, LOCAL_PRINCIPAL))).toMatch(
      /OCS_MCP_TOOLSETS/,
    );
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

/** The Inspector's `--strict` portability rules: no untyped schema, no `type` array. */
function portabilityFindings(node: unknown, path: string, out: string[]): string[] {
  if (typeof node !== 'object' || node === null) return out;
  const n = node as Record<string, unknown>;
  if (Array.isArray(n.type)) out.push(`${path}: type array`);
  const constrains = ['type', 'enum', 'const', 'anyOf', 'oneOf', 'allOf', '$ref', 'not', 'properties'].some(
    (k) => k in n,
  );
  if (!constrains) out.push(`${path}: untyped schema`);
  for (const key of ['properties', '$defs', 'patternProperties'])
    for (const [k, v] of Object.entries((n[key] ?? {}) as Record<string, unknown>))
      portabilityFindings(v, `${path}.${key}.${k}`, out);
  for (const key of ['anyOf', 'oneOf', 'allOf'])
    for (const [i, v] of ((n[key] ?? []) as unknown[]).entries())
      portabilityFindings(v, `${path}.${key}[${i}]`, out);
  for (const key of ['items', 'additionalProperties', 'not'])
    if (typeof n[key] === 'object') portabilityFindings(n[key], `${path}.${key}`, out);
  return out;
}

describe('portable, consistent schemas', () => {
  it('every input and output schema passes the strict portability rules', async () => {
    const config = testConfig(NOWHERE, { OCS_MCP_TOOLSETS: TOOLSETS.join(',') });
    const client = await connectInMemory(config);
    const findings: string[] = [];
    for (const t of (await client.listTools()).tools) {
      portabilityFindings(t.inputSchema, `${t.name}.inputSchema`, findings);
      portabilityFindings(t.outputSchema, `${t.name}.outputSchema`, findings);
    }
    await client.close();
    await closeRuntime(config);
    expect(findings).toEqual([]);
  });

  it('every tool that returns an entity nests it under its name, the id inside (deletes say what they deleted)', () => {
    for (const def of ALL_TOOLS) {
      const keys = Object.keys(def.outputSchema.shape);
      if (keys.includes('deleted')) continue;
      expect(
        keys.filter((k) => k.endsWith('Id')),
        def.name,
      ).toEqual([]);
    }
  });

  it('derives writes from readOnlyHint and the toolset from the group file', () => {
    for (const def of ALL_TOOLS) expect(def.writes, def.name).toBe(!def.annotations.readOnlyHint);
    expect(new Set(SUBSCRIBER_TOOLS.map((t) => t.toolset))).toEqual(new Set(['subscriber']));
  });

  it('a handler needs only its narrow context: the bound OCS calls and the offers', async () => {
    const offer = loadOfferCatalogue().offers[0]!;
    const offers = {
      all: [offer],
      get: (id: string) => (id === offer.offerId ? offer : undefined),
      ids: [offer.offerId],
    };
    const getOffer = ALL_TOOLS.find((t) => t.name === 'get_offer')!;
    expect(await getOffer.run({ offerId: offer.offerId }, { offers } as unknown as ToolContext)).toEqual({
      offer,
    });
    const getSubscriber = ALL_TOOLS.find((t) => t.name === 'get_subscriber')!;
    const ocs = {
      getSubscriber: async (id: string) => ({ subscriberId: id, msisdn: '1', currentState: 'active' }),
    };
    expect(
      await getSubscriber.run({ subscriberId: 's-1' }, {
        ocs,
        offers,
        transactionId: 't',
      } as unknown as ToolContext),
    ).toEqual({ subscriber: { subscriberId: 's-1', msisdn: '1', currentState: 'active' } });
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
