import type { ToolDefinition } from '../tool-kit/define-tool.js';
import { BALANCE_TOOLS } from './balance.js';
import { HISTORY_TOOLS } from './history.js';
import { HISTORY_ADMIN_TOOLS } from './history-admin.js';
import { OFFER_TOOLS } from './offers.js';
import { SUBSCRIBER_TOOLS } from './subscriber.js';
import { SUBSCRIPTION_TOOLS } from './subscription.js';

/** Every tool, in the fixed order tools/list shows them. Built once per process at import. */
export const ALL_TOOLS: readonly ToolDefinition[] = [
  ...SUBSCRIBER_TOOLS,
  ...SUBSCRIPTION_TOOLS,
  ...BALANCE_TOOLS,
  ...HISTORY_TOOLS,
  ...HISTORY_ADMIN_TOOLS,
  ...OFFER_TOOLS,
];
