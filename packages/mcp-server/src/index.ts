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
export { CONFIRMATION_TTL_MS, type ConfirmationRequired } from './tool-kit/confirmation.js';
export { ALL_TOOLS } from './tools/index.js';
