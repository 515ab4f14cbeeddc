import { z } from 'zod';
import type { Toolset } from '../config.js';
import type { Runtime } from '../runtime.js';
import { withCachedJsonSchema } from './cached-json-schema.js';
import { ConfirmationRequired } from './confirmation.js';

/** All four hints, always explicit: the spec's defaults are pessimistic and clients act on them. */
export interface ToolAnnotationsSet {
  readOnlyHint: boolean;
  destructiveHint: boolean;
  idempotentHint: boolean;
  openWorldHint: boolean;
}

export interface ToolCall {
  runtime: Runtime;
  transactionId: string;
  signal: AbortSignal | undefined;
}

/** What a destructive call is about to do, shown to the human before it runs. */
export interface ConfirmationPrompt {
  summary: string;
}

type AnyObject = z.ZodObject;

export interface ToolSpec<I extends AnyObject, O extends AnyObject> {
  name: string;
  toolset: Toolset;
  title: string;
  description: string;
  input: I;
  output: O;
  annotations: ToolAnnotationsSet;
  /** Writes to the OCS: hidden and refused in read-only mode. */
  writes: boolean;
  /** Calls the OCS: takes an optional transaction_id and returns the one used. */
  callsOcs: boolean;
  /** Present on tools that can destroy data: returns a prompt when this call needs a human's yes. */
  confirm?: (args: z.output<I>) => ConfirmationPrompt | undefined;
  run: (args: z.output<I>, call: ToolCall) => Promise<z.output<O>>;
}

/** A tool ready to register: final schemas computed once per process. */
export interface ToolDefinition {
  name: string;
  toolset: Toolset;
  title: string;
  description: string;
  inputSchema: AnyObject;
  outputSchema: AnyObject;
  annotations: ToolAnnotationsSet;
  writes: boolean;
  callsOcs: boolean;
  /** The config object handed to McpServer.registerTool, shared by every server instance. */
  registration: {
    title: string;
    description: string;
    inputSchema: AnyObject;
    outputSchema: AnyObject;
    annotations: ToolAnnotationsSet & { title: string };
  };
  confirm?: (args: Record<string, unknown>) => ConfirmationPrompt | undefined;
  run: (args: Record<string, unknown>, call: ToolCall) => Promise<Record<string, unknown>>;
}

export const TransactionIdInput = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces')
  .optional()
  .describe(
    'Optional X-Transaction-ID for the OCS call(s). Reuse the same value to retry a create safely: the OCS treats a repeated POST with the same transaction id as the same request. Omit it to get a new UUID.',
  );

export const ConfirmationTokenInput = z
  .string()
  .min(1)
  .max(2048)
  .optional()
  .describe(
    'Only for the second step of a confirmation: the confirmation_token returned by the first call, after the human said yes. Never invent one.',
  );

const CONFIRMATION_HELP =
  " Destructive: needs the human's confirmation. Clients that support elicitation get a confirmation dialog. Otherwise the first call changes nothing and returns {confirmation_required: true, confirmation_token, expires_at, message, action}; show the message to the human and, only if they agree, repeat the identical call with confirmation_token (valid 5 minutes, once).";

/** Builds the final definition: adds transaction_id / confirmation_token inputs and outputs. */
export function defineTool<I extends AnyObject, O extends AnyObject>(spec: ToolSpec<I, O>): ToolDefinition {
  let input: AnyObject = spec.input;
  let output: AnyObject = spec.output;
  if (spec.callsOcs) {
    input = input.extend({ transaction_id: TransactionIdInput });
    output = output.extend({
      transaction_id: z
        .string()
        .describe('X-Transaction-ID used for the OCS call(s); quote it in support cases.'),
    });
  }
  let description = spec.description;
  if (spec.confirm) {
    input = input.extend({ confirmation_token: ConfirmationTokenInput });
    // One object schema for both outcomes (done, or confirmation required), so every client can
    // validate structuredContent without a union at the root.
    output = output.partial().extend(ConfirmationRequired.partial().shape);
    description += CONFIRMATION_HELP;
  }
  const inputSchema = withCachedJsonSchema(input.strict());
  const outputSchema = withCachedJsonSchema(output);
  return {
    name: spec.name,
    toolset: spec.toolset,
    title: spec.title,
    description,
    inputSchema,
    outputSchema,
    annotations: spec.annotations,
    registration: {
      title: spec.title,
      description,
      inputSchema,
      outputSchema,
      annotations: { title: spec.title, ...spec.annotations },
    },
    writes: spec.writes,
    callsOcs: spec.callsOcs,
    ...(spec.confirm ? { confirm: spec.confirm as ToolDefinition['confirm'] } : {}),
    run: spec.run as unknown as ToolDefinition['run'],
  };
}

export const READ_ONLY: ToolAnnotationsSet = {
  readOnlyHint: true,
  destructiveHint: false,
  idempotentHint: true,
  openWorldHint: false,
};

export const CREATES: ToolAnnotationsSet = {
  readOnlyHint: false,
  destructiveHint: false,
  idempotentHint: false,
  openWorldHint: false,
};

export const UPDATES: ToolAnnotationsSet = {
  readOnlyHint: false,
  destructiveHint: false,
  idempotentHint: true,
  openWorldHint: false,
};

export const DELETES: ToolAnnotationsSet = {
  readOnlyHint: false,
  destructiveHint: true,
  idempotentHint: true,
  openWorldHint: false,
};

/** Digits only, as the OCS stores MSISDNs: "+43 660 123-4567" becomes "436601234567". */
export function normaliseMsisdn(raw: string): string {
  return raw.replace(/[\s+\-().]/g, '');
}

/** Client-side paging of a list the OCS returns whole. */
export const PageInput = {
  limit: z.number().int().min(1).max(100).default(50).describe('Page size, 1-100 (default 50).'),
  offset: z.number().int().min(0).default(0).describe('Items to skip (default 0).'),
};
