import { loadRouterConfig, type RouterConfig } from './config.js';
import type { ContextStore } from './context-store/context-store.js';
import { createContextStore } from './context-store/index.js';
import { createRouterApp } from './http/app.js';
import { createLogger, type Logger, silentLogger } from './logger.js';
import { RouterMetrics } from './metrics.js';
import { ProviderRegistry } from './provider-registry.js';
import { createProvider, isProviderConfigured, loadProvidersConfig } from './providers/index.js';
import { listen, type RunningServer } from './server.js';

export { type AskRequest, askRequestSchema } from './ask/ask-request.js';
export type { AskAnswer, AskEvent } from './ask/ask-service.js';
export { AskService } from './ask/ask-service.js';
export { loadRouterConfig, type RouterConfig, routerEnvSchema } from './config.js';
export {
  type ContextEnvelope,
  contextEnvelopeJsonSchema,
  contextEnvelopeSchema,
  userIdSchema,
} from './context/envelope.js';
export { mergeEnvelopes } from './context/merge.js';
export { buildPrompt } from './context/prompt.js';
export {
  type ContextStore,
  createContextStore,
  MemoryContextStore,
  SqliteContextStore,
} from './context-store/index.js';
export { RouterError } from './errors.js';
export { createRouterApp } from './http/app.js';
export type { RouterDeps } from './http/router-env.js';
export { createLogger, REDACT_PATHS } from './logger.js';
export { RouterMetrics } from './metrics.js';
export { ProviderRegistry } from './provider-registry.js';
export type { RunningServer } from './server.js';

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
  const providers = new ProviderRegistry({
    defaultProvider: config.LLM_PROVIDER,
    create: (name) => createProvider(name, providersConfig),
    isConfigured: (name) => isProviderConfigured(name, providersConfig),
  });
  const logger =
    options.logger === false ? silentLogger() : (options.logger ?? createLogger(config.LOG_LEVEL));
  const store = options.store ?? createContextStore(config);
  const closeOwned = async () => {
    await providers.close();
    if (!options.store) await store.close();
  };
  const app = createRouterApp({
    config,
    providers,
    store,
    logger,
    metrics: new RouterMetrics({ defaultMetrics: true }),
  });
  let server: RunningServer;
  try {
    server = await listen(app, options.host ?? config.ROUTER_HOST, options.port ?? config.ROUTER_PORT);
  } catch (error) {
    await closeOwned();
    throw error;
  }
  logger.info({ url: server.url, provider: config.LLM_PROVIDER, store: store.kind }, 'router listening');
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
