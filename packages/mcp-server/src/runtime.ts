import {
  AuditLog,
  type LoadedCatalogue,
  loadOfferCatalogue,
  type Offer,
  SecretRedactor,
} from '@ocsai/contract';
import type { Logger } from 'pino';
import { type LoadedStaticTokens, loadStaticTokens } from './auth/static-tokens.js';
import type { CancelSignal } from './cancellation.js';
import type { McpConfig } from './config.js';
import { serverInstructions } from './instructions.js';
import { createLogger } from './logger.js';
import { ServerMetrics } from './observability/server-metrics.js';
import { OcsHttp } from './ocs/ocs-http.js';
import { ProvisioningApi } from './ocs/provisioning-api.js';
import { LazyStateStore, type StateStoreChoice } from './state/lazy-state-store.js';
import { ConfirmationTokens } from './tool-kit/confirmation.js';
import type { ToolDefinition } from './tool-kit/define-tool.js';
import type { OfferBook, ToolContext } from './tool-kit/tool-context.js';
import { TransactionLedger } from './tool-kit/transaction-ledger.js';
import { ALL_TOOLS } from './tools/index.js';

/**
 * Everything a server instance needs that is built once per process (per config object): the
 * OCS connection pool, the offer catalogue, the confirmation key, the shared state (used tokens,
 * transaction ledger), the secret redactor, the audit log, the filtered tool list. The
 * per-request McpServer factory only registers these.
 */
export interface Runtime {
  config: McpConfig;
  logger: Logger;
  http: OcsHttp;
  offers: OfferBook;
  confirmations: ConfirmationTokens;
  state: LazyStateStore;
  ledger: TransactionLedger;
  /** Redacts every secret the server was given from tool results, errors, logs and audit records. */
  redactor: SecretRedactor;
  audit: AuditLog;
  /** Prometheus metrics; loaded (and served at /metrics) by the HTTP server only. */
  metrics: ServerMetrics;
  staticTokens: LoadedStaticTokens;
  /** Tools visible under this config, in the deterministic catalogue order. */
  tools: ToolDefinition[];
  /** Server instructions for this config (read-only mode changes them). */
  instructions: string;
  /** What one tool call may use: the OCS calls bound to its transaction id and cancellation, the offers. */
  toolContext(transactionId: string, signal: CancelSignal | undefined): ToolContext;
}

function offerBook(catalogue: LoadedCatalogue): OfferBook {
  const byId = new Map<string, Offer>(catalogue.offers.map((o) => [o.offerId, o]));
  return { all: catalogue.offers, get: (id) => byId.get(id), ids: [...byId.keys()] };
}

const runtimes = new WeakMap<McpConfig, Runtime>();

/** Tools this config exposes: toolset filter, then read-only filter (which wins over everything). */
export function visibleTools(config: McpConfig): ToolDefinition[] {
  return ALL_TOOLS.filter((t) => config.toolsets.includes(t.toolset) && !(config.readOnly && t.writes));
}

export const DEFAULT_STATE_FILE = './data/ocs-mcp-state.sqlite';

/**
 * Redis when configured (every instance shares it); else a SQLite file when the confirmation
 * secret is configured (its tokens outlive the process and may be shared) or a file is named;
 * else memory (a random per-process secret makes every token die with the process anyway).
 */
export function stateStoreChoice(config: McpConfig): StateStoreChoice {
  if (config.redisUrl) return { kind: 'redis', url: config.redisUrl };
  const file = config.stateFile ?? (config.confirmationSecretShared ? DEFAULT_STATE_FILE : undefined);
  if (file === undefined || file === ':memory:')
    return { kind: 'memory', maxEntries: config.stateMemoryMaxEntries };
  return { kind: 'sqlite', file };
}

export function getRuntime(config: McpConfig, logger?: Logger): Runtime {
  const existing = runtimes.get(config);
  if (existing) return existing;
  const staticTokens = loadStaticTokens(config);
  const redactor = new SecretRedactor([config.ocsApiKey, config.confirmationSecret, ...staticTokens.secrets]);
  const log = logger ?? createLogger(config.logLevel, redactor);
  const metrics = new ServerMetrics();
  const http = new OcsHttp({
    metrics,
    baseUrl: config.ocsApiUrl,
    apiKey: config.ocsApiKey,
    timeoutMs: config.ocsApiTimeoutMs,
    logger: log,
    backendDeduplicates: config.backendDeduplicates,
  });
  const catalogue = loadOfferCatalogue(config.offersFile);
  for (const c of catalogue.corrections) log.debug({ correction: c }, 'offer catalogue corrected on load');
  const offers = offerBook(catalogue);
  const state = new LazyStateStore(stateStoreChoice(config));
  const audit = new AuditLog({
    service: 'ocs-mcp',
    ...(config.auditFile ? { file: config.auditFile } : {}),
    redactor,
  });
  const runtime: Runtime = {
    config,
    logger: log,
    http,
    offers,
    confirmations: new ConfirmationTokens(config.confirmationSecret, state),
    state,
    ledger: new TransactionLedger(state),
    redactor,
    audit,
    metrics,
    staticTokens,
    tools: visibleTools(config),
    instructions: serverInstructions(config),
    toolContext: (transactionId, signal) => ({
      ocs: new ProvisioningApi(http, { transactionId, signal }),
      offers,
      transactionId,
    }),
  };
  runtimes.set(config, runtime);
  return runtime;
}

/** Closes the OCS pool, the state store and the audit file of a config's runtime (tests, shutdown). */
export async function closeRuntime(config: McpConfig): Promise<void> {
  const r = runtimes.get(config);
  if (!r) return;
  runtimes.delete(config);
  await r.http.close();
  await r.state.close();
  r.audit.close();
}
