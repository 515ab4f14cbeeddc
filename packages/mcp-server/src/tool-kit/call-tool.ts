import type { CallToolResult, InputRequiredResult } from '@modelcontextprotocol/server';
import type { Principal } from '../auth/principal.js';
import type { Runtime } from '../runtime.js';
import type { ToolDefinition } from './define-tool.js';
import { invokeTool, type ToolCallRequest } from './invoke-tool.js';

interface Issue {
  readonly message: string;
  readonly path?: ReadonlyArray<PropertyKey | { readonly key: PropertyKey }> | undefined;
}

/** One issue as the SDK's `formatIssue` writes it: `path.to.field: message`. */
function formatIssue(issue: Issue): string {
  if (!issue.path?.length) return issue.message;
  return `${issue.path.map((p) => String(typeof p === 'object' ? p.key : p)).join('.')}: ${issue.message}`;
}

type Validated = { ok: true; value: unknown } | { ok: false; error: string };

/** What the SDK's `validateStandardSchema` returns, from the Standard Schema interface's result. */
function validated(result: StandardResult): Validated {
  if (result.issues && result.issues.length > 0)
    return { ok: false, error: result.issues.map((i) => formatIssue(i)).join(', ') };
  return { ok: true, value: (result as { value: unknown }).value };
}

type StandardResult = { issues?: ReadonlyArray<Issue> | undefined; value?: unknown };

/**
 * The SDK's `validateStandardSchema`, answered synchronously when the schema is (a zod schema without
 * async refinements always is): the SDK awaits it, which here would only cost two more async frames
 * per call and change nothing else.
 */
function validate(schema: ToolDefinition['inputSchema'], data: unknown): Validated | Promise<Validated> {
  const result = schema['~standard'].validate(data) as StandardResult | Promise<StandardResult>;
  return result instanceof Promise ? result.then(validated) : validated(result);
}

/** The SDK's `McpServer.validateToolInput` (same name, so CPU profiles charge it to the same stage). */
function validateToolInput(def: ToolDefinition, args: Record<string, unknown> | undefined) {
  return validate(def.inputSchema, args ?? {});
}

/** The SDK's `McpServer.validateToolOutput`, on a result that is neither an error nor input_required. */
function validateToolOutput(def: ToolDefinition, structuredContent: unknown) {
  return validate(def.outputSchema, structuredContent);
}

const toolError = (message: string): CallToolResult => ({
  content: [{ type: 'text', text: message }],
  isError: true,
});

/**
 * One tools/call of a registered, callable tool, doing around {@link invokeTool} exactly what the
 * SDK's McpServer does around a tool handler (mirrored from @modelcontextprotocol/server 2.4,
 * `McpServer.setToolRequestHandlers`: `validateToolInput`, the handler, `validateToolOutput`, and
 * `createToolError` for anything thrown), with the tool's own zod schemas: an input that fails its
 * schema, or a result whose structuredContent fails the output schema, becomes the same `isError`
 * result with the same text. Used where no per-request McpServer exists (the HTTP fast path); the
 * SDK path keeps its own copy of these steps.
 */
export async function callTool(
  def: ToolDefinition,
  rawArguments: Record<string, unknown> | undefined,
  request: ToolCallRequest,
  runtime: Runtime,
  principal: Principal,
): Promise<CallToolResult | InputRequiredResult> {
  try {
    let input = validateToolInput(def, rawArguments);
    if (input instanceof Promise) input = await input;
    if (!input.ok)
      return toolError(`Input validation error: Invalid arguments for tool ${def.name}: ${input.error}`);
    const result = await invokeTool(def, input.value as Record<string, unknown>, request, runtime, principal);
    if (result.resultType === 'input_required' || (result as CallToolResult).isError) return result;
    const structured = (result as CallToolResult).structuredContent;
    if (structured === undefined)
      return toolError(
        `Output validation error: Tool ${def.name} has an output schema but no structured content was provided`,
      );
    // The SDK's check, unless the result is proven to pass it (an OCS record checked at the boundary).
    if (def.outputProven?.(structured)) return result;
    let output = validateToolOutput(def, structured);
    if (output instanceof Promise) output = await output;
    if (!output.ok)
      return toolError(
        `Output validation error: Invalid structured content for tool ${def.name}: ${output.error}`,
      );
    return result;
  } catch (error) {
    return toolError(error instanceof Error ? error.message : String(error));
  }
}
