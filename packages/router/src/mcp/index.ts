/** The router's MCP client side: config file, one connection per server, tool listing and calls. */
export { McpCallError, type McpCallErrorKind } from './mcp-call-error.js';
export {
  expandVariables,
  type HttpServerConfig,
  loadMcpConfig,
  type McpConfig,
  McpConfigError,
  type McpServerConfig,
  parseMcpConfig,
  type StdioServerConfig,
} from './mcp-config.js';
export {
  type McpCallOptions,
  type McpCallOutcome,
  type McpConnectionOptions,
  McpServerConnection,
} from './mcp-server-connection.js';
export {
  exposedToolName,
  McpServerSet,
  type McpTool,
  NAMESPACE_SEPARATOR,
  type ToolListing,
} from './mcp-server-set.js';
export { parseRolesEnv, type Role, type Roles, rolesSchema } from './roles.js';
export { type ToolTraits, toolTraits } from './tool-traits.js';
