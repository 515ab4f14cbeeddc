import { z } from 'zod';
import { TOOLS_HEADER } from '../completion/completion-tools.js';
import { requestIdHeaders } from './error-response.js';

/**
 * The request headers every compatible API (/v1/chat/completions, /v1/responses, /v1/messages)
 * documents: the request id, and the opt-in to the router's MCP tools (read by runCompletion).
 */
export const compatibleApiHeaders = requestIdHeaders.extend({
  [TOOLS_HEADER]: z
    .string()
    .optional()
    .describe(
      "on: run the router's MCP tools for this request (which ones: the principal's roles decide; the header never widens them); off: not for this request, even when the principal's tools_on_compatible_apis is true. Anything else is 400.",
    ),
});
