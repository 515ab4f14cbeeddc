import type { RouteConfig, RouteHandler } from '@hono/zod-openapi';
import { zValidator } from '@hono/zod-validator';
import type { Env, Hono, MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { z } from 'zod';

// The same recorder as the emulator's http/api-routes.ts (the router may not import the emulator):
// routes are declared as `@hono/zod-openapi` takes them, served by a plain Hono app, and kept so
// that GET /openapi.json generates the document from exactly the routes served. Only types come
// from `@hono/zod-openapi`: its value side loads the document generator, which start-up does not
// need (about 0.2 s of CPU).

/**
 * `createRoute` of `@hono/zod-openapi`, which returns its argument: the declaration, typed so that
 * handlers know their path parameters and validated inputs.
 */
export function createRoute<P extends string, R extends Omit<RouteConfig, 'path'> & { path: P }>(
  config: R,
): R {
  return config;
}

/** A failed validation, as `OpenAPIHono`'s defaultHook receives it. */
export type ValidationHook = (result: { success: false; error: z.ZodError }) => void;
type Hook = (result: { success: boolean; error?: unknown }) => void;

/**
 * How each request part is parsed: synchronously first, since zod's compiled object parser (its
 * JIT "fastpass") only runs in a synchronous parse, and `@hono/zod-validator`'s default
 * `safeParseAsync` always takes the interpreted path (about four times the CPU on the Chat
 * Completions body). A schema with an async refinement or transform makes the sync parse throw
 * `$ZodAsyncError`; that one is parsed again asynchronously, so every schema gets the same result.
 */
const OPTIONS = {
  validationFunction: (schema: z.ZodType, value: unknown) => {
    try {
      return schema.safeParse(value);
    } catch (error) {
      if (error instanceof z.core.$ZodAsyncError) return schema.safeParseAsync(value);
      throw error;
    }
  },
};

type Validated = 'query' | 'param' | 'header' | 'cookie';
const VALIDATED: readonly [Validated, keyof NonNullable<RouteConfig['request']>][] = [
  ['query', 'query'],
  ['param', 'params'],
  ['header', 'headers'],
  ['cookie', 'cookies'],
];

/**
 * `app.openapi(route, handler)` as in `OpenAPIHono`, on a plain Hono app: the route's middleware,
 * then the validators `OpenAPIHono` would add (query, params, headers, cookies, then the JSON
 * body behind its media-type gate), then the handler. A failed validation goes to `onInvalid`, as
 * to `OpenAPIHono`'s defaultHook.
 */
export class ApiRoutes<E extends Env> {
  readonly declared: RouteConfig[] = [];

  constructor(
    readonly app: Hono<E>,
    private readonly onInvalid: ValidationHook,
  ) {}

  openapi<R extends RouteConfig>(config: R, handler: RouteHandler<R, E>): void {
    const { middleware, ...route } = config;
    this.declared.push(route);
    const hook: Hook = (result) => {
      if (!result.success) this.onInvalid({ success: false, error: result.error as z.ZodError });
    };
    const validators: MiddlewareHandler[] = [];
    for (const [target, part] of VALIDATED) {
      const schema = route.request?.[part] as z.ZodType | undefined;
      if (!schema) continue;
      validators.push(
        target === 'header'
          ? headerValidator(schema, hook)
          : (zValidator(target, schema as never, hook as never, OPTIONS as never) as MiddlewareHandler),
      );
    }
    validators.push(...bodyValidators(route, hook));
    const before = middleware ? (Array.isArray(middleware) ? middleware : [middleware]) : [];
    const handlers = [...before, ...validators, handler] as unknown as [MiddlewareHandler<E>];
    this.app.on(route.method.toUpperCase(), route.path.replaceAll(/\/{(.+?)}/g, '/:$1'), ...handlers);
  }
}

/**
 * The headers' validator. A plain (stripping) object schema keeps only its own keys, so only those
 * are read, one by one, as `zValidator('header')` hands them (names lower-cased, then mapped to the
 * schema's keys): reading them all (`c.req.header()`) makes @hono/node-server build a WHATWG
 * Headers object from the raw headers on every request. A strict or catch-all schema, which must
 * see every header, gets `zValidator` itself.
 */
function headerValidator(schema: z.ZodType, hook: Hook): MiddlewareHandler {
  const stripping = schema instanceof z.ZodObject && schema._zod.def.catchall === undefined;
  if (!stripping)
    return zValidator('header', schema as never, hook as never, OPTIONS as never) as MiddlewareHandler;
  const names = Object.keys(schema.shape).map((key) => [key, key.toLowerCase()] as const);
  return async (c, next) => {
    const value: Record<string, string> = {};
    for (const [key, lower] of names) {
      const header = c.req.header(lower);
      if (header !== undefined) value[key] = header;
    }
    // Awaited only when the schema needed an async parse: awaiting a plain value still costs a
    // promise and a microtask turn on every request.
    const parsed = OPTIONS.validationFunction(schema, value);
    const result = parsed instanceof Promise ? await parsed : parsed;
    hook(result);
    if (!result.success) return c.json(result, 400);
    c.req.addValidatedData('header', result.data as Record<string, unknown>);
    await next();
  };
}

/** The JSON body's validators, as `OpenAPIHono` adds them (the router declares JSON bodies only). */
function bodyValidators(route: RouteConfig, hook: Hook): MiddlewareHandler[] {
  const body = route.request?.body;
  const content = body?.content as Record<string, { schema?: unknown } | undefined> | undefined;
  if (!content) return [];
  const declared = Object.keys(content);
  const validated = declared.filter((mediaType) => isZod(content[mediaType]?.schema) && isJson(mediaType));
  if (declared.some((mediaType) => isForm(mediaType) && isZod(content[mediaType]?.schema)))
    throw new Error(`${route.method} ${route.path}: form bodies are not supported`);
  if (!validated.length) return [];
  const gate: MiddlewareHandler = async (c, next) => {
    const contentType = c.req.header('content-type');
    if (contentType) {
      if (!declared.some((mediaType) => matchesMediaType(contentType, mediaType)))
        throw new HTTPException(415, { message: 'Unsupported Media Type' });
    } else if (await hasRequestBody(c.req.raw, () => c.req.arrayBuffer()))
      throw new HTTPException(415, { message: 'Unsupported Media Type' });
    await next();
  };
  const validators: MiddlewareHandler[] = [gate];
  for (const mediaType of validated) {
    const validator = zValidator(
      'json',
      content[mediaType]?.schema as z.ZodType,
      hook as never,
      OPTIONS as never,
    ) as MiddlewareHandler;
    if (body?.required) validators.push(validator);
    else
      validators.push(async (c, next) => {
        const contentType = c.req.header('content-type');
        if (contentType && isJson(contentType)) return validator(c, next);
        c.req.addValidatedData('json', {});
        await next();
      });
  }
  return validators;
}

function isZod(value: unknown): value is z.ZodType {
  return (
    typeof value === 'object' &&
    value !== null &&
    ['parse', 'safeParse', 'parseAsync', 'safeParseAsync'].every(
      (method) => typeof (value as Record<string, unknown>)[method] === 'function',
    )
  );
}

const isJson = (contentType: string) => /^application\/([a-z-.]+\+)?json/i.test(contentType);
const isForm = (contentType: string) =>
  /^(multipart\/form-data|application\/x-www-form-urlencoded)/i.test(contentType);
const JSON_REQUEST = /^application\/([a-z-.]+\+)?json(;\s*[a-zA-Z0-9-]+=([^;]+))*$/i;

function matchesMediaType(contentType: string, mediaType: string): boolean {
  if (mediaType === '*/*') return true;
  if (isJson(mediaType)) return JSON_REQUEST.test(contentType);
  const essence = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  if (mediaType.endsWith('/*')) return essence.startsWith(mediaType.slice(0, -1).toLowerCase());
  return essence === mediaType.toLowerCase();
}

async function hasRequestBody(raw: Request, read: () => Promise<ArrayBuffer>): Promise<boolean> {
  if (raw.body === null) return false;
  if (raw.bodyUsed) return (await read()).byteLength > 0;
  const body = raw.clone().body;
  if (body === null) return false;
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return false;
      if (value.byteLength > 0) return true;
    }
  } finally {
    reader.cancel().catch(() => {});
  }
}
