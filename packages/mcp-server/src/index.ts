export {
  ConfigError,
  loadMcpConfig,
  type McpConfig,
  mcpEnvSchema,
  TOOLSETS,
  type Toolset,
} from './config.js';
export { type HttpServerOptions, type McpHttpServerHandle, startMcpHttpServer } from './http.js';
export { closeRuntime } from './runtime.js';
export { createOcsMcpServer, SERVER_INFO } from './server.js';
export { runStdioServer } from './stdio.js';
export { ALL_TOOLS } from './tools/all-tools.js';
export { CONFIRMATION_TTL_MS, type ConfirmationRequired } from './tools/confirmation.js';
