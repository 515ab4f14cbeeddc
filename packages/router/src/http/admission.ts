import type { MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import type { Admission } from '../admission/admission.js';
import { meterTokens } from '../admission/token-meter.js';
import { RouterError } from '../errors.js';
import { errorResponse } from './error-response.js';
import type { RouterEnv } from './router-env.js';

/** Probes for orchestrators and scrapers: no key needed (they reveal no user data). */
export const OPEN_PATHS: ReadonlySet<string> = new Set(['/health', '/ready', '/metrics', '/openapi.json']);

/** The console's static files are public: the page itself asks for an API key before it calls the API. */
export function isConsoleAsset(path: string): boolean {
  return path === '/console' || path.startsWith('/console/');
}

/** Routes whose answers carry LLM token usage that counts against ROUTER_RATE_LIMIT_TPM. */
const METERED_PATHS = new Set(['/ask', '/v1/chat/completions', '/v1/responses', '/v1/messages']);

/**
 * The key a caller presents: `Authorization: Bearer <key>` or `x-api-key: <key>` (what the Anthropic
 * SDKs and Claude Code send). Two different credentials in one request are refused rather than one
 * picked: `null` means "they disagree".
 */
function presentedKey(
  authorization: string | undefined,
  apiKey: string | undefined,
): string | undefined | null {
  let bearer: string | undefined;
  if (authorization) {
    const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization);
    if (match?.[1]) bearer = match[1];
  }
  const key = apiKey?.trim() || undefined;
  if (bearer !== undefined && key !== undefined && bearer !== key) return null;
  return bearer ?? key;
}

/** CORS (only when origins are configured), then API-key auth, then per-key rate limits. */
export function admissionMiddlewares(admission: Admission): MiddlewareHandler<RouterEnv>[] {
  const middlewares: MiddlewareHandler<RouterEnv>[] = [];
  if (admission.corsOrigins.length) {
    middlewares.push(
      cors({
        origin: admission.corsOrigins,
        allowMethods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
        allowHeaders: ['authorization', 'x-api-key', 'content-type', 'x-request-id', 'x-router-tools'],
        exposeHeaders: ['x-request-id', 'x-router-overhead-ms', 'retry-after'],
        maxAge: 600,
      }) as MiddlewareHandler<RouterEnv>,
    );
  }
  const { credentials, limiter } = admission;
  middlewares.push(async (c, next) => {
    if (OPEN_PATHS.has(c.req.path) || isConsoleAsset(c.req.path)) return next();
    let principal = credentials.local;
    if (!principal) {
      const key = presentedKey(c.req.header('authorization'), c.req.header('x-api-key'));
      const verified = key === undefined || key === null ? undefined : await credentials.resolve(key);
      if (!verified) {
        c.header('www-authenticate', 'Bearer realm="ocs-router"');
        return errorResponse(
          c,
          new RouterError(
            401,
            'unauthorized',
            key === undefined
              ? 'API key required: send Authorization: Bearer <key> or x-api-key'
              : key === null
                ? 'Authorization and x-api-key carry different credentials; send one'
                : 'Credential not recognised (unknown API key, or an invalid, expired or foreign token)',
          ),
        );
      }
      principal = verified;
    }
    c.set('principal', principal);
    const keyId = principal.id;
    const limits = {
      rpm: principal.rateLimits.rpm ?? admission.limits.rpm,
      tpm: principal.rateLimits.tpm ?? admission.limits.tpm,
    };
    if (limits.rpm > 0 || limits.tpm > 0) {
      const verdict = await limiter.admit(keyId, limits);
      if (!verdict.ok) {
        const limit = verdict.limit === 'requests' ? 'ROUTER_RATE_LIMIT_RPM' : 'ROUTER_RATE_LIMIT_TPM';
        return errorResponse(
          c,
          new RouterError(
            429,
            'rate_limited',
            `Rate limit reached for principal ${principal.id} (${principal.rateLimits.rpm !== undefined || principal.rateLimits.tpm !== undefined ? 'its rate_limits' : limit}); retry later`,
            {
              retryAfterSeconds: Math.max(1, Math.ceil(verdict.retryAfterMs / 1000)),
            },
          ),
        );
      }
    }
    await next();
    if (limits.tpm > 0 && METERED_PATHS.has(c.req.path) && c.res.ok && c.res.body) {
      const response = c.res;
      const body = meterTokens(response.body as ReadableStream<Uint8Array>, (tokens) => {
        void limiter.charge(keyId, tokens).catch(() => {});
      });
      c.res = new Response(body, {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
      });
    }
  });
  return middlewares;
}
