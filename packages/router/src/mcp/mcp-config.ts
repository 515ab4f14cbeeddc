import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { describeIssues, type Roles, rolesSchema } from './roles.js';

/**
 * The MCP servers file, in the `mcpServers` format Claude Desktop uses, plus two router fields:
 * `trusted` per server (only trusted servers' tool annotations are believed) and a top-level
 * `roles` section. `${VAR}` and `${VAR:-default}` in command, args, env, url and headers values
 * are expanded from the router's environment, so secrets stay out of the file.
 */

export const SERVER_NAME_PATTERN = /^[A-Za-z0-9-]+(?:_[A-Za-z0-9-]+)*$/;

/** `auto` probes server/discover then falls back to initialize; a date pins that revision. */
const protocolVersionSchema = z.union([
  z.enum(['auto', 'legacy']),
  z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'protocolVersion: "auto", "legacy" or a revision such as 2026-07-28'),
]);

const stringMap = z.record(z.string().min(1).max(200), z.string().max(8192));

const serverEntrySchema = z
  .object({
    type: z.enum(['stdio', 'http', 'streamable-http', 'streamableHttp']).optional(),
    command: z.string().min(1).max(4096).optional(),
    args: z.array(z.string().max(8192)).max(200).optional(),
    env: stringMap.optional(),
    cwd: z.string().min(1).max(4096).optional(),
    url: z.string().min(1).max(4096).optional(),
    headers: stringMap.optional(),
    trusted: z.boolean().optional(),
    protocolVersion: protocolVersionSchema.optional(),
  })
  .strict()
  .superRefine((entry, ctx) => {
    const isHttpType = entry.type !== undefined && entry.type !== 'stdio';
    if (entry.command !== undefined && entry.url !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['url'],
        message: 'give "command" (stdio) or "url" (HTTP), not both',
      });
    } else if (entry.command === undefined && entry.url === undefined) {
      ctx.addIssue({ code: 'custom', path: ['command'], message: 'give "command" (stdio) or "url" (HTTP)' });
    } else if (entry.url !== undefined && entry.type === 'stdio') {
      ctx.addIssue({ code: 'custom', path: ['type'], message: 'type "stdio" needs "command", not "url"' });
    } else if (entry.command !== undefined && isHttpType) {
      ctx.addIssue({
        code: 'custom',
        path: ['type'],
        message: `type "${entry.type}" needs "url", not "command"`,
      });
    }
    if (
      entry.url !== undefined &&
      (entry.env !== undefined || entry.args !== undefined || entry.cwd !== undefined)
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['url'],
        message: 'args, env and cwd only apply to stdio servers',
      });
    }
    if (entry.command !== undefined && entry.headers !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['headers'], message: 'headers only apply to HTTP servers' });
    }
  });

export const mcpConfigFileSchema = z
  .object({
    mcpServers: z
      .record(z.string(), serverEntrySchema)
      .superRefine((servers, ctx) => {
        // Checked here rather than as a record key schema so the message survives (zod reports
        // key failures only as "Invalid key in record").
        for (const name of Object.keys(servers)) {
          if (name.length > 64 || !SERVER_NAME_PATTERN.test(name)) {
            ctx.addIssue({
              code: 'custom',
              path: [name],
              message:
                'server names: up to 64 letters, digits, - and single _ (no "__", which separates namespaced tool names)',
            });
          }
        }
      })
      .default({}),
    roles: rolesSchema.optional(),
  })
  .strict();

export type ProtocolVersionSetting = z.infer<typeof protocolVersionSchema>;

interface ServerBase {
  name: string;
  trusted: boolean;
  protocolVersion: ProtocolVersionSetting;
}
export interface StdioServerConfig extends ServerBase {
  transport: 'stdio';
  command: string;
  args: string[];
  /** Exactly what the child gets besides the SDK's safe defaults (HOME, PATH, ...). */
  env: Record<string, string>;
  cwd?: string;
}
export interface HttpServerConfig extends ServerBase {
  transport: 'http';
  url: string;
  headers: Record<string, string>;
}
export type McpServerConfig = StdioServerConfig | HttpServerConfig;

export interface McpConfig {
  servers: McpServerConfig[];
  roles: Roles;
  /** Where the config came from, for logs (undefined: no file). */
  source?: string;
}

export class McpConfigError extends Error {
  override readonly name = 'McpConfigError';
}

const VARIABLE = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/** Expands `${VAR}` / `${VAR:-default}`; a missing variable without default is an error naming it. */
export function expandVariables(
  value: string,
  env: Record<string, string | undefined>,
  where: string,
): string {
  return value.replace(VARIABLE, (_match, name: string, fallback: string | undefined) => {
    const found = env[name];
    if (found !== undefined && found !== '') return found;
    if (fallback !== undefined) return fallback;
    throw new McpConfigError(`${where}: environment variable ${name} is not set (referenced as \${${name}})`);
  });
}

function expandMap(
  map: Record<string, string> | undefined,
  env: Record<string, string | undefined>,
  where: string,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(map ?? {}))
    out[key] = expandVariables(value, env, `${where}.${key}`);
  return out;
}

/** Validates a parsed config document and expands variables. `file` names it in errors. */
export function parseMcpConfig(
  json: unknown,
  env: Record<string, string | undefined>,
  file = 'mcp.json',
): McpConfig {
  const parsed = mcpConfigFileSchema.safeParse(json);
  if (!parsed.success) throw new McpConfigError(`${file} is invalid: ${describeIssues(parsed.error, file)}`);
  const servers: McpServerConfig[] = [];
  for (const [name, entry] of Object.entries(parsed.data.mcpServers)) {
    const where = `${file}: mcpServers.${name}`;
    const base = { name, trusted: entry.trusted ?? false, protocolVersion: entry.protocolVersion ?? 'auto' };
    if (entry.url !== undefined) {
      const url = expandVariables(entry.url, env, `${where}.url`);
      let parsedUrl: URL;
      try {
        parsedUrl = new URL(url);
      } catch {
        // The expanded value may hold a secret: name the field, not the value.
        throw new McpConfigError(`${where}.url: not a valid URL`);
      }
      if (parsedUrl.protocol !== 'http:' && parsedUrl.protocol !== 'https:') {
        throw new McpConfigError(`${where}.url: only http and https URLs are supported`);
      }
      servers.push({
        ...base,
        transport: 'http',
        url,
        headers: expandMap(entry.headers, env, `${where}.headers`),
      });
    } else {
      const command = expandVariables(entry.command as string, env, `${where}.command`);
      const args = (entry.args ?? []).map((arg, index) =>
        expandVariables(arg, env, `${where}.args.${index}`),
      );
      const server: StdioServerConfig = {
        ...base,
        transport: 'stdio',
        command,
        args,
        env: expandMap(entry.env, env, `${where}.env`),
      };
      if (entry.cwd !== undefined) server.cwd = expandVariables(entry.cwd, env, `${where}.cwd`);
      servers.push(server);
    }
  }
  return { servers, roles: parsed.data.roles ?? {} };
}

/**
 * Reads the file named by MCP_CONFIG, or ./mcp.json when that exists. No file means no tools, and
 * so does MCP_CONFIG=none. A file named explicitly must exist.
 */
export function loadMcpConfig(env: Record<string, string | undefined>, cwd = process.cwd()): McpConfig {
  const explicit = env.MCP_CONFIG !== undefined && env.MCP_CONFIG !== '' ? env.MCP_CONFIG : undefined;
  // "none" switches tools off even where ./mcp.json exists (tests, a router meant to be tool-less).
  if (explicit === 'none') return { servers: [], roles: {} };
  const path = resolve(cwd, explicit ?? 'mcp.json');
  if (!existsSync(path)) {
    if (explicit) throw new McpConfigError(`MCP_CONFIG names ${explicit}, which does not exist`);
    return { servers: [], roles: {} };
  }
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new McpConfigError(`${explicit ?? 'mcp.json'} is not valid JSON: ${(error as Error).message}`);
  }
  return { ...parseMcpConfig(json, env, explicit ?? 'mcp.json'), source: path };
}
