import { type McpServer, ResourceTemplate } from '@modelcontextprotocol/server';
import type { SecretRedactor } from '@ocsai/contract';
import { OcsFailure } from '../ocs/ocs-failure.js';
import { newTransactionId } from '../ocs/ocs-http.js';
import type { ToolContext } from '../tool-kit/tool-context.js';

const SUBSCRIBER_TEMPLATE = new ResourceTemplate('ocs://subscribers/{subscriberId}', { list: undefined });

/** One subscriber record by id: what get_subscriber returns, as a resource. */
export function registerSubscriber(
  server: McpServer,
  toolContext: (transactionId: string, signal: AbortSignal | undefined) => ToolContext,
  redactor: SecretRedactor,
): void {
  server.registerResource(
    'subscriber',
    SUBSCRIBER_TEMPLATE,
    {
      title: 'Subscriber',
      description: 'One subscriber record from the OCS by subscriberId, as JSON.',
      mimeType: 'application/json',
    },
    async (uri, variables, ctx) => {
      const raw = variables.subscriberId;
      const id = decodeURIComponent(Array.isArray(raw) ? (raw[0] ?? '') : (raw ?? ''));
      try {
        const subscriber = await toolContext(newTransactionId(), ctx.mcpReq.signal).ocs.getSubscriber(id);
        return {
          contents: [{ uri: uri.href, mimeType: 'application/json', text: JSON.stringify(subscriber) }],
        };
      } catch (err) {
        // Resource reads have no isError channel: a thrown Error becomes a JSON-RPC error with this text.
        throw new Error(
          err instanceof OcsFailure ? redactor.text(err.message) : 'Could not read the subscriber.',
        );
      }
    },
  );
}
