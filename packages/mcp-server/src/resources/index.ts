import type { McpServer } from '@modelcontextprotocol/server';
import type { Runtime } from '../runtime.js';
import { registerOfferCatalogue } from './offer-catalogue.js';
import { registerSubscriber } from './subscriber.js';

/** The offer catalogue always; a subscriber by id when the subscriber toolset is on and the caller may read. */
export function registerResources(server: McpServer, runtime: Runtime, canRead: boolean): void {
  registerOfferCatalogue(server, runtime.offers);
  if (runtime.config.toolsets.includes('subscriber') && canRead)
    registerSubscriber(server, runtime.toolContext, runtime.redactor);
}
