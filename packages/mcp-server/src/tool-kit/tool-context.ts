import type { Offer } from '@ocsai/contract';
import type { ProvisioningApi } from '../ocs/provisioning-api.js';

/** The offer catalogue as the tools read it: built once per process from the operator's file. */
export interface OfferBook {
  all: readonly Offer[];
  get(offerId: string): Offer | undefined;
  /** Every offerId, for messages that name the known offers. */
  ids: readonly string[];
}

/**
 * What a tool handler (and its irreversibility judgement) may use, and nothing more: the OCS calls
 * with this call's transaction id and cancellation already bound, and the offers.
 */
export interface ToolContext {
  ocs: ProvisioningApi;
  offers: OfferBook;
  /** The X-Transaction-ID of this call, for messages that tell the caller how to repeat it. */
  transactionId: string;
}
