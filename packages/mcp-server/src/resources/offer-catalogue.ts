import type { McpServer } from '@modelcontextprotocol/server';
import type { OfferBook } from '../tool-kit/tool-context.js';

export function registerOfferCatalogue(server: McpServer, offers: OfferBook): void {
  server.registerResource(
    'offer_catalogue',
    'ocs://offers',
    {
      title: 'Offer catalogue',
      description: 'All offers (price plans, bundles) with the balances they grant, as JSON.',
      mimeType: 'application/json',
    },
    async (uri) => ({
      contents: [{ uri: uri.href, mimeType: 'application/json', text: JSON.stringify(offers.all) }],
    }),
  );
}
