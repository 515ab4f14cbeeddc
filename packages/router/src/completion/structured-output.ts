/**
 * Structured output, whatever the API and the provider: the request form (OpenAI's
 * `response_format`, also taken by /ask), and the router's own check of the final answer. The
 * providers are asked to hold to the schema in their own terms (providers/*), but the router does
 * not take that on trust: an answer that does not parse, or does not match, is a 502 naming the
 * provider and what failed, never a silent pass.
 *
 * Schemas are checked with zod 4's `z.fromJSONSchema` (zod is already the router's validator); a
 * schema it cannot express (if/then/else, for instance) is refused when the request arrives, since
 * the router could not check the answer against it.
 */
import { z } from 'zod';
import { RouterError } from '../errors.js';
import type { ChatChoice, ChatResult, ResponseFormat } from '../providers/types.js';

export const responseFormatSchema = z
  .discriminatedUnion('type', [
    z.object({ type: z.literal('text') }).strict(),
    z.object({ type: z.literal('json_object') }).strict(),
    z
      .object({
        type: z.literal('json_schema'),
        json_schema: z
          .object({
            name: z
              .string()
              .regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, _ and -, at most 64')
              .describe('Name of the answer format.'),
            description: z.string().max(10_000).optional(),
            schema: z.record(z.string(), z.unknown()).describe('JSON Schema the answer must match.'),
            strict: z.boolean().nullish().describe('Ask the provider to enforce the schema exactly.'),
          })
          .strict(),
      })
      .strict(),
  ])
  .describe(
    'text (default), json_object (the answer is a JSON object) or json_schema (the answer matches the schema). The router checks the answer itself: one that does not parse or match is a 502.',
  );

export type ResponseFormatBody = z.infer<typeof responseFormatSchema>;

const compiled = new WeakMap<Record<string, unknown>, z.ZodType>();

function validatorFor(schema: Record<string, unknown>): z.ZodType {
  let validator = compiled.get(schema);
  if (!validator) {
    validator = z.fromJSONSchema(schema as Parameters<typeof z.fromJSONSchema>[0]);
    compiled.set(schema, validator);
  }
  return validator;
}

/**
 * The router's form of a `response_format` body (undefined for `text`), or a 400 naming `path`
 * when the router could not check answers against the schema.
 */
export function toResponseFormat(
  body: ResponseFormatBody | null | undefined,
  path = 'response_format',
): ResponseFormat | undefined {
  if (!body || body.type === 'text') return undefined;
  if (body.type === 'json_object') return { type: 'json_object' };
  const { name, description, schema, strict } = body.json_schema;
  try {
    validatorFor(schema);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new RouterError(
      400,
      'unsupported_schema',
      `${path}.json_schema.schema cannot be checked by the router: ${reason}`,
      { issues: [{ path: `${path}.json_schema.schema`, message: reason }] },
    );
  }
  return {
    type: 'json_schema',
    name,
    schema,
    ...(description !== undefined && { description }),
    ...(strict != null && { strict }),
  };
}

/**
 * Checks the final answer against the requested format and sets its `parsed` (in place: who
 * answered is keyed on the result object). An answer that stopped at a tool call is not the
 * structured answer yet and passes unchecked.
 */
export function checkStructuredOutput(
  result: ChatResult,
  format: ResponseFormat | undefined,
  provider: string,
): ChatResult {
  if (!format) return result;
  for (const choice of [result, ...(result.moreChoices ?? [])]) checkChoice(choice, format, provider);
  return result;
}

function checkChoice(result: ChatChoice, format: ResponseFormat, provider: string): void {
  if (result.finishReason === 'tool_calls') return;
  const fail = (what: string) =>
    new RouterError(502, 'invalid_structured_output', `${provider} answered with ${what}`, { provider });
  if (result.finishReason === 'length') throw fail('a structured answer cut off at the token limit');
  if (result.finishReason === 'content_filter') throw fail('a refusal instead of the structured answer');
  let parsed: unknown;
  try {
    parsed = JSON.parse(result.content);
  } catch {
    throw fail('text that is not JSON');
  }
  if (format.type === 'json_object') {
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
      throw fail('JSON that is not an object');
    result.parsed = parsed;
    return;
  }
  const checked = validatorFor(format.schema).safeParse(parsed);
  if (!checked.success) {
    const issues = checked.error.issues
      .slice(0, 3)
      .map((issue) => `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`)
      .join('; ');
    throw fail(`${`JSON that does not match the schema ${format.name ?? ''}`.trimEnd()} (${issues})`);
  }
  result.parsed = parsed;
}
