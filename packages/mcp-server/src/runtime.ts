import { type LoadedCatalogue, loadOfferCatalogue, type Offer } from '@ocsai/contract';
import type { Logger } from 'pino';
import type { McpConfig } from './config.js';
import { serverInstructions } from './instructions.js';
import { createLogger } from './logger.js';
import { OcsHttp } from './ocs/ocs-http.js';
import { ProvisioningApi } from './ocs/provisioning-api.js';
import { ALL_TOOLS } from './tools/all-tools.js';
import { ConfirmationTokens } from './tools/confirmation.js';
import type { ToolDefinition } from './tools/tool-definition.js';

/**
 * Everything a server instance needs that is built once per process (per config object): the
 * OCS connection pool, the offer catalogue, the confirmation key and used-set, the filtered tool
 * list. The per-request McpServer factory only registers these.
 */
export interface Runtime {
  config: McpConfig;
  logger: Logger;
  http: OcsHttp;
  api: ProvisioningApi;
  catalogue: LoadedCatalogue;
  offersById: Map<string, Offer>;
  confirmations: ConfirmationTokens;
  /** Tools visible under this config, in the deterministic catalogue order. */
  tools: ToolDefinition[];
  /** Server instructions for this config (read-only mode changes them). */
  instructions: string;
}

const runtimes = new WeakMap<McpConfig, Runtime>();

/** Tools this config exposes: toolset filter, then read-only filter (which wins over everything). */
export function visibleTools(config: McpConfig): ToolDefinition[] {
  return ALL_TOOLS.filter((t) => config.toolsets.includes(t.toolset) && !(config.readOnly && t.writes));
}

export function getRuntime(config: McpConfig, logger?: Logger): Runtime {
  const existing = runtimes.get(config);
  if (existing) return existing;
  const log = logger ?? createLogger(config.logLevel);
  const http = new OcsHttp({
    baseUrl: config.ocsApiUrl,
    apiKey: config.ocsApiKey,
    timeoutMs: config.ocsApiTimeoutMs,
    logger: log,
  });
  const catalogue = loadOfferCatalogue(config.offersFile);
  for (const c of catalogue.corrections) log.debug({ correction: c }, 'offer catalogue corrected on load');
  const runtime: Runtime = {
    config,
    logger: log,
    http,
    api: new ProvisioningApi(http),
    catalogue,
    offersById: new Map(catalogue.offers.map((o) => [o.offerId, o])),
    confirmations: new ConfirmationTokens(config.confirmationSecret),
    tools: visibleTools(config),
    instructions: serverInstructions(config),
  };
  runtimes.set(config, runtime);
  return runtime;
}

/** Closes the OCS pool of a config's runtime (tests, shutdown). */
export async function closeRuntime(config: McpConfig): Promise<void> {
  const r = runtimes.get(config);
  if (!r) return;
  runtimes.delete(config);
  await r.http.close();
}
