import { z } from '@hono/zod-openapi';
import { askMessageSchema, askRequestSchema } from '../ask/ask-request.js';
import {
  askResponseSchema,
  confirmationSchema,
  deltaEventSchema,
  doneEventSchema,
  executedToolCallSchema,
  toolCallEventSchema,
  toolCallRecordSchema,
  usageSchema,
} from '../ask/ask-response.js';
import { contextEnvelopeSchema } from '../context-envelope/envelope.js';
import { errorBodySchema, validationIssueSchema } from './error-response.js';
import { chatCompletionsRequestSchema } from './openai/chat-completions-request.js';
import { chatCompletionSchema } from './openai/chat-completions-response.js';
import { modelListSchema } from './openai/model-list.js';
import { healthSchema, notReadySchema, readySchema } from './system-schemas.js';

/** Schemas the router reads, by component name. */
export const REQUEST_SCHEMAS = {
  AskRequest: askRequestSchema,
  AskMessage: askMessageSchema,
  ContextEnvelope: contextEnvelopeSchema,
  ChatCompletionsRequest: chatCompletionsRequestSchema,
} as const;

/** Schemas the router writes, by component name (exported so tests can hold real answers to them). */
export const RESPONSE_SCHEMAS = {
  AskResponse: askResponseSchema,
  Usage: usageSchema,
  ToolCallRecord: toolCallRecordSchema,
  Confirmation: confirmationSchema,
  DeltaEvent: deltaEventSchema,
  ToolCallEvent: toolCallEventSchema,
  ToolResultEvent: executedToolCallSchema,
  DoneEvent: doneEventSchema,
  ErrorBody: errorBodySchema,
  ValidationIssue: validationIssueSchema,
  Health: healthSchema,
  Ready: readySchema,
  NotReady: notReadySchema,
  ModelList: modelListSchema,
  ChatCompletion: chatCompletionSchema,
} as const;

export const COMPONENT_SCHEMAS = { ...REQUEST_SCHEMAS, ...RESPONSE_SCHEMAS };
export type ComponentName = keyof typeof COMPONENT_SCHEMAS;

/**
 * A component schema as a route uses it: the same validation, tagged with its component name so
 * the generated document refers to `#/components/schemas/<name>` instead of inlining it.
 */
export function named<Name extends ComponentName>(name: Name): (typeof COMPONENT_SCHEMAS)[Name] {
  // zod 4 gives `.openapi()` only to schemas built after the extension was installed; the domain
  // schemas are plain zod, built earlier, so the method is called on them explicitly.
  return z.ZodType.prototype.openapi.call(COMPONENT_SCHEMAS[name], name) as (typeof COMPONENT_SCHEMAS)[Name];
}

/** A reference to a component schema, for places that take a JSON Schema (SSE event shapes). */
export const schemaRef = (name: ComponentName) => ({ $ref: `#/components/schemas/${name}` });
