import type { ChatResult } from '../providers/types.js';
import type { ConfirmationView } from '../tool-loop/tool-loop.js';

/**
 * A compatible-API answer that stopped at a tool call waiting for a human's yes: the result's
 * content is the question put to the human, and each API renders this view in its documented
 * extension field `confirmation` (the same shape as /ask's `confirmation`). Kept beside the result
 * rather than on it so ChatResult stays the providers' model; a WeakMap never outlives its result.
 */
const confirmations = new WeakMap<ChatResult, ConfirmationView>();

export function attachConfirmation(result: ChatResult, confirmation: ConfirmationView): ChatResult {
  confirmations.set(result, confirmation);
  return result;
}

/** The pending confirmation an answer stopped at, if it did (only with the tool loop opted in). */
export function confirmationOf(result: ChatResult): ConfirmationView | undefined {
  return confirmations.get(result);
}
