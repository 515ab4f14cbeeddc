import { DateTime } from '@ocsai/contract';
import { z } from 'zod';
import { OcsFailure } from '../ocs/ocs-failure.js';
import { tool, toolGroup } from '../tool-kit/define-tool.js';
import { text } from '../tool-kit/inputs.js';
import { deletedOutput } from '../tool-kit/outputs.js';
import { historyOut, InteractionId } from './history.js';

/**
 * Editing or deleting the account history rewrites the audit trail of the OCS itself (the automatic
 * entries record every state change). A separate toolset, off by default, and every call needs a
 * human's yes, so a prompt-injected model cannot end a subscription and then cover it up.
 */
export const updateAccountHistory = tool({
  name: 'update_account_history',
  title: 'Update account history entry',
  description:
    'Administrators only (toolset history-admin, off by default). Change an account history entry: description, status, direction, reason, channel, statusChangeDate or the interaction start/end. Fields you leave out stay unchanged; interactionId, entityId and entityType cannot change. Needs the interactionId from list_account_history. Returns the updated entry.',
  input: z.object({
    interactionId: InteractionId,
    description: text('New description.'),
    status: text('New status.'),
    direction: text('New direction.'),
    reason: text('New reason.'),
    channel: text('New channel.'),
    statusChangeDate: DateTime.optional().describe('ISO-8601.'),
    startDateTime: DateTime.optional().describe('New interaction start (ISO-8601).'),
    endDateTime: DateTime.optional().describe('New interaction end (ISO-8601).'),
  }),
  output: historyOut,
  idempotent: true,
  effect: 'irreversible',
  // The entry's previous text is gone once replaced: always a human's yes.
  confirm: (args) => ({
    summary: `Rewrite account history entry ${args.interactionId}; its previous content is lost.`,
  }),
  async run(args, { ocs }) {
    const { interactionId, startDateTime, endDateTime, ...fields } = args;
    const patch = {
      ...fields,
      ...(startDateTime || endDateTime ? { interactionDate: { startDateTime, endDateTime } } : {}),
    };
    if (Object.values(patch).every((v) => v === undefined))
      throw new OcsFailure('validation', 'Give at least one field to change.');
    return { entry: await ocs.patchHistory(interactionId, patch) };
  },
});

export const deleteAccountHistory = tool({
  name: 'delete_account_history',
  title: 'Delete account history entry',
  description:
    'Administrators only (toolset history-admin, off by default). Permanently delete one account history entry by interactionId (from list_account_history). Cannot be undone. Returns {deleted: true, interactionId}.',
  input: z.object({ interactionId: InteractionId }),
  output: deletedOutput('interactionId'),
  effect: 'irreversible',
  confirm: (args) => ({ summary: `Permanently delete account history entry ${args.interactionId}.` }),
  async run(args, { ocs }) {
    await ocs.deleteHistory(args.interactionId);
    return { deleted: true as const, interactionId: args.interactionId };
  },
});

export const HISTORY_ADMIN_TOOLS = toolGroup('history-admin', [updateAccountHistory, deleteAccountHistory]);
