import type { Admission } from '../admission/admission.js';
import type { Principal } from '../admission/principal.js';
import type { AskService } from '../ask/ask-service.js';
import type { AuditTrail } from '../audit/audit-trail.js';
import type { RouterConfig } from '../config.js';
import type { Logger } from '../logger.js';
import type { RouterMetrics } from '../metrics.js';
import type { ProviderRegistry } from '../providers/registry.js';
import type { RequestClock } from '../request-clock.js';
import type { ContextStore } from '../stores/context/context-store.js';
import type { ResponseStore } from '../stores/responses/response-store.js';
import type { ToolLoop } from '../tool-loop/tool-loop.js';

export interface RouterDeps {
  config: RouterConfig;
  providers: ProviderRegistry;
  store: ContextStore;
  /** Stored /v1/responses answers for previous_response_id (memory when absent). */
  responses?: ResponseStore;
  logger: Logger;
  metrics: RouterMetrics;
  /** Auth, rate limits and CORS; built from config (memory rate limits) when absent. */
  admission?: Admission;
  /** The MCP tool loop (see createRouterTools); absent means /ask runs without tools. */
  tools?: ToolLoop;
  /** Where tool calls and confirmation decisions are recorded; none when absent. */
  audit?: AuditTrail;
  /** Folder of the built operator console served at /console (default: the router's dist/console). */
  consoleDir?: string;
}

export interface RouterServices extends RouterDeps {
  ask: AskService;
  version: string;
}

/** Per-request values shared between the edge middleware and the route handlers. */
export type RouterEnv = {
  Variables: {
    requestId: string;
    clock: RequestClock;
    /** Who is calling, from the credential (set by admission on every route except the open ones). */
    principal: Principal;
    provider?: string;
    model?: string;
    /** Set by streaming handlers: they record overhead and upstream metrics when the stream ends. */
    streaming?: boolean;
    /** The request's server span, while tracing is on (attributes only: the edge ends it). */
    span?: { setAttribute(key: string, value: string | number | boolean): unknown };
  };
};
