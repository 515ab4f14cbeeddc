import type { McpServer } from '@modelcontextprotocol/server';
import { registerInvestigateBalanceComplaint } from './investigate-balance-complaint.js';
import { registerOnboardSubscriber } from './onboard-subscriber.js';

/** Every prompt this server offers; read-only mode drops the ones that write. */
export function registerPrompts(server: McpServer, { readOnly }: { readOnly: boolean }): void {
  if (!readOnly) registerOnboardSubscriber(server);
  registerInvestigateBalanceComplaint(server);
}
