import { contentCapture, type Redactor } from '@ocsai/telemetry';
import type { Redis } from 'ioredis';
import type { AuditTrail } from '../audit/audit-trail.js';
import { loadMcpConfig, type McpConfig } from '../mcp/mcp-config.js';
import type { McpConnectionOptions } from '../mcp/mcp-server-connection.js';
import { McpServerSet } from '../mcp/mcp-server-set.js';
import { parseRolesEnv, type Roles } from '../mcp/roles.js';
import { createPendingConfirmationStore } from '../stores/pending-confirmations/index.js';
import type { PendingConfirmationStore } from '../stores/pending-confirmations/pending-confirmation-store.js';
import { type ApprovalPolicy, ToolLoop, type ToolLoopSettings } from './tool-loop.js';

/** The router settings the tool side reads (validated by the router's env schema). */
export interface RouterToolsSettings {
  ROUTER_STORE: string;
  ROUTER_DB: string;
  ROUTER_MAX_TOOL_STEPS: number;
  ROUTER_TOOL_TIMEOUT_MS: number;
  ROUTER_TOOL_RESULT_MAX_CHARS: number;
  ROUTER_MCP_TOOLS_TTL_MS: number;
  ROUTER_CONFIRMATION_TTL_MS: number;
  ROUTER_APPROVAL?: ApprovalPolicy;
}

export interface RouterTools {
  loop: ToolLoop;
  servers: McpServerSet;
  pending: PendingConfirmationStore;
  mcpConfig: McpConfig;
  roles: Roles;
  close(): Promise<void>;
}

/**
 * Everything the router needs for tools, built once at start-up: the MCP config file (MCP_CONFIG
 * or ./mcp.json), the roles (file `roles`, then ROUTER_ROLES entries replacing same-named ones),
 * one connection per server (connected lazily), and the pending-confirmation store on the same
 * backend as the context store. Config mistakes throw here, so a bad mcp.json fails start-up.
 */
export function createRouterTools(
  env: Record<string, string | undefined>,
  settings: RouterToolsSettings,
  options: {
    logger?: McpConnectionOptions['logger'] & { info(object: object, message: string): void };
    cwd?: string;
    pending?: PendingConfirmationStore;
    /** The router's shared Redis client, for ROUTER_STORE=redis. */
    redis?: Redis;
    audit?: AuditTrail;
    /** Redacts tool content captured on spans (OTEL_GENAI_CAPTURE_CONTENT=true). */
    redactor?: Redactor;
  } = {},
): RouterTools {
  const mcpConfig = loadMcpConfig(env, options.cwd);
  const roles: Roles = { ...mcpConfig.roles, ...parseRolesEnv(env.ROUTER_ROLES) };
  const servers = new McpServerSet(mcpConfig, {
    timeoutMs: settings.ROUTER_TOOL_TIMEOUT_MS,
    toolsTtlMs: settings.ROUTER_MCP_TOOLS_TTL_MS,
    ...(options.logger ? { logger: options.logger } : {}),
  });
  const pending = options.pending ?? createPendingConfirmationStore(settings, options.redis);
  const loopSettings: ToolLoopSettings = {
    maxSteps: settings.ROUTER_MAX_TOOL_STEPS,
    maxResultChars: settings.ROUTER_TOOL_RESULT_MAX_CHARS,
    confirmationTtlMs: settings.ROUTER_CONFIRMATION_TTL_MS,
  };
  const loop = new ToolLoop({
    servers,
    roles,
    pending,
    settings: loopSettings,
    approval: settings.ROUTER_APPROVAL ?? 'self',
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.audit ? { audit: options.audit } : {}),
    ...(options.redactor ? { capture: contentCapture({ redactor: options.redactor, env }) } : {}),
  });
  return {
    loop,
    servers,
    pending,
    mcpConfig,
    roles,
    async close() {
      await servers.close();
      if (!options.pending) await pending.close();
    },
  };
}
