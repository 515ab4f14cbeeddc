import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { askRequestSchema } from '../src/ask/ask-request.js';
import { chatCompletionsRequestSchema } from '../src/http/openai/chat-completions-request.js';
import * as components from '../src/http/openapi-components.js';
import { routerOpenApiDocument } from '../src/http/openapi-document.js';
import { createTestRouter, json, parseSse } from './support/test-router.js';

type JsonObject = Record<string, unknown>;

const REQUEST_SCHEMAS: Record<string, z.ZodType> = components.REQUEST_SCHEMAS;
const RESPONSE_SCHEMAS: Record<string, z.ZodType> = components.RESPONSE_SCHEMAS;

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

function pointer(document: JsonObject, ref: string): JsonObject {
  let node: unknown = document;
  for (const part of ref.replace(/^#\//, '').split('/')) node = (node as JsonObject | undefined)?.[part];
  if (!node) throw new Error(`unresolved ${ref}`);
  return node as JsonObject;
}

const deref = (document: JsonObject, schema: JsonObject): JsonObject =>
  typeof schema.$ref === 'string' ? deref(document, pointer(document, schema.$ref)) : schema;

/** Keys of `value` the documented schema does not name, found recursively (the doc may not lag the code). */
function undocumentedKeys(document: JsonObject, schemaIn: JsonObject, value: unknown, at = '$'): string[] {
  const schema = deref(document, schemaIn);
  const alternatives = (schema.anyOf ?? schema.oneOf) as JsonObject[] | undefined;
  if (alternatives) {
    const results = alternatives.map((option) => undocumentedKeys(document, option, value, at));
    return results.find((result) => result.length === 0) ?? results[0] ?? [];
  }
  if (Array.isArray(value) && schema.items)
    return value.flatMap((item, index) =>
      undocumentedKeys(document, schema.items as JsonObject, item, `${at}[${index}]`),
    );
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [];
  const properties = schema.properties as Record<string, JsonObject> | undefined;
  if (!properties) return [];
  return Object.entries(value).flatMap(([key, child]) =>
    properties[key] ? undocumentedKeys(document, properties[key], child, `${at}.${key}`) : [`${at}.${key}`],
  );
}

/** A real answer must parse with the documented zod shape and carry no key the document lacks. */
function expectDocumented(component: string, value: unknown): void {
  const document = routerOpenApiDocument();
  const schema = RESPONSE_SCHEMAS[component];
  if (!schema) throw new Error(`no component ${component}`);
  const parsed = schema.safeParse(value);
  expect(parsed.success, `${component}: ${parsed.error?.message}`).toBe(true);
  expect(undocumentedKeys(document, { $ref: `#/components/schemas/${component}` }, value), component).toEqual(
    [],
  );
}

describe('GET /openapi.json', () => {
  it('serves the OpenAPI 3.1 document as JSON, the same bytes every time', async () => {
    const { app } = createTestRouter();
    const first = await app.request('/openapi.json');
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toBe('application/json');
    const text = await first.text();
    const document = JSON.parse(text);
    expect(document.openapi).toBe('3.1.0');
    expect(document.info).toMatchObject({ title: 'OCS AI router' });
    expect(await (await app.request('/openapi.json')).text()).toBe(text);
    // A second app in the same process reuses the built document.
    expect(await (await createTestRouter().app.request('/openapi.json')).text()).toBe(text);
    expect(routerOpenApiDocument()).toBe(routerOpenApiDocument());
    expect(JSON.parse(text)).toEqual(routerOpenApiDocument());
  });

  it('describes /ask with every field of the request schema, each with a description', () => {
    const document = routerOpenApiDocument() as {
      paths: Record<
        string,
        Record<string, { requestBody?: { content: Record<string, { schema: JsonObject }> } }>
      >;
      components: { schemas: Record<string, { properties: Record<string, JsonObject> }> };
    };
    const ask = document.paths['/ask']?.post;
    expect(ask?.requestBody?.content['application/json']?.schema).toEqual({
      $ref: '#/components/schemas/AskRequest',
    });
    for (const [component, schema] of [
      ['AskRequest', askRequestSchema],
      ['ChatCompletionsRequest', chatCompletionsRequestSchema],
    ] as const) {
      const properties = document.components.schemas[component]?.properties ?? {};
      expect(Object.keys(properties).sort()).toEqual(Object.keys(schema.shape).sort());
      const undescribed = Object.entries(properties)
        .filter(([, property]) => !property.description)
        .map(([field]) => field);
      expect(undescribed, `describe these fields with .describe() in their request schema`).toEqual([]);
    }
    const context = document.components.schemas.AskRequest?.properties.context;
    expect(context?.$ref ?? context?.allOf).toBeDefined();
  });

  it('every example is valid for the schema it illustrates', () => {
    const examples: { at: string; component: string; example: unknown }[] = [];
    const walk = (node: unknown, at: string) => {
      if (node === null || typeof node !== 'object') return;
      const media = node as { schema?: { $ref?: unknown }; example?: unknown };
      if (typeof media.schema?.$ref === 'string' && media.example !== undefined)
        examples.push({ at, component: media.schema.$ref.split('/').pop() ?? '', example: media.example });
      for (const [key, child] of Object.entries(node)) walk(child, `${at}/${key}`);
    };
    walk(routerOpenApiDocument(), '#');
    expect(examples.length).toBeGreaterThanOrEqual(8);
    for (const { at, component, example } of examples) {
      const schema = REQUEST_SCHEMAS[component] ?? RESPONSE_SCHEMAS[component];
      const parsed = schema?.safeParse(example);
      expect(parsed?.success, `${at}: ${parsed?.error?.message}`).toBe(true);
    }
  });

  it('lists every route the app serves, with its method', () => {
    const { app } = createTestRouter();
    const document = routerOpenApiDocument() as { paths: Record<string, JsonObject> };
    const served = app.routes
      .filter((route) => route.method !== 'ALL')
      .map(
        (route) =>
          `${route.method} ${route.path.replace(/:([A-Za-z_]+)/g, '{$1}').replace(/\/\*$/, '/{file}')}`,
      );
    const documented = Object.entries(document.paths).flatMap(([path, item]) =>
      METHODS.filter((method) => item[method]).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(served.length).toBeGreaterThan(10);
    expect([...new Set(served)].sort()).toEqual(documented.sort());
  });
});

describe('documented shapes match what the router sends', () => {
  it('the check itself notices a field the document lacks', () => {
    const document = routerOpenApiDocument();
    const health = { $ref: '#/components/schemas/Health' };
    expect(undocumentedKeys(document, health, { status: 'ok', uptime: 1 })).toEqual(['$.uptime']);
    const answer = { $ref: '#/components/schemas/AskResponse' };
    expect(
      undocumentedKeys(document, answer, {
        tool_calls: [{ id: 'c', extra: true }],
        usage: { input_tokens: 1 },
      }),
    ).toEqual(['$.tool_calls[0].extra']);
  });

  it('/ask answers, streams and validation errors', async () => {
    const { app, adapters } = createTestRouter();
    adapters.openai.next = {
      chunks: ['Checking'],
      toolCalls: [{ id: 'call_1', name: 'get_balance', arguments: { msisdn: '46700' } }],
    };
    expectDocumented('AskResponse', await (await app.request('/ask', json({ message: 'hi' }))).json());

    adapters.openai.next = {
      chunks: ['Hel', 'lo'],
      usage: { inputTokens: 3, outputTokens: 2, totalTokens: 5, cachedInputTokens: 1 },
    };
    const events = parseSse(await (await app.request('/ask', json({ message: 'hi', stream: true }))).text());
    expect(events.map((event) => event.event)).toEqual(['delta', 'delta', 'done']);
    expectDocumented('DeltaEvent', events[0]?.data);
    expectDocumented('DoneEvent', events[2]?.data);

    const invalid = await app.request('/ask', json({ message: 'hi', temperature: 9 }));
    expect(invalid.status).toBe(422);
    expectDocumented('ErrorBody', await invalid.json());
  });

  it('probes, models and chat completions', async () => {
    const { app } = createTestRouter();
    expectDocumented('Health', await (await app.request('/health')).json());
    expectDocumented('Ready', await (await app.request('/ready')).json());
    expectDocumented('ModelList', await (await app.request('/v1/models')).json());
    const completion = await app.request(
      '/v1/chat/completions',
      json({ model: 'openai/gpt-4o', messages: [{ role: 'user', content: 'hi' }] }),
    );
    expectDocumented('ChatCompletion', await completion.json());

    const notReady = await createTestRouter({ unconfigured: ['openai'] }).app.request('/ready');
    expect(notReady.status).toBe(503);
    expectDocumented('NotReady', await notReady.json());
  });
});

describe('the documented security matches admission', () => {
  it('operations marked open answer without an API key; the rest need one', async () => {
    const { app } = createTestRouter({ env: { ROUTER_API_KEYS: 'test-key' } });
    const document = routerOpenApiDocument() as {
      paths: Record<string, Record<string, { security?: unknown[] }>>;
    };
    const open = Object.entries(document.paths)
      .filter(([, item]) => item.get?.security?.length === 0)
      .map(([path]) => path);
    expect(open.sort()).toEqual([
      '/console',
      '/console/{file}',
      '/health',
      '/metrics',
      '/openapi.json',
      '/ready',
    ]);
    for (const path of open) expect((await app.request(path)).status, path).not.toBe(401);
    for (const path of ['/schema/context.json', '/v1/models', '/context/alice'])
      expect((await app.request(path)).status, path).toBe(401);
    const keyed = await app.request('/schema/context.json', {
      headers: { authorization: 'Bearer test-key' },
    });
    expect(keyed.status).toBe(200);
  });

  it('GET /openapi.json answers without an API key', async () => {
    const { app } = createTestRouter({ env: { ROUTER_API_KEYS: 'test-key' } });
    const response = await app.request('/openapi.json');
    expect(response.status).toBe(200);
    expect(((await response.json()) as { openapi: string }).openapi).toMatch(/^3\./);
  });
});
