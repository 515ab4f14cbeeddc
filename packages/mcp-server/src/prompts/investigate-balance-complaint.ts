import type { McpServer } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { withCachedJsonSchema } from '../tool-kit/json-schema.js';

// Built once per process: the per-request factory only registers it.
const ComplaintArgs = withCachedJsonSchema(
  z.object({
    msisdn: z.string().describe('MSISDN of the complaining subscriber'),
    complaint: z.string().optional().describe("The customer's complaint in their words"),
  }),
);

/** A read-only investigation: it proposes a fix and changes nothing without the human. */
export function registerInvestigateBalanceComplaint(server: McpServer): void {
  server.registerPrompt(
    'investigate_balance_complaint',
    {
      title: 'Investigate a balance complaint',
      description: "Check a subscriber's subscriptions, balances and history to explain a balance complaint.",
      argsSchema: ComplaintArgs,
    },
    ({ msisdn, complaint }) => ({
      messages: [
        {
          role: 'user',
          content: {
            type: 'text',
            text: [
              `A customer with MSISDN ${msisdn} complains about their balance${complaint ? `: "${complaint}"` : '.'}`,
              '1. lookup_subscriber by MSISDN; note subscriberType and currentState.',
              '2. list_subscriptions; for each active or suspended one, list_balances.',
              '3. list_account_history for the subscriber and each subscription (recent state changes).',
              '4. Compare balanceAvailable with balanceAmount and the offer (get_offer) to explain the situation.',
              '5. Propose a fix but do not change anything without my explicit approval.',
            ].join('\n'),
          },
        },
      ],
    }),
  );
}
