/** The real OCS side for end-to-end tool tests: emulator (in-memory SQLite) + OCS MCP server over HTTP. */
import { type RunningEmulator, startEmulator } from '@ocsai/emulator';
import { loadMcpConfig, type McpHttpServerHandle, startMcpHttpServer } from '@ocsai/mcp-server';
import type { FakeTurn } from '../fakes/index.js';
import type { CapturedRequest } from '../fakes/script.js';

export interface OcsStack {
  emulator: RunningEmulator;
  mcp: McpHttpServerHandle;
  /** GET on the emulator's REST API; `undefined` for 404. */
  get<T = unknown>(path: string): Promise<T | undefined>;
  close(): Promise<void>;
}

export async function startOcsStack(): Promise<OcsStack> {
  const emulator = await startEmulator({ port: 0, db: ':memory:', logger: false });
  const mcp = await startMcpHttpServer({
    ...loadMcpConfig({ OCS_API_URL: emulator.url, LOG_LEVEL: 'silent' }),
    host: '127.0.0.1',
    port: 0,
  });
  return {
    emulator,
    mcp,
    async get<T>(path: string) {
      const response = await fetch(`${emulator.url}${path}`);
      if (response.status === 404) return undefined;
      if (!response.ok) throw new Error(`GET ${path}: ${response.status}`);
      return (await response.json()) as T;
    },
    async close() {
      await mcp.close();
      await emulator.close();
    },
  };
}

/** Finds the newest subscriberId in what the router sent upstream, whatever the provider's wire format. */
export function lastSubscriberId(request: CapturedRequest): string | undefined {
  const matches = [...JSON.stringify(request.body).matchAll(/subscriberId\\*"\s*:\s*\\*"([0-9a-f-]{36})/g)];
  return matches.at(-1)?.[1];
}

/**
 * A model that provisions like a careful agent: look at offers and check the number (in
 * parallel), create the subscriber, subscribe it to offer 1003 with balances, activated, answer.
 */
export function provisioningScript(
  msisdnTyped: string,
): (request: CapturedRequest, turn: number) => FakeTurn {
  return (request, turn) => {
    switch (turn) {
      case 0:
        return {
          text: 'Let me check the offers and whether the number is taken.',
          toolCalls: [
            { name: 'list_offers', arguments: { type: 'PREPAID' } },
            { name: 'lookup_subscriber', arguments: { msisdn: msisdnTyped } },
          ],
        };
      case 1:
        return {
          toolCalls: [
            {
              name: 'create_subscriber',
              arguments: {
                msisdn: msisdnTyped,
                firstName: 'Eva',
                lastName: 'Gruber',
                subscriberType: 'PREPAID',
              },
            },
          ],
        };
      case 2: {
        const subscriberId = lastSubscriberId(request);
        if (!subscriberId) return { text: 'I could not find the new subscriber id.' };
        return {
          toolCalls: [
            {
              name: 'create_subscription',
              arguments: { subscriberId, offerId: '1003', createBalances: true, activate: true },
            },
          ],
        };
      }
      default:
        return { text: `Done: ${msisdnTyped} now has the Monthly data bundle 25GB, active.` };
    }
  };
}

export interface ProvisionedState {
  subscriberId: string;
  subscriptions: { subscriptionId: string; offerId: string; state: string }[];
  balances: unknown[];
}

/** What the emulator holds for an MSISDN: subscriber, its subscriptions and the first one's balances. */
export async function provisionedState(
  stack: OcsStack,
  msisdn: string,
): Promise<ProvisionedState | undefined> {
  const found = await stack.get<{ subscriberId: string }>(`/subscribers/lookup?msisdn=${msisdn}`);
  if (!found) return undefined;
  const subscriptions =
    (await stack.get<ProvisionedState['subscriptions']>(
      `/subscribers/${found.subscriberId}/subscriptions`,
    )) ?? [];
  const first = subscriptions[0];
  const balances = first
    ? ((await stack.get<unknown[]>(`/subscriptions/${first.subscriptionId}/balances`)) ?? [])
    : [];
  return { subscriberId: found.subscriberId, subscriptions, balances };
}
