import cluster from 'node:cluster';
import { startTracing } from '@ocsai/telemetry';
import { createAdmission, createCredentials, LOCAL_PRINCIPAL } from './admission/admission.js';
import { assertAuthForHost } from './admission/api-keys.js';
import { MemoryRateLimiter } from './admission/memory-rate-limiter.js';
import { loadKeysFileParser } from './admission/principal.js';
import { RedisRateLimiter } from './admission/redis-rate-limiter.js';
import { AuditTrail, SecretRedactor, secretsFromEnv } from './audit/audit-trail.js';
import { auditFileForProcess, WORKER_SLOT_VARIABLE, workerCount } from './cluster-env.js';
import { loadRouterConfig, type RouterConfig } from './config.js';
import { createRouterApp } from './http/app.js';
import { createLogger, type Logger, silentLogger } from './logger.js';
import { RouterMetrics } from './metrics.js';
import {
  createProvider,
  enabledProviders,
  isProviderConfigured,
  loadProvidersConfig,
} from './providers/catalogue.js';
import { ProviderRegistry } from './providers/registry.js';
import type { ProviderName } from './providers/types.js';
import { ResilientProviders } from './resilience/resilient-adapter.js';
import { listen, type RunningServer } from './server.js';
import type { ContextStore } from './stores/context/context-store.js';
import { createContextStore } from './stores/context/index.js';
import { createResponseStore } from './stores/responses/index.js';
import { createRouterTools, type RouterTools } from './tool-loop/router-tools.js';
import { ROUTER_VERSION } from './version.js';

export {
  type Admission,
  ApiKeyVerifier,
  createAdmission,
  hashApiKey,
  MemoryRateLimiter,
  RedisRateLimiter,
} from './admission/index.js';
export { type AskRequest, askRequestSchema } from './ask/ask-request.js';
export type { AskAnswer, AskEvent } from './ask/ask-service.js';
export { AskService } from './ask/ask-service.js';
export { loadRouterConfig, type RouterConfig, routerEnvSchema } from './config.js';
export {
  type ContextEnvelope,
  contextEnvelopeJsonSchema,
  contextEnvelopeSchema,
  userIdSchema,
} from './context-envelope/envelope.js';
export { mergeEnvelopes } from './context-envelope/merge.js';
export { buildPrompt } from './context-envelope/prompt.js';
export { RouterError } from './errors.js';
export { admissionMiddlewares, OPEN_PATHS } from './http/admission.js';
export { createRouterApp } from './http/app.js';
export { routerOpenApiDocument } from './http/openapi-document.js';
export type { RouterDeps } from './http/router-env.js';
export { createLogger, REDACT_PATHS } from './logger.js';
export {
  loadMcpConfig,
  type McpConfig,
  McpConfigError,
  McpServerSet,
  parseMcpConfig,
} from './mcp/index.js';
export { RouterMetrics } from './metrics.js';
export { ProviderRegistry } from './providers/registry.js';
export { type AnsweredBy, answeredBy, CircuitBreaker, ResilientProviders } from './resilience/index.js';
export type { RunningServer } from './server.js';
export {
  type ContextStore,
  createContextStore,
  MemoryContextStore,
  type RedisContextStore,
  SqliteContextStore,
} from './stores/context/index.js';
export {
  type ConfirmationView,
  createRouterTools,
  type ExecutedToolCall,
  type PendingConfirmationStore,
  type RouterTools,
  ToolLoop,
} from './tool-loop/index.js';

export interface StartRouterOptions {
  /** Environment to read configuration from; process.env when absent. */
  env?: Record<string, string | undefined>;
  /** Overrides ROUTER_HOST. */
  host?: string;
  /** Overrides ROUTER_PORT (0 = a free port). */
  port?: number;
  /** A pino logger, or false for none; a JSON logger at LOG_LEVEL on stdout when absent. */
  logger?: Logger | false;
  /** A context store owned by the caller (not closed by close()); ROUTER_STORE decides when absent. */
  store?: ContextStore;
}

/** Starts the router HTTP service. Configuration is read and validated once; bad values throw. */
export async function startRouter(
  options: StartRouterOptions = {},
): Promise<RunningServer & { config: RouterConfig }> {
  const env = options.env ?? process.env;
  const config = loadRouterConfig(env);
  const providersConfig = loadProvidersConfig(env);
  const host = options.host ?? config.ROUTER_HOST;
  await loadKeysFileParser(config.ROUTER_KEYS_FILE);
  const credentials = createCredentials(
    config,
    enabledProviders(env, providersConfig, [
      config.LLM_PROVIDER,
      ...config.LLM_FALLBACKS.map((target) => target.provider),
    ]),
  );
  assertAuthForHost(host, credentials);
  // The config check covers ROUTER_RATE_LIMIT_*; a keys file's own rate_limits need the same shared counter.
  if (
    workerCount(config.ROUTER_WORKERS) > 1 &&
    !config.REDIS_URL &&
    credentials.keys.principals.some((p) => p.rateLimits.rpm !== undefined || p.rateLimits.tpm !== undefined)
  ) {
    throw new Error(
      'ROUTER_WORKERS: above 1 with rate_limits in ROUTER_KEYS_FILE needs REDIS_URL (each worker would count on its own)',
    );
  }
  const logger =
    options.logger === false ? silentLogger() : (options.logger ?? createLogger(config.LOG_LEVEL));
  if (credentials.local) {
    logger.warn(
      { principal: LOCAL_PRINCIPAL, roles: config.ROUTER_DEFAULT_ROLES },
      'no credentials configured (ROUTER_KEYS_FILE, ROUTER_API_KEYS, ROUTER_OIDC_ISSUER): every caller on this loopback address acts as principal "local" for every user id',
    );
  }
  const redactor = new SecretRedactor(secretsFromEnv(env));
  // Audit lines go out at info whatever LOG_LEVEL says: a quieter log must not drop them.
  const auditLogger =
    options.logger === false ? logger : logger.child({ component: 'audit' }, { level: 'info' });
  const audit = new AuditTrail({
    redactor,
    ...(config.ROUTER_AUDIT_FILE
      ? {
          file: auditFileForProcess(
            config.ROUTER_AUDIT_FILE,
            cluster.isWorker ? env[WORKER_SLOT_VARIABLE] : undefined,
          ),
        }
      : {}),
    ...(config.ROUTER_AUDIT_LOG
      ? { sink: (line: string) => auditLogger.info({ audit: JSON.parse(line) as unknown }, 'audit') }
      : {}),
  });
  const isConfigured = (name: ProviderName) => isProviderConfigured(name, providersConfig);
  // prom-client is loaded by the first measurement or /metrics, after the first answer (metrics.ts).
  const metrics: RouterMetrics = new RouterMetrics({
    defaultMetrics: true,
    // A cluster worker answers /metrics with the aggregate over every worker, and the primary's
    // collections with its own metrics.
    ...(cluster.isWorker
      ? { aggregate: (await import('./cluster.js')).clusterMetricsSource(() => metrics.snapshot()) }
      : {}),
  });
  // Retries, fallbacks and breakers sit between the registry and the plain adapters.
  const resilience = new ResilientProviders({
    config,
    createAdapter: (name) => createProvider(name, providersConfig),
    isConfigured,
    logger,
    genAi: metrics.genAi,
    redactor,
    env,
  });
  const providers = new ProviderRegistry({
    defaultProvider: config.LLM_PROVIDER,
    create: (name) => resilience.create(name),
    isConfigured,
  });
  // One Redis connection serves the shared rate limits and the redis context store. ioredis is
  // loaded only when REDIS_URL is set: it costs ~0.3 s of start-up otherwise.
  const redis = config.REDIS_URL
    ? (await import('./stores/context/redis.js')).connectRedis(config.REDIS_URL, {
        commandTimeoutMs: config.REDIS_COMMAND_TIMEOUT_MS,
        logger,
      })
    : undefined;
  // Built once, with the limiter that fits: counters shared through Redis when there is one.
  const admission = createAdmission(config, {
    credentials,
    limiter: redis ? new RedisRateLimiter(redis) : new MemoryRateLimiter(),
  });
  const store = options.store ?? (await createContextStore(config, redis));
  const responses = createResponseStore(config, redis);
  // MCP servers (mcp.json) connect lazily, on the first /ask that needs their tools.
  let tools: RouterTools;
  try {
    tools = createRouterTools(env, config, {
      logger: logger.child({ component: 'mcp' }),
      audit,
      ...(redis ? { redis } : {}),
      redactor,
    });
  } catch (error) {
    audit.close();
    if (!options.store) await store.close();
    await responses.close();
    if (redis) redis.disconnect();
    throw error;
  }
  // Off (and no SDK module loaded) unless OTEL_EXPORTER_OTLP_ENDPOINT is set; a bad OTEL_* value throws here.
  let tracing: Awaited<ReturnType<typeof startTracing>>;
  try {
    tracing = await startTracing({ serviceName: 'ocs-router', serviceVersion: ROUTER_VERSION, env });
  } catch (error) {
    await tools.close();
    audit.close();
    if (!options.store) await store.close();
    await responses.close();
    if (redis) redis.disconnect();
    throw error;
  }
  const closeOwned = async () => {
    await tools.close();
    await providers.close();
    await resilience.close();
    if (!options.store) await store.close();
    await responses.close();
    await admission.limiter.close();
    if (redis) await redis.quit().catch(() => redis.disconnect());
    audit.close();
    await tracing.shutdown();
  };
  const app = createRouterApp({
    config,
    providers,
    store,
    responses,
    logger,
    metrics,
    admission,
    audit,
    tools: tools.loop,
  });
  let server: RunningServer;
  try {
    server = await listen(app, host, options.port ?? config.ROUTER_PORT);
  } catch (error) {
    await closeOwned();
    throw error;
  }
  logger.info(
    {
      url: server.url,
      provider: config.LLM_PROVIDER,
      store: store.kind,
      mcp_servers: tools.servers.serverNames,
    },
    'router listening',
  );
  return {
    url: server.url,
    port: server.port,
    config,
    async close() {
      await server.close();
      await closeOwned();
    },
  };
}
