/**
 * The MCP client SDK, loaded on demand: it costs ~0.3 s of start-up, and a router without MCP
 * servers never needs it. Errors of the SDK's classes can only exist once it is loaded, so the
 * error classifiers look at `loadedMcpSdk()` and treat "not loaded" as "not an SDK error".
 */
type McpSdk = typeof import('@modelcontextprotocol/client');

let loaded: McpSdk | undefined;
let loading: Promise<McpSdk> | undefined;

export function loadMcpSdk(): Promise<McpSdk> {
  loading ??= import('@modelcontextprotocol/client').then((sdk) => {
    loaded = sdk;
    return sdk;
  });
  return loading;
}

/** The SDK if something has loaded it already, else undefined. */
export function loadedMcpSdk(): McpSdk | undefined {
  return loaded;
}
