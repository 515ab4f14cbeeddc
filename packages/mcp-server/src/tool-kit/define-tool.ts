import { z } from 'zod';
import { SCOPES } from '../auth/principal.js';
import type { Toolset } from '../config.js';
import { checkedRecordSchema } from '../ocs/provisioning-api.js';
import { ConfirmationRequired } from './confirmation.js';
import { ConfirmationTokenInput, TransactionIdInput } from './inputs.js';
import { withCachedJsonSchema } from './json-schema.js';
import { type EntityOutput, entityOutputOf } from './outputs.js';
import type { ToolContext } from './tool-context.js';

/** All four hints, always explicit: the spec's defaults are pessimistic and clients act on them. */
export interface ToolAnnotationsSet {
  readOnlyHint: boolean;
  destructiveHint: boolean;
  idempotentHint: boolean;
  openWorldHint: boolean;
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

/** One tool as its group file declares it; the toolset is the group's, the rest is derived. */
export interface ToolSpec<I extends AnyObject, O extends AnyObject> {
  name: string;
  title: string;
  description: string;
  input: I;
  output: O;
  effect: ToolEffect;
  /**
   * idempotentHint: a repeat with the same arguments changes nothing more. Reads and irreversible
   * tools (deletes, rewrites) are idempotent; a `write` says so.
   */
  idempotent?: boolean;
  /** Calls the OCS (default): takes an optional transaction_id and returns the one used. */
  callsOcs?: false;
  /**
   * Decides by effect whether this call is irreversible, reading the current state it needs (at
   * most one GET), and returns what to ask the human; undefined means reversible. Required for
   * `irreversible` tools (where it must always return a prompt), optional for `write` tools.
   */
  confirm?: (
    args: z.output<I>,
    ctx: ToolContext,
  ) => ConfirmationPrompt | undefined | Promise<ConfirmationPrompt | undefined>;
  run: (args: z.output<I>, ctx: ToolContext) => Promise<z.output<O>>;
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
  /** Writes to the OCS (not readOnlyHint): hidden and refused in read-only mode. */
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
  /**
   * Whether a structured result conforms to outputSchema without running it: true only when that is
   * proven (see {@link provenEntityOutput}); false means "run the schema", never "does not conform".
   */
  outputProven?: (structured: unknown) => boolean;
  /** The irreversibility judgement: a prompt when this call needs a human's yes (and ocs:irreversible). */
  confirm?: (args: Record<string, unknown>, ctx: ToolContext) => Promise<ConfirmationPrompt | undefined>;
  run: (args: Record<string, unknown>, ctx: ToolContext) => Promise<Record<string, unknown>>;
}

/** Declares one tool spec with its argument types inferred; {@link toolGroup} turns it into a definition. */
export function tool<I extends AnyObject, O extends AnyObject>(spec: ToolSpec<I, O>): ToolSpec<I, O> {
  return spec;
}

const CONFIRMATION_STEPS =
  ' Clients that support elicitation get a confirmation dialog. Otherwise the first call changes nothing and returns {confirmation_required: true, confirmation_token, expires_at, message, action}; show the message to the human and, only if they agree, repeat the identical call with confirmation_token (valid 5 minutes, once).';

const ALWAYS_CONFIRMED = " Irreversible: needs the human's confirmation.";
const SOMETIMES_CONFIRMED =
  " Irreversible for some calls (decided from the arguments and the current OCS state, see the tool's description): those need the human's confirmation.";

const SCOPE_OF: Record<ToolEffect, string> = {
  read: SCOPES.read,
  write: SCOPES.write,
  irreversible: SCOPES.irreversible,
};

/**
 * The output proof of a tool that returns one OCS record as `{<key>: record, transaction_id}`: its
 * output schema is `entityOutput(key, entity)` extended by `transaction_id: z.string()`, a plain
 * (stripping) object, so a result conforms exactly when its record passes `entity` and its
 * transaction_id is a string. A record the provisioning API parsed with that same `entity` and
 * froze passes it (checkedRecordSchema): checking it again would repeat the boundary's own check.
 * Anything else (a record from elsewhere, a copy, another schema) is not proven and gets the schema.
 */
function provenEntityOutput({ key, entity }: EntityOutput): (structured: unknown) => boolean {
  return (structured) => {
    if (typeof structured !== 'object' || structured === null) return false;
    const out = structured as Record<string, unknown>;
    return typeof out.transaction_id === 'string' && checkedRecordSchema(out[key]) === entity;
  };
}

/** Builds the final definition: adds transaction_id / confirmation_token inputs and outputs. */
// biome-ignore lint/suspicious/noExplicitAny: a group holds specs of different argument types.
function defineTool(toolset: Toolset, spec: ToolSpec<any, any>): ToolDefinition {
  const callsOcs = spec.callsOcs !== false;
  let input: AnyObject = spec.input;
  let output: AnyObject = spec.output;
  if (callsOcs) {
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
  if (spec.effect === 'write' && spec.idempotent === undefined)
    throw new Error(`${spec.name}: a write says whether it is idempotent`);
  const annotations: ToolAnnotationsSet = {
    readOnlyHint: spec.effect === 'read',
    // May this tool be irreversible for some arguments? Then clients should treat it as destructive.
    destructiveHint: spec.confirm !== undefined,
    idempotentHint: spec.idempotent ?? true,
    // Every tool works on this one OCS and its catalogue, never on an open set of outside systems.
    openWorldHint: false,
  };
  if (spec.confirm) {
    input = input.extend({ confirmation_token: ConfirmationTokenInput });
    // One object schema for both outcomes (done, or confirmation required), so every client can
    // validate structuredContent without a union at the root.
    output = output.partial().extend(ConfirmationRequired.partial().shape);
    description +=
      (spec.effect === 'irreversible' ? ALWAYS_CONFIRMED : SOMETIMES_CONFIRMED) + CONFIRMATION_STEPS;
  }
  const judge = spec.confirm;
  const fallback: ConfirmationPrompt = { summary: `${spec.title}: this cannot be undone.` };
  // An irreversible tool is confirmed whatever its judgement says.
  const confirm = judge
    ? async (args: Record<string, unknown>, ctx: ToolContext) =>
        (await judge(args, ctx)) ?? (spec.effect === 'irreversible' ? fallback : undefined)
    : undefined;
  // Only the exact shape provenEntityOutput reasons about: an OCS tool's entityOutput, unconfirmed
  // (a confirmed tool's output is made partial and widened by the confirmation fields).
  const entity = callsOcs && !spec.confirm ? entityOutputOf(spec.output) : undefined;
  const inputSchema = withCachedJsonSchema(input.strict());
  const outputSchema = withCachedJsonSchema(output);
  return {
    name: spec.name,
    toolset,
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
    writes: !annotations.readOnlyHint,
    callsOcs,
    requiredScope: SCOPE_OF[spec.effect],
    ...(confirm ? { confirm } : {}),
    ...(entity ? { outputProven: provenEntityOutput(entity) } : {}),
    run: spec.run,
  };
}

/** A group file's tools, in the order tools/list shows them, all in the group's toolset. */
// biome-ignore lint/suspicious/noExplicitAny: a group holds specs of different argument types.
export function toolGroup(toolset: Toolset, specs: readonly ToolSpec<any, any>[]): ToolDefinition[] {
  return specs.map((spec) => defineTool(toolset, spec));
}
