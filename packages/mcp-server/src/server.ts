import { type AuthInfo, McpServer, ResourceTemplate } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { hasScope, principalOf, SCOPES } from './auth/principal.js';
import type { McpConfig } from './config.js';
import { OcsFailure } from './ocs/ocs-failure.js';
import { newTransactionId } from './ocs/ocs-http.js';
import { getRuntime, type Runtime } from './runtime.js';
import { SERVER_INFO } from './server-info.js';
import { withCachedJsonSchema } from './tools/cached-json-schema.js';
import { invokeTool } from './tools/invoke-tool.js';

export { SERVER_INFO };

const SUBSCRIBER_TEMPLATE = new ResourceTemplate('ocs://subscribers/{subscriberId}', { list: undefined });

function registerResources(server: McpServer, runtime: Runtime, canRead: boolean): void {
  server.registerResource(
    'offer_catalogue',
    'ocs://offers',
    {
      title: 'Offer catalogue',
      description: 'All offers (price plans, bundles) with the balances they grant, as JSON.',
      mimeType: 'application/json',
    },
    async (uri) => ({
      contents: [
        { uri: uri.href, mimeType: 'application/json', text: JSON.stringify(runtime.catalogue.offers) },
      ],
    }),
  );
  if (!runtime.config.toolsets.includes('subscriber') || !canRead) return;
  server.registerResource(
    'subscriber',
    SUBSCRIBER_TEMPLATE,
    {
      title: 'Subscriber',
      description: 'One subscriber record from the OCS by subscriberId, as JSON.',
      mimeType: 'application/json',
    },
    async (uri, variables, ctx) => {
      const raw = variables.subscriberId;
      const id = decodeURIComponent(Array.isArray(raw) ? (raw[0] ?? '') : (raw ?? ''));
      try {
        const subscriber = await runtime.api.getSubscriber(id, {
          transactionId: newTransactionId(),
          signal: ctx.mcpReq.signal,
        });
        return {
          contents: [{ uri: uri.href, mimeType: 'application/json', text: JSON.stringify(subscriber) }],
        };
      } catch (err) {
        // Resource reads have no isError channel: a thrown Error becomes a JSON-RPC error with this text.
        throw new Error(
          err instanceof OcsFailure ? runtime.redactor.text(err.message) : 'Could not read the subscriber.',
        );
      }
    },
  );
}

// Built once per process: the per-request factory only registers them.
const OnboardArgs = withCachedJsonSchema(
  z.object({
    msisdn: z.string().describe('MSISDN of the new subscriber'),
    offerId: z.string().describe('Offer id from the catalogue (list_offers)'),
    firstName: z.string().optional(),
    lastName: z.string().optional(),
  }),
);
const ComplaintArgs = withCachedJsonSchema(
  z.object({
    msisdn: z.string().describe('MSISDN of the complaining subscriber'),
    complaint: z.string().optional().describe("The customer's complaint in their words"),
  }),
);

function registerPrompts(server: McpServer, runtime: Runtime): void {
  const canWrite = !runtime.config.readOnly;
  if (canWrite)
    server.registerPrompt(
      'onboard_subscriber',
      {
        title: 'Onboard a subscriber with an offer',
        description:
          'Create a subscriber (if new) and subscribe it to an offer with its balances, activated.',
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

/** Narrows what a per-request server registers to what its one request can use. */
export interface ServerScope {
  /** The request is a tools/call of this tool: register it alone (no other tool, resource or prompt). */
  onlyTool?: string | undefined;
}

/** The tool a single JSON-RPC tools/call message names; undefined for anything else (batches included). */
export function calledToolName(message: unknown): string | undefined {
  if (typeof message !== 'object' || message === null || Array.isArray(message)) return undefined;
  const { method, params } = message as { method?: unknown; params?: { name?: unknown } };
  return method === 'tools/call' && typeof params?.name === 'string' ? params.name : undefined;
}

/**
 * A fresh McpServer for one request (HTTP) or one connection (stdio). Cheap: everything heavy
 * (pool, catalogue, tool schemas) is built once per config in the runtime. `authInfo` is the
 * verified credential of an HTTP request: only the tools its scopes allow are registered, so
 * tools/list shows what the token may call (no credential: the local operator, every OCS scope).
 * Registering all 21 tools is most of a request's construction cost, so an HTTP tools/call
 * registers only the tool it calls: an unknown, hidden or out-of-scope name is then refused exactly
 * as before, since it is not registered either way.
 */
export function createOcsMcpServer(
  config: McpConfig,
  authInfo?: AuthInfo,
  scope: ServerScope = {},
): McpServer {
  const runtime = getRuntime(config);
  const principal = principalOf(authInfo);
  const server = new McpServer(SERVER_INFO, {
    capabilities: { tools: {}, resources: {}, prompts: {} },
    instructions: runtime.instructions,
  });
  for (const def of runtime.tools) {
    if (!hasScope(principal, def.requiredScope)) continue;
    if (scope.onlyTool !== undefined && def.name !== scope.onlyTool) continue;
    server.registerTool(def.name, def.registration, (args, ctx) =>
      invokeTool(def, args as Record<string, unknown>, ctx, server, runtime, principal),
    );
  }
  if (scope.onlyTool !== undefined) return server;
  registerResources(server, runtime, hasScope(principal, SCOPES.read));
  registerPrompts(server, runtime);
  return server;
}
