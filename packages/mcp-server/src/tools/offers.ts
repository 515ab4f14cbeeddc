import { Offer, OfferType } from '@ocsai/contract';
import { z } from 'zod';
import { OcsFailure } from '../ocs/ocs-failure.js';
import { defineTool, ocsId, READ_ONLY } from './tool-definition.js';

export const listOffers = defineTool({
  name: 'list_offers',
  toolset: 'offers',
  title: 'List offers',
  description:
    'List the offer catalogue (price plans and bundles) with id, name, type, price, cycle and the balances each grants. Use it to pick the offerId for create_subscription: PREPAID subscribers take PREPAID offers, POSTPAID subscribers POSTPAID offers. Optional filter by type. Served from the operator catalogue file, not the OCS.',
  input: z.object({ type: OfferType.optional().describe('PREPAID or POSTPAID; omit for all.') }),
  output: z.object({ offers: z.array(Offer), total: z.number().int() }),
  annotations: READ_ONLY,
  effect: 'read',
  callsOcs: false,
  async run(args, { runtime }) {
    const offers = runtime.catalogue.offers.filter((o) => !args.type || o.offerType === args.type);
    return { offers, total: offers.length };
  },
});

export const getOffer = defineTool({
  name: 'get_offer',
  toolset: 'offers',
  title: 'Get offer',
  description:
    'Fetch one catalogue offer by offerId (from list_offers): price, type, recurring cycle and the balances (unitType, amount, rollover) it grants.',
  input: z.object({ offerId: ocsId('Offer id, e.g. "1000".', 100) }),
  output: z.object({ offer: Offer }),
  annotations: READ_ONLY,
  effect: 'read',
  callsOcs: false,
  async run(args, { runtime }) {
    const offer = runtime.offersById.get(args.offerId);
    if (!offer)
      throw new OcsFailure(
        'not_found',
        `Offer ${args.offerId} is not in the catalogue. Known offers: ${[...runtime.offersById.keys()].join(', ')}.`,
      );
    return { offer };
  },
});

export const OFFER_TOOLS = [listOffers, getOffer];
