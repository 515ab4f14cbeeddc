import type { Hono } from 'hono';
import { OcsHttpError } from '../domain/ocs-http-error.js';
import type { AppDeps, AppEnv } from '../http/app-env.js';

/** Emulator-only, read-only offer catalogue (the real backend has none). */
export function registerOfferRoutes(app: Hono<AppEnv>, deps: AppDeps): void {
  app.get('/offers', (c) => c.json(deps.offers));
  app.get('/offers/:offerId', (c) => {
    const id = c.req.param('offerId');
    const offer = deps.offers.find((o) => o.offerId === id);
    if (!offer) throw new OcsHttpError(404, `Offer not found with id: ${id}`);
    return c.json(offer);
  });
}
