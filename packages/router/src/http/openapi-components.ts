import type { z } from 'zod';
import { askMessageSchema, askRequestSchema, confirmationAnswerSchema } from '../ask/ask-request.js';
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
import { openAiErrorBodySchema } from './openai/openai-errors.js';
import { responseObjectSchema } from './openai/responses/response-object.js';
import { responsesRequestSchema } from './openai/responses/responses-request.js';
import { healthSchema, notReadySchema, readySchema } from './system-schemas.js';

/** Schemas the router reads, by component name. */
export const REQUEST_SCHEMAS = {
  AskRequest: askRequestSchema,
  AskMessage: askMessageSchema,
  ContextEnvelope: contextEnvelopeSchema,
  ChatCompletionsRequest: chatCompletionsRequestSchema,
  ConfirmationAnswer: confirmationAnswerSchema,
  ResponsesRequest: responsesRequestSchema,
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
  Response: responseObjectSchema,
  OpenAIErrorBody: openAiErrorBodySchema,
} as const;

export const COMPONENT_SCHEMAS = { ...REQUEST_SCHEMAS, ...RESPONSE_SCHEMAS };
export type ComponentName = keyof typeof COMPONENT_SCHEMAS;

/** The component schemas routes use by name (see named), so the document can refer to them. */
export const NAMED_SCHEMAS = new Map<z.ZodType, ComponentName>();

/**
 * A component schema as a route uses it: the same schema, remembered under its component name so
 * the generated document refers to `#/components/schemas/<name>` instead of inlining it (the
 * document tags it then: the tagging method comes with the generator, which start-up does not load).
 */
export function named<Name extends ComponentName>(name: Name): (typeof COMPONENT_SCHEMAS)[Name] {
  const schema = COMPONENT_SCHEMAS[name];
  NAMED_SCHEMAS.set(schema, name);
  return schema;
}

/** A reference to a component schema, for places that take a JSON Schema (SSE event shapes). */
export const schemaRef = (name: ComponentName) => ({ $ref: `#/components/schemas/${name}` });
