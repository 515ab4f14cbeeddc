import { Offer } from '@ocsai/contract';
import { z } from 'zod';
import { OcsHttpError } from '../domain/ocs-http-error.js';
import { type ApiRoutes, answer, pathParams, refusal, route } from '../http/api-routes.js';
import type { AppDeps } from '../http/app-env.js';

export const listOffers = route({
  method: 'get',
  path: '/offers',
  summary: 'Offer catalogue (emulator only)',
  tags: ['offers'],
  responses: { 200: answer('Offers', z.array(Offer)) },
});

export const getOffer = route({
  method: 'get',
  path: '/offers/{offerId}',
  summary: 'One catalogue offer (emulator only)',
  tags: ['offers'],
  request: { params: pathParams('offerId') },
  responses: { 200: answer('Offer', Offer), 404: refusal('Unknown') },
});

/** Emulator-only, read-only offer catalogue (the real backend has none). */
export function registerOfferRoutes(api: ApiRoutes, deps: AppDeps): void {
  api.openapi(listOffers, (c) => c.json(deps.offers));
  api.openapi(getOffer, (c) => {
    const id = c.req.param('offerId');
    const offer = deps.offers.find((o) => o.offerId === id);
    if (!offer) throw new OcsHttpError(404, `Offer not found with id: ${id}`);
    return c.json(offer);
  });
}
