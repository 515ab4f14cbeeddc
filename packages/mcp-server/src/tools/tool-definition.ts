import { z } from 'zod';
import type { Principal } from '../auth/principal.js';
import { SCOPES } from '../auth/principal.js';
import type { Toolset } from '../config.js';
import { OCS_ID_PATTERN } from '../ocs/provisioning-api.js';
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
  /** Who is calling: the credential's subject and scopes. */
  principal: Principal;
}

/**
 * What a tool can do, at most:
 * - `read`: changes nothing;
 * - `write`: changes the OCS in a way another call can undo; with `confirm` the call is judged
 *   per arguments and current state, and becomes irreversible when `confirm` returns a prompt;
 * - `irreversible`: no other call can undo it (deletes): always confirmed.
 * The annotations (readOnlyHint, destructiveHint) and the OAuth scope follow from this.
 */
export type ToolEffect = 'read' | 'write' | 'irreversible';

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
  /** idempotentHint and openWorldHint; readOnlyHint and destructiveHint follow from `effect`. */
  annotations: Pick<ToolAnnotationsSet, 'idempotentHint' | 'openWorldHint'>;
  effect: ToolEffect;
  /** Calls the OCS: takes an optional transaction_id and returns the one used. */
  callsOcs: boolean;
  /**
   * Decides by effect whether this call is irreversible, reading the current state it needs (at
   * most one GET), and returns what to ask the human; undefined means reversible. Required for
   * `irreversible` tools (where it must always return a prompt), optional for `write` tools.
   */
  confirm?: (
    args: z.output<I>,
    call: ToolCall,
  ) => ConfirmationPrompt | undefined | Promise<ConfirmationPrompt | undefined>;
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
  effect: ToolEffect;
  /** Writes to the OCS: hidden and refused in read-only mode. */
  writes: boolean;
  callsOcs: boolean;
  /** The scope a token needs to see and call the tool at all (ocs:irreversible may be needed per call). */
  requiredScope: string;
  /** The config object handed to McpServer.registerTool, shared by every server instance. */
  registration: {
    title: string;
    description: string;
    inputSchema: AnyObject;
    outputSchema: AnyObject;
    annotations: ToolAnnotationsSet & { title: string };
  };
  /** The irreversibility judgement: a prompt when this call needs a human's yes (and ocs:irreversible). */
  confirm?: (args: Record<string, unknown>, call: ToolCall) => Promise<ConfirmationPrompt | undefined>;
  run: (args: Record<string, unknown>, call: ToolCall) => Promise<Record<string, unknown>>;
}

/** An OCS id as a tool argument: {@link OCS_ID_PATTERN}, so that it cannot change the OCS path. */

export function ocsId(description: string, maxLength = 200) {
  return z
    .string()
    .min(1)
    .max(maxLength)
    .regex(OCS_ID_PATTERN, 'must be an id: not "." or "..", and no "/", "?", "#", "%", "\\" or spaces')
    .describe(description);
}

export const TransactionIdInput = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces')
  .optional()
  .describe(
    'Optional X-Transaction-ID for the OCS call(s). Reuse the same value to repeat a write safely: a repeat with the same arguments gets the first result without calling the OCS again; the same value with other arguments is refused. Omit it to get a new UUID.',
  );

export const ConfirmationTokenInput = z
  .string()
  .min(1)
  .max(2048)
  .optional()
  .describe(
    'Only for the second step of a confirmation: the confirmation_token returned by the first call, after the human said yes. Never invent one.',
  );

const CONFIRMATION_STEPS =
  ' Clients that support elicitation get a confirmation dialog. Otherwise the first call changes nothing and returns {confirmation_required: true, confirmation_token, expires_at, message, action}; show the message to the human and, only if they agree, repeat the identical call with confirmation_token (valid 5 minutes, once).';

const ALWAYS_CONFIRMED = " Irreversible: needs the human's confirmation.";
const SOMETIMES_CONFIRMED =
  " Irreversible for some calls (decided from the arguments and the current OCS state, see the tool's description): those need the human's confirmation.";

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
  if (spec.effect === 'irreversible' && !spec.confirm)
    throw new Error(`${spec.name}: an irreversible tool needs a confirmation prompt`);
  if (spec.effect === 'read' && spec.confirm) throw new Error(`${spec.name}: a read needs no confirmation`);
  const annotations: ToolAnnotationsSet = {
    readOnlyHint: spec.effect === 'read',
    // May this tool be irreversible for some arguments? Then clients should treat it as destructive.
    destructiveHint: spec.confirm !== undefined,
    idempotentHint: spec.annotations.idempotentHint,
    openWorldHint: spec.annotations.openWorldHint,
  };
  if (spec.confirm) {
    input = input.extend({ confirmation_token: ConfirmationTokenInput });
    // One object schema for both outcomes (done, or confirmation required), so every client can
    // validate structuredContent without a union at the root.
    output = output.partial().extend(ConfirmationRequired.partial().shape);
    description +=
      (spec.effect === 'irreversible' ? ALWAYS_CONFIRMED : SOMETIMES_CONFIRMED) + CONFIRMATION_STEPS;
  }
  const judge = spec.confirm as
    | ((
        args: Record<string, unknown>,
        call: ToolCall,
      ) => ConfirmationPrompt | undefined | Promise<ConfirmationPrompt | undefined>)
    | undefined;
  const fallback: ConfirmationPrompt = { summary: `${spec.title}: this cannot be undone.` };
  // An irreversible tool is confirmed whatever its judgement says.
  const confirm = judge
    ? async (args: Record<string, unknown>, call: ToolCall) =>
        (await judge(args, call)) ?? (spec.effect === 'irreversible' ? fallback : undefined)
    : undefined;
  const inputSchema = withCachedJsonSchema(input.strict());
  const outputSchema = withCachedJsonSchema(output);
  return {
    name: spec.name,
    toolset: spec.toolset,
    title: spec.title,
    description,
    inputSchema,
    outputSchema,
    annotations,
    registration: {
      title: spec.title,
      description,
      inputSchema,
      outputSchema,
      annotations: { title: spec.title, ...annotations },
    },
    effect: spec.effect,
    writes: spec.effect !== 'read',
    callsOcs: spec.callsOcs,
    requiredScope:
      spec.effect === 'read' ? SCOPES.read : spec.effect === 'write' ? SCOPES.write : SCOPES.irreversible,
    ...(confirm ? { confirm } : {}),
    run: spec.run as unknown as ToolDefinition['run'],
  };
}

/** idempotentHint / openWorldHint presets; readOnlyHint and destructiveHint come from the effect. */
export const READ_ONLY = { idempotentHint: true, openWorldHint: false } as const;
export const CREATES = { idempotentHint: false, openWorldHint: false } as const;
export const UPDATES = { idempotentHint: true, openWorldHint: false } as const;
export const DELETES = { idempotentHint: true, openWorldHint: false } as const;

/** Digits only, as the OCS stores MSISDNs: "+43 660 123-4567" becomes "436601234567". */
export function normaliseMsisdn(raw: string): string {
  return raw.replace(/[\s+\-().]/g, '');
}

/** Client-side paging of a list the OCS returns whole. */
export const PageInput = {
  limit: z.number().int().min(1).max(100).default(50).describe('Page size, 1-100 (default 50).'),
  offset: z.number().int().min(0).default(0).describe('Items to skip (default 0).'),
};
