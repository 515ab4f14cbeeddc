import { Offer, OfferType } from '@ocsai/contract';
import { z } from 'zod';
import { OcsFailure } from '../ocs/ocs-failure.js';
import { tool, toolGroup } from '../tool-kit/define-tool.js';
import { ocsId } from '../tool-kit/inputs.js';
import { entityOutput } from '../tool-kit/outputs.js';

export const listOffers = tool({
  name: 'list_offers',
  title: 'List offers',
  description:
    'List the offer catalogue (price plans and bundles) with id, name, type, price, cycle and the balances each grants. Use it to pick the offerId for create_subscription: PREPAID subscribers take PREPAID offers, POSTPAID subscribers POSTPAID offers. Optional filter by type. Served from the operator catalogue file, not the OCS.',
  input: z.object({ type: OfferType.optional().describe('PREPAID or POSTPAID; omit for all.') }),
  output: z.object({ offers: z.array(Offer), total: z.number().int() }),
  effect: 'read',
  callsOcs: false,
  async run(args, { offers: book }) {
    const offers = book.all.filter((o) => !args.type || o.offerType === args.type);
    return { offers, total: offers.length };
  },
});

export const getOffer = tool({
  name: 'get_offer',
  title: 'Get offer',
  description:
    'Fetch one catalogue offer by offerId (from list_offers): price, type, recurring cycle and the balances (unitType, amount, rollover) it grants.',
  input: z.object({ offerId: ocsId('Offer id, e.g. "1000".', 100) }),
  output: entityOutput('offer', Offer),
  effect: 'read',
  callsOcs: false,
  async run(args, { offers }) {
    const offer = offers.get(args.offerId);
    if (!offer)
      throw new OcsFailure(
        'not_found',
        `Offer ${args.offerId} is not in the catalogue. Known offers: ${offers.ids.join(', ')}.`,
      );
    return { offer };
  },
});

export const OFFER_TOOLS = toolGroup('offers', [listOffers, getOffer]);
