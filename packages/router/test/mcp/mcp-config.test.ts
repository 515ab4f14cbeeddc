// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are the ${VAR} syntax under test
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { expandVariables, loadMcpConfig, McpConfigError, parseMcpConfig } from '../../src/mcp/mcp-config.js';
import { parseRolesEnv } from '../../src/mcp/roles.js';

const dir = mkdtempSync(join(tmpdir(), 'router-mcp-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('mcp.json', () => {
  it('reads stdio and HTTP servers in the Claude Desktop format, with trusted and roles', () => {
    const config = parseMcpConfig(
      {
        mcpServers: {
          ocs: {
            url: 'http://127.0.0.1:3001/mcp',
            headers: { Authorization: 'Bearer ${OCS_TOKEN}' },
            trusted: true,
          },
          files: {
            command: 'node',
            args: ['server.js', '--root=${HOME_DIR:-/srv}'],
            env: { API_KEY: '${FILES_KEY}' },
          },
        },
        roles: { viewer: { readOnly: true }, agent: { allow: ['*'], deny: ['ocs__delete_subscriber'] } },
      },
      { OCS_TOKEN: 'tok-123', FILES_KEY: 'fk' },
    );
    expect(config.servers).toEqual([
      {
        name: 'ocs',
        transport: 'http',
        url: 'http://127.0.0.1:3001/mcp',
        headers: { Authorization: 'Bearer tok-123' },
        trusted: true,
        protocolVersion: 'auto',
      },
      {
        name: 'files',
        transport: 'stdio',
        command: 'node',
        args: ['server.js', '--root=/srv'],
        env: { API_KEY: 'fk' },
        trusted: false,
        protocolVersion: 'auto',
      },
    ]);
    expect(config.roles.agent?.deny).toEqual(['ocs__delete_subscriber']);
  });

  it('names the server and field of every mistake', () => {
    const bad = (json: unknown) => () => parseMcpConfig(json, {});
    expect(bad({ mcpServers: { ocs: {} } })).toThrow(
      /mcp\.json\.mcpServers\.ocs\.command: give "command" \(stdio\) or "url"/,
    );
    expect(bad({ mcpServers: { ocs: { url: 'http://x', command: 'node' } } })).toThrow(
      /mcpServers\.ocs\.url: .*not both/,
    );
    expect(bad({ mcpServers: { ocs: { url: 'http://x', trusted: 'yes' } } })).toThrow(
      /mcpServers\.ocs\.trusted/,
    );
    expect(bad({ mcpServers: { ocs: { url: 'http://x', extra: 1 } } })).toThrow(/mcpServers\.ocs.*extra/);
    expect(bad({ mcpServers: { a__b: { url: 'http://x' } } })).toThrow(/server names/);
    expect(bad({ mcpServers: { ocs: { url: 'not a url' } } })).toThrow(
      /mcpServers\.ocs\.url: not a valid URL/,
    );
    expect(bad({ mcpServers: { ocs: { url: 'ftp://x/y' } } })).toThrow(/only http and https/);
    expect(bad({ mcpServers: { ocs: { type: 'stdio', url: 'http://x' } } })).toThrow(/mcpServers\.ocs\.type/);
    expect(bad({ mcpServers: { ocs: { type: 'http', command: 'node' } } })).toThrow(/mcpServers\.ocs\.type/);
    expect(bad({ mcpServers: { ocs: { url: 'http://x', env: {} } } })).toThrow(/only apply to stdio/);
    expect(bad({ mcpServers: { ocs: { command: 'node', headers: {} } } })).toThrow(
      /headers only apply to HTTP/,
    );
    expect(bad({ mcpServers: { ocs: { url: 'http://x', protocolVersion: 'newest' } } })).toThrow(
      /protocolVersion/,
    );
    expect(bad({ roles: { viewer: { readOnly: 'no' } } })).toThrow(/roles\.viewer\.readOnly/);
    expect(bad([])).toThrow(McpConfigError);
  });

  it('expands ${VAR} and ${VAR:-default}; a missing variable names the field, never a value', () => {
    expect(expandVariables('a-${X}-${Y:-dflt}', { X: '1' }, 'f')).toBe('a-1-dflt');
    expect(() =>
      parseMcpConfig(
        {
          mcpServers: { ocs: { url: 'http://h/mcp', headers: { Authorization: 'Bearer ${MISSING_TOKEN}' } } },
        },
        {},
      ),
    ).toThrow(
      'mcp.json: mcpServers.ocs.headers.Authorization: environment variable MISSING_TOKEN is not set',
    );
    expect(() =>
      parseMcpConfig({ mcpServers: { s: { command: 'node', env: { K: '${NOPE}' } } } }, {}),
    ).toThrow(/mcpServers\.s\.env\.K: environment variable NOPE/);
    // A secret that makes the URL invalid is not echoed.
    expect(() => parseMcpConfig({ mcpServers: { s: { url: '${U}' } } }, { U: 'sk-secret value' })).toThrow(
      /^(?!.*sk-secret).*not a valid URL/,
    );
  });

  it('loads MCP_CONFIG, falls back to ./mcp.json, and treats an absent default file as no tools', () => {
    expect(loadMcpConfig({}, dir)).toEqual({ servers: [], roles: {} });
    writeFileSync(
      join(dir, 'mcp.json'),
      JSON.stringify({ mcpServers: { ocs: { url: 'http://127.0.0.1:1/mcp' } } }),
    );
    const config = loadMcpConfig({}, dir);
    expect(config.servers.map((server) => server.name)).toEqual(['ocs']);
    expect(config.source).toBe(join(dir, 'mcp.json'));
    writeFileSync(join(dir, 'other.json'), '{ nope');
    expect(() => loadMcpConfig({ MCP_CONFIG: 'other.json' }, dir)).toThrow(/other\.json is not valid JSON/);
    expect(loadMcpConfig({ MCP_CONFIG: 'none' }, dir)).toEqual({ servers: [], roles: {} });
    expect(() => loadMcpConfig({ MCP_CONFIG: 'missing.json' }, dir)).toThrow(
      /MCP_CONFIG names missing\.json, which does not exist/,
    );
  });

  it('reads ROUTER_ROLES as JSON and names bad fields', () => {
    expect(parseRolesEnv(undefined)).toEqual({});
    expect(parseRolesEnv(' ')).toEqual({});
    expect(parseRolesEnv('{"viewer":{"readOnly":true}}')).toEqual({ viewer: { readOnly: true } });
    expect(() => parseRolesEnv('{')).toThrow(/ROUTER_ROLES is not valid JSON/);
    expect(() => parseRolesEnv('{"agent":{"deny":["bad name!"]}}')).toThrow(/ROUTER_ROLES\.agent\.deny\.0/);
  });
});
