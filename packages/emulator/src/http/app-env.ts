import type { Offer } from '@ocsai/contract';
import type { Logger } from 'pino';
import type { OcsStore } from '../store/ocs-store.js';

export type Fidelity = 'friendly' | 'strict';

/** What the routes need; built once per app. */
export interface AppDeps {
  store: OcsStore;
  fidelity: Fidelity;
  apiKey: string | undefined;
  offers: Offer[];
  logger: Logger;
  now: () => number;
  newId: () => string;
}

export interface AppEnv {
  Variables: {
    transactionId: string;
    /** True when the client sent the X-Transaction-ID (only those are replay keys). */
    clientTransactionId: boolean;
    /** The request body as read by readJson (part of a replayed POST's identity). */
    requestBodyText?: string;
  };
}
