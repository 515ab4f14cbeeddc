import type { CallToolResult } from '@modelcontextprotocol/client';

/**
 * A tool call the server will only perform after a human's yes, in either of the two forms MCP
 * servers use:
 * - `token`: a normal result whose structuredContent is
 *   `{confirmation_required: true, confirmation_token, expires_at?, message?}`; approving repeats
 *   the identical call with `confirmation_token` added;
 * - `input_required` (2026-07-28 MRTR): the server asks for a form elicitation; approving retries
 *   with `inputResponses` answering every boolean field `true` and the `requestState` echoed.
 */
export type ConfirmationRequest =
  | { kind: 'token'; message: string; token: string; expiresAt?: string }
  | {
      kind: 'input_required';
      message: string;
      /** The answers sent on approval, prepared now so nothing of the request is needed later. */
      approveResponses: Record<string, unknown>;
      requestState?: string;
    };

export const CONFIRMATION_TOKEN_ARGUMENT = 'confirmation_token';

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

export function confirmationFromResult(
  result: CallToolResult,
  tool: string,
): ConfirmationRequest | undefined {
  if (result.isError) return undefined;
  const structured = asRecord(result.structuredContent);
  if (structured?.confirmation_required !== true) return undefined;
  const token = structured.confirmation_token;
  if (typeof token !== 'string' || token === '') return undefined;
  const message =
    typeof structured.message === 'string' && structured.message ? structured.message : `Run ${tool}?`;
  const request: ConfirmationRequest = { kind: 'token', message, token };
  if (typeof structured.expires_at === 'string') request.expiresAt = structured.expires_at;
  return request;
}

/**
 * Turns an input_required result into a confirmation when it is one: every embedded request is a
 * form elicitation whose fields are all booleans (a yes/no question). Anything else (free-text
 * input, sampling, URL elicitation) needs data the router cannot collect: returns a reason.
 */
export function confirmationFromInputRequired(
  inputRequests: Record<string, unknown>,
  requestState: string | undefined,
  tool: string,
): ConfirmationRequest | { unsupported: string } {
  const messages: string[] = [];
  const approveResponses: Record<string, unknown> = {};
  const keys = Object.keys(inputRequests);
  if (keys.length === 0) return { unsupported: `${tool} asked for input without saying what` };
  for (const key of keys) {
    const request = asRecord(inputRequests[key]);
    const params = asRecord(request?.params);
    const schema = asRecord(params?.requestedSchema);
    const properties = asRecord(schema?.properties);
    const mode = params?.mode ?? 'form';
    if (request?.method !== 'elicitation/create' || mode !== 'form' || !properties) {
      return {
        unsupported: `${tool} asked for input the router cannot provide (${String(request?.method)})`,
      };
    }
    const content: Record<string, boolean> = {};
    for (const [field, definition] of Object.entries(properties)) {
      if (asRecord(definition)?.type !== 'boolean') {
        return {
          unsupported: `${tool} asked for "${field}", which is not a yes/no answer the router can give`,
        };
      }
      content[field] = true;
    }
    approveResponses[key] = { action: 'accept', content };
    if (typeof params?.message === 'string') messages.push(params.message);
  }
  const confirmation: ConfirmationRequest = {
    kind: 'input_required',
    message: messages.join('\n') || `Run ${tool}?`,
    approveResponses,
  };
  if (requestState !== undefined) confirmation.requestState = requestState;
  return confirmation;
}

/** The model never supplies a token: only a human's approval, through the router, does. */
export function withoutConfirmationToken(args: Record<string, unknown>): Record<string, unknown> {
  if (!Object.hasOwn(args, CONFIRMATION_TOKEN_ARGUMENT)) return args;
  const { [CONFIRMATION_TOKEN_ARGUMENT]: _dropped, ...rest } = args;
  return rest;
}

/** The tool's schema without confirmation_token, so models are not tempted to fill it in. */
export function schemaWithoutConfirmationToken(schema: Record<string, unknown>): Record<string, unknown> {
  const properties = asRecord(schema.properties);
  if (!properties || !Object.hasOwn(properties, CONFIRMATION_TOKEN_ARGUMENT)) return schema;
  const { [CONFIRMATION_TOKEN_ARGUMENT]: _dropped, ...rest } = properties;
  const copy: Record<string, unknown> = { ...schema, properties: rest };
  if (Array.isArray(schema.required)) {
    copy.required = schema.required.filter((name) => name !== CONFIRMATION_TOKEN_ARGUMENT);
  }
  return copy;
}

/** What replaces the sentences about confirmation_token in a tool description offered to a model. */
export const ROUTER_CONFIRMS_SENTENCE =
  'When this call needs a human confirmation, the router asks the human and runs it only after a yes: call it normally.';

/**
 * The tool's description without the sentences that tell a direct MCP client to repeat the call
 * with confirmation_token: the router strips that argument and asks the human itself, so a model
 * told about the token would only be invited to invent one. Sentences are dropped whole; one line
 * saying the router confirms replaces them.
 */
export function descriptionWithoutConfirmationToken(description: string): string {
  if (!description.includes(CONFIRMATION_TOKEN_ARGUMENT)) return description;
  const kept = description
    .split(/(?<=[.!?])\s+/)
    .filter((sentence) => !sentence.includes(CONFIRMATION_TOKEN_ARGUMENT));
  return [...kept, ROUTER_CONFIRMS_SENTENCE].join(' ');
}
