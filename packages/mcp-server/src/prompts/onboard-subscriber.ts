import type { McpServer } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { withCachedJsonSchema } from '../tool-kit/json-schema.js';

// Built once per process: the per-request factory only registers it.
const OnboardArgs = withCachedJsonSchema(
  z.object({
    msisdn: z.string().describe('MSISDN of the new subscriber'),
    offerId: z.string().describe('Offer id from the catalogue (list_offers)'),
    firstName: z.string().optional(),
    lastName: z.string().optional(),
  }),
);

/** A write workflow: registered only when the server may write. */
export function registerOnboardSubscriber(server: McpServer): void {
  server.registerPrompt(
    'onboard_subscriber',
    {
      title: 'Onboard a subscriber with an offer',
      description: 'Create a subscriber (if new) and subscribe it to an offer with its balances, activated.',
      argsSchema: OnboardArgs,
    },
    ({ msisdn, offerId, firstName, lastName }) => ({
      messages: [
        {
          role: 'user',
          content: {
            type: 'text',
            text: [
              `Onboard MSISDN ${msisdn} on offer ${offerId}${firstName || lastName ? ` for ${[firstName, lastName].filter(Boolean).join(' ')}` : ''}.`,
              '1. lookup_subscriber by MSISDN. If it exists, stop and tell me its state and subscriptions.',
              `2. get_offer ${offerId}; check its type (PREPAID/POSTPAID).`,
              '3. create_subscriber with that subscriberType and the names, initialState active.',
              `4. create_subscription with offerId ${offerId}, createBalances=true, activate=true.`,
              '5. Summarise: subscriberId, subscriptionId, balances, and the transaction ids.',
            ].join('\n'),
          },
        },
      ],
    }),
  );
}
