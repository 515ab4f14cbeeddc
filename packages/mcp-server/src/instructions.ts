import type { McpConfig } from './config.js';

/** Operating guide for the model, sent once at connect (initialize / server/discover). */
export function serverInstructions(config: McpConfig): string {
  const lines = [
    'OCS provisioning tools (telecom Online Charging System): subscribers, subscriptions, balances, account history, offer catalogue.',
    'Identifiers: subscriberId comes from lookup_subscriber (search by MSISDN first; "+43 660 1234567" style input is fine) or create_subscriber; subscriptionId from list_subscriptions or create_subscription; interactionId from list_account_history; offerId from list_offers.',
    'Typical flow: lookup_subscriber -> list_subscriptions -> list_balances. To onboard: lookup_subscriber (must not exist) -> create_subscriber -> list_offers -> create_subscription(createBalances=true, activate=true).',
    'Offer matching convention: PREPAID subscribers get PREPAID offers, POSTPAID subscribers get POSTPAID offers.',
    "Destructive actions (delete_*, change_subscriber_state to DEACTIVATED/TERMINATED, change_subscription_state cancel) need the human's explicit confirmation: either the client shows a confirmation dialog, or the tool returns confirmation_required with a token. Ask the human; repeat the call with confirmation_token only after a clear yes. Never invent tokens.",
    'Every OCS result carries transaction_id; pass your own transaction_id to retry a create safely after a timeout.',
    'Errors are short and say what to do next (e.g. which lookup gives the missing id); do not retry the same failing call unchanged.',
  ];
  if (config.readOnly) lines.push('This server is READ-ONLY: tools that change the OCS are not available.');
  return lines.join('\n');
}
