import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ApiRoutes, createRoute } from '../../src/http/api-routes.js';

// ApiRoutes parses each request part synchronously first (zod's compiled parser) and falls back to
// an async parse for a schema that needs one: both must validate, refuse and transform alike.
/** A Hono app served through ApiRoutes whose failed validations are kept (issues) and answered 422. */
function recordingRoutes() {
  const app = new Hono();
  const refused: unknown[] = [];
  const routes = new ApiRoutes(app, (result) => {
    refused.push(result.error.issues);
    throw new Error('invalid');
  });
  app.onError((error, c) => c.json({ error: error.message }, 422));
  return { app, routes, refused };
}

function appWith(schema: z.ZodType) {
  const { app, routes, refused } = recordingRoutes();
  const route = createRoute({
    method: 'post',
    path: '/t',
    request: { body: { required: true, content: { 'application/json': { schema } } } },
    responses: { 200: { description: 'ok' } },
  });
  routes.openapi(route, (c) => c.json({ got: c.req.valid('json') }, 200));
  const post = (body: unknown) =>
    app.request('/t', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  return { post, refused };
}

describe('ApiRoutes body validation', () => {
  const sync = z.object({ n: z.number().int(), s: z.string().transform((s) => s.toUpperCase()) });
  const asyncRefined = z
    .object({ n: z.number() })
    .refine(async (value) => value.n !== 13, { message: 'unlucky', path: ['n'] });

  it('hands a synchronous schema’s parsed (transformed, stripped) value to the handler', async () => {
    const { post } = appWith(sync);
    const response = await post({ n: 1, s: 'ab', extra: true });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ got: { n: 1, s: 'AB' } });
  });

  it('refuses a body failing a synchronous schema through the hook, naming the field', async () => {
    const { post, refused } = appWith(sync);
    expect((await post({ n: 1.5, s: 'ab' })).status).toBe(422);
    expect(refused).toEqual([[expect.objectContaining({ path: ['n'] })]]);
  });

  it('still runs an async refinement: accepts what it accepts and refuses what it refuses', async () => {
    const { post, refused } = appWith(asyncRefined);
    const ok = await post({ n: 1 });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ got: { n: 1 } });
    expect((await post({ n: 13 })).status).toBe(422);
    expect(refused).toEqual([[expect.objectContaining({ path: ['n'], message: 'unlucky' })]]);
  });
});

describe('ApiRoutes header validation', () => {
  function appWithHeaders(schema: z.ZodObject) {
    const { app, routes, refused } = recordingRoutes();
    const route = createRoute({
      method: 'get',
      path: '/h',
      request: { headers: schema },
      responses: { 200: { description: 'ok' } },
    });
    routes.openapi(route, (c) => c.json({ got: c.req.valid('header') }, 200));
    const get = (headers: Record<string, string>) => app.request('/h', { headers });
    return { get, refused };
  }

  it('hands the declared headers, under the schema’s own key spelling, and nothing else', async () => {
    const { get } = appWithHeaders(
      z.object({ 'X-Mode': z.enum(['on', 'off']).optional(), 'x-id': z.string() }),
    );
    const response = await get({ 'x-mode': 'on', 'X-Id': 'abc', 'x-other': 'kept out' });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ got: { 'X-Mode': 'on', 'x-id': 'abc' } });
  });

  it('refuses a declared header that fails its schema, or a required one that is missing, naming it', async () => {
    const { get, refused } = appWithHeaders(
      z.object({ 'x-mode': z.enum(['on', 'off']).optional(), 'x-id': z.string() }),
    );
    expect((await get({ 'x-mode': 'maybe', 'x-id': 'a' })).status).toBe(422);
    expect((await get({})).status).toBe(422);
    expect(refused).toEqual([
      [expect.objectContaining({ path: ['x-mode'] })],
      [expect.objectContaining({ path: ['x-id'] })],
    ]);
  });

  it('shows a strict schema every header, so an undeclared one is refused', async () => {
    const { get, refused } = appWithHeaders(z.object({ 'x-id': z.string().optional() }).strict());
    expect((await get({ 'x-id': 'a' })).status).toBe(200);
    expect((await get({ 'x-id': 'a', 'x-other': 'b' })).status).toBe(422);
    expect(refused).toHaveLength(1);
  });
});
