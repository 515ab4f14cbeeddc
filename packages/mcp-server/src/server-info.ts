import { readFileSync } from 'node:fs';

/**
 * Name and version announced to MCP clients. The version is the package's own (package.json sits
 * one level above src/, dist/ and a bundle's dist/), so a release bumps it in one place.
 */
export const SERVER_INFO = {
  name: 'ocs-mcp',
  version: (
    JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
  ).version,
} as const;
