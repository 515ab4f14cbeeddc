import type { Context, Hono } from 'hono';
import { mayActFor } from '../admission/principal.js';
import { contextEnvelopeSchema, userIdSchema } from '../context-envelope/envelope.js';
import { RouterError, validationError } from '../errors.js';
import { readJsonBody } from './json-body.js';
import type { RouterEnv, RouterServices } from './router-env.js';

/** /context/{user_id}: GET reads, PUT and POST replace, PATCH merges, DELETE removes. */
export function registerContextRoutes(app: Hono<RouterEnv>, services: RouterServices): void {
  const { store, config } = services;

  const userIdOf = (c: Context<RouterEnv>): string => {
    const parsed = userIdSchema.safeParse(c.req.param('user_id'));
    if (!parsed.success) {
      throw new RouterError(422, 'validation_error', `Invalid user_id: ${parsed.error.issues[0]?.message}`, {
        issues: [{ path: 'user_id', message: parsed.error.issues[0]?.message ?? 'invalid' }],
      });
    }
    // Another principal's user reads exactly like a user without context: 404, whatever the method.
    if (!mayActFor(c.get('principal'), parsed.data)) throw noContext(parsed.data);
    return parsed.data;
  };

  const envelopeOf = async (c: Context<RouterEnv>) => {
    const parsed = contextEnvelopeSchema.safeParse(
      await readJsonBody(c.req.raw, config.ROUTER_MAX_BODY_BYTES),
    );
    if (!parsed.success) throw validationError(parsed.error);
    return parsed.data;
  };

  app.get('/context/:user_id', async (c) => {
    const userId = userIdOf(c);
    const envelope = await store.get(userId);
    if (!envelope) throw noContext(userId);
    return c.json(envelope);
  });

  const replace = async (c: Context<RouterEnv>) => {
    const userId = userIdOf(c);
    return c.json(await store.put(userId, await envelopeOf(c)));
  };
  app.put('/context/:user_id', replace);
  app.post('/context/:user_id', replace);

  app.patch('/context/:user_id', async (c) => {
    const userId = userIdOf(c);
    return c.json(await store.patch(userId, await envelopeOf(c)));
  });

  app.delete('/context/:user_id', async (c) => {
    const userId = userIdOf(c);
    if (!(await store.delete(userId))) throw noContext(userId);
    return c.body(null, 204);
  });
}

const noContext = (userId: string) =>
  new RouterError(404, 'not_found', `No context stored for user ${userId}`);
