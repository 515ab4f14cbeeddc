import { OpenAPIHono } from '@hono/zod-openapi';
import {
  AccountHistory,
  AccountHistoryCreate,
  AccountHistoryPatch,
  Balance,
  BalanceCreate,
  ErrorBody,
  OCS_BASE_PATH,
  Offer,
  PatchField,
  Subscriber,
  SubscriberCreate,
  SubscriberIdResponse,
  SubscriberStateName,
  Subscription,
  SubscriptionCreate,
} from '@ocsai/contract';
import { z } from 'zod';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

interface Operation {
  method: Method;
  path: string;
  summary: string;
  description?: string;
  tag: string;
  params?: string[];
  query?: z.ZodObject;
  body?: z.ZodType;
  ok: { status: number; description: string; schema?: z.ZodType };
  errors?: Record<number, string>;
}

const json = (schema: z.ZodType) => ({ 'application/json': { schema } });

const page = z.object({
  limit: z
    .string()
    .optional()
    .describe('Page size, default 20; values below 1 become 1, above 100 become 100.'),
  offset: z.string().optional().describe('Entries to skip, default 0; negative becomes 0.'),
});

const OPERATIONS: Operation[] = [
  {
    method: 'get',
    path: '/health-check',
    summary: 'Liveness check (200, empty body)',
    tag: 'health',
    ok: { status: 200, description: 'Up' },
  },
  {
    method: 'get',
    path: '/subscribers/lookup',
    summary: 'Find a subscriber id by msisdn, else imsi, else firstName+lastName',
    description:
      'Precedence: msisdn, then imsi, then both names. One name alone or nothing → 400 (no body on the real backend); no match → 404 (no body).',
    tag: 'subscribers',
    query: z.object({
      msisdn: z.string().optional(),
      imsi: z.string().optional(),
      firstName: z.string().optional(),
      lastName: z.string().optional(),
    }),
    ok: { status: 200, description: 'Only the id', schema: SubscriberIdResponse },
    errors: { 400: 'No usable parameter', 404: 'No match' },
  },
  {
    method: 'post',
    path: '/subscribers',
    summary: 'Create a subscriber (writes one account-history entry)',
    tag: 'subscribers',
    body: SubscriberCreate,
    ok: { status: 201, description: 'Created', schema: Subscriber },
    errors: { 400: 'Invalid body', 409: 'MSISDN held by a subscriber that is not deactivated' },
  },
  {
    method: 'get',
    path: '/subscribers/{subscriberId}',
    summary: 'Get a subscriber',
    tag: 'subscribers',
    params: ['subscriberId'],
    ok: { status: 200, description: 'Found', schema: Subscriber },
    errors: { 404: 'Unknown' },
  },
  {
    method: 'patch',
    path: '/subscribers/{subscriberId}',
    summary: 'Patch a subscriber with flat field names',
    description:
      'Array of {fieldName, fieldValue}; flat names (email, billingCity, state …), state names in upper case (ACTIVE). Atomic; null values skipped; wrong JSON types ignored; unknown fields → 422.',
    tag: 'subscribers',
    params: ['subscriberId'],
    body: PatchField,
    ok: { status: 200, description: 'Updated', schema: Subscriber },
    errors: {
      400: 'Empty array or invalid value',
      404: 'Unknown',
      409: 'MSISDN taken',
      422: 'Unknown field or state name',
    },
  },
  {
    method: 'put',
    path: '/subscribers/{subscriberId}/state',
    summary: 'Set the subscriber state',
    tag: 'subscribers',
    params: ['subscriberId'],
    query: z.object({ state: SubscriberStateName }),
    ok: { status: 200, description: 'Updated', schema: Subscriber },
    errors: { 400: 'Invalid state', 404: 'Unknown' },
  },
  {
    method: 'delete',
    path: '/subscribers/{subscriberId}',
    summary: 'Delete a subscriber with its subscriptions and balances (history is kept)',
    tag: 'subscribers',
    params: ['subscriberId'],
    ok: { status: 204, description: 'Deleted' },
    errors: { 404: 'Unknown' },
  },
  {
    method: 'get',
    path: '/subscribers/{subscriberId}/subscriptions',
    summary: 'List subscriptions of a subscriber',
    tag: 'subscriptions',
    params: ['subscriberId'],
    ok: { status: 200, description: 'List', schema: z.array(Subscription) },
    errors: { 404: 'Unknown subscriber' },
  },
  {
    method: 'post',
    path: '/subscribers/{subscriberId}/subscriptions',
    summary: 'Create a subscription for a subscriber',
    tag: 'subscriptions',
    params: ['subscriberId'],
    body: SubscriptionCreate,
    ok: { status: 201, description: 'Created', schema: Subscription },
    errors: { 400: 'Invalid body', 404: 'Unknown subscriber' },
  },
  {
    method: 'post',
    path: '/subscriptions',
    summary: 'Create a subscription; owner from body subscriberId',
    tag: 'subscriptions',
    body: SubscriptionCreate,
    ok: { status: 201, description: 'Created', schema: Subscription },
    errors: {
      400: 'subscriberId missing (no body on the real backend) or invalid body',
      404: 'Unknown subscriber',
    },
  },
  {
    method: 'get',
    path: '/subscriptions/{subscriptionId}',
    summary: 'Get a subscription',
    tag: 'subscriptions',
    params: ['subscriptionId'],
    ok: { status: 200, description: 'Found', schema: Subscription },
    errors: { 404: 'Unknown' },
  },
  {
    method: 'patch',
    path: '/subscriptions/{subscriptionId}',
    summary: 'Patch a subscription (state only via actions)',
    tag: 'subscriptions',
    params: ['subscriptionId'],
    body: PatchField,
    ok: { status: 200, description: 'Updated', schema: Subscription },
    errors: { 400: 'Empty array', 404: 'Unknown', 422: 'Unknown field or bad value' },
  },
  {
    method: 'delete',
    path: '/subscriptions/{subscriptionId}',
    summary: 'Delete a subscription and its balances',
    tag: 'subscriptions',
    params: ['subscriptionId'],
    ok: { status: 204, description: 'Deleted' },
    errors: { 404: 'Unknown' },
  },
  ...(['activate', 'suspend', 'cancel', 'renew'] as const).map(
    (action): Operation => ({
      method: 'post',
      path: `/subscriptions/{subscriptionId}/${action}`,
      summary: `${action[0]!.toUpperCase()}${action.slice(1)} a subscription`,
      description:
        'activate: PENDING|SUSPENDED→ACTIVE; suspend: ACTIVE→SUSPENDED; cancel: ACTIVE|SUSPENDED→CANCELLED; renew: ACTIVE→ACTIVE, or EXPIRED when maxRecurringCycles is reached. Writes an account-history entry.',
      tag: 'subscriptions',
      params: ['subscriptionId'],
      ok: { status: 200, description: 'Transitioned', schema: Subscription },
      errors: { 400: 'Not allowed from the current state (no body on the real backend)', 404: 'Unknown' },
    }),
  ),
  {
    method: 'post',
    path: '/subscriptions/{subscriptionId}/balances',
    summary: 'Add a balance',
    tag: 'balances',
    params: ['subscriptionId'],
    body: BalanceCreate,
    ok: { status: 201, description: 'Created', schema: Balance },
    errors: { 400: 'Invalid body', 404: 'Unknown subscription' },
  },
  {
    method: 'get',
    path: '/subscriptions/{subscriptionId}/balances',
    summary: 'List balances ([] for an unknown subscription)',
    tag: 'balances',
    params: ['subscriptionId'],
    ok: { status: 200, description: 'List', schema: z.array(Balance) },
  },
  {
    method: 'delete',
    path: '/subscriptions/{subscriptionId}/balances',
    summary: 'Delete all balances of a subscription',
    tag: 'balances',
    params: ['subscriptionId'],
    ok: { status: 204, description: 'Deleted' },
  },
  {
    method: 'post',
    path: '/accountHistory',
    summary: 'Record an interaction',
    tag: 'accountHistory',
    body: AccountHistoryCreate,
    ok: { status: 201, description: 'Created', schema: AccountHistory },
    errors: { 400: 'entityId/entityType missing', 409: 'Duplicate interactionId' },
  },
  {
    method: 'get',
    path: '/accountHistory',
    summary: 'List history of an entity (v1.1 spelling)',
    tag: 'accountHistory',
    query: page.extend({ entityId: z.string() }),
    ok: { status: 200, description: 'Newest first', schema: z.array(AccountHistory) },
  },
  {
    method: 'get',
    path: '/accountHistory/entityId/{entityId}',
    summary: 'List history of an entity, newest first',
    description:
      'Ordered by interactionDate.startDateTime descending, insertion order breaking ties; non-numeric limit/offset → 500 on the real backend.',
    tag: 'accountHistory',
    params: ['entityId'],
    query: page,
    ok: { status: 200, description: 'Newest first', schema: z.array(AccountHistory) },
  },
  {
    method: 'get',
    path: '/accountHistory/{interactionId}',
    summary: 'Get a history entry',
    tag: 'accountHistory',
    params: ['interactionId'],
    ok: { status: 200, description: 'Found', schema: AccountHistory },
    errors: { 404: 'Unknown (no body on the real backend)' },
  },
  {
    method: 'patch',
    path: '/accountHistory/{interactionId}',
    summary: 'Update a history entry with a plain JSON object (not a PatchField array)',
    tag: 'accountHistory',
    params: ['interactionId'],
    body: AccountHistoryPatch,
    ok: { status: 200, description: 'Updated', schema: AccountHistory },
    errors: { 400: 'Array or invalid body', 404: 'Unknown' },
  },
  {
    method: 'delete',
    path: '/accountHistory/{interactionId}',
    summary: 'Delete a history entry',
    tag: 'accountHistory',
    params: ['interactionId'],
    ok: { status: 204, description: 'Deleted' },
    errors: { 404: 'Unknown' },
  },
  {
    method: 'get',
    path: '/offers',
    summary: 'Offer catalogue (emulator only)',
    tag: 'offers',
    ok: { status: 200, description: 'Offers', schema: z.array(Offer) },
  },
  {
    method: 'get',
    path: '/offers/{offerId}',
    summary: 'One catalogue offer (emulator only)',
    tag: 'offers',
    params: ['offerId'],
    ok: { status: 200, description: 'Offer', schema: Offer },
    errors: { 404: 'Unknown' },
  },
];

/** The emulator's OpenAPI 3.0 document, generated from the contract's zod schemas. */
export function buildOpenApiDocument(): Record<string, unknown> {
  const app = new OpenAPIHono();
  const registry = app.openAPIRegistry;
  registry.registerComponent('securitySchemes', 'apiKey', {
    type: 'apiKey',
    in: 'header',
    name: 'X-API-Key',
  });
  for (const op of OPERATIONS) {
    const responses: Record<string, { description: string; content?: ReturnType<typeof json> }> = {
      [op.ok.status]: {
        description: op.ok.description,
        ...(op.ok.schema ? { content: json(op.ok.schema) } : {}),
      },
    };
    for (const [status, description] of Object.entries(op.errors ?? {})) {
      responses[status] = {
        description: `${description} — Spring-style error body`,
        content: json(ErrorBody),
      };
    }
    registry.registerPath({
      method: op.method,
      path: op.path,
      summary: op.summary,
      ...(op.description ? { description: op.description } : {}),
      tags: [op.tag],
      request: {
        headers: z.object({ 'X-Transaction-ID': z.string().optional() }),
        ...(op.params ? { params: z.object(Object.fromEntries(op.params.map((p) => [p, z.string()]))) } : {}),
        ...(op.query ? { query: op.query } : {}),
        ...(op.body ? { body: { content: json(op.body), required: true } } : {}),
      },
      responses,
    });
  }
  return app.getOpenAPIDocument({
    openapi: '3.0.3',
    info: {
      title: 'OCS provisioning API (emulator)',
      version: '1.1',
      description:
        'Behaviour of the real backend: Spring-style error bodies {timestamp,status,error,message,path,details}; many 4xx without a body in strict fidelity; X-Transaction-ID echoed or generated on every response; a POST repeating a client X-Transaction-ID within 24 h replays the first response.',
    },
    servers: [{ url: OCS_BASE_PATH }],
  }) as unknown as Record<string, unknown>;
}
