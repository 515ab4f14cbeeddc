import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ApiRoutes, createRoute } from '../../src/http/api-routes.js';

// ApiRoutes parses each request part synchronously first (zod's compiled parser) and falls back to
// an async parse for a schema that needs one: both must validate, refuse and transform alike.
function appWith(schema: z.ZodType) {
  const app = new Hono();
  const refused: unknown[] = [];
  const routes = new ApiRoutes(app, (result) => {
    refused.push(result.error.issues);
    throw new Error('invalid');
  });
  app.onError((error, c) => c.json({ error: error.message }, 422));
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
