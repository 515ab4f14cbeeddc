import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createRouterTools } from '../../src/tool-loop/router-tools.js';

const dir = mkdtempSync(join(tmpdir(), 'router-tools-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const settings = {
  ROUTER_STORE: 'memory',
  ROUTER_DB: join(dir, 'router.sqlite'),
  ROUTER_MAX_TOOL_STEPS: 3,
  ROUTER_TOOL_TIMEOUT_MS: 1_000,
  ROUTER_TOOL_RESULT_MAX_CHARS: 500,
  ROUTER_MCP_TOOLS_TTL_MS: 1_000,
  ROUTER_CONFIRMATION_TTL_MS: 2_000,
};

describe('createRouterTools', () => {
  it('reads mcp.json and roles, lets ROUTER_ROLES replace a file role, and applies the settings', async () => {
    writeFileSync(
      join(dir, 'mcp.json'),
      JSON.stringify({
        mcpServers: { ocs: { url: 'http://127.0.0.1:3001/mcp', trusted: true } },
        roles: { viewer: { readOnly: true }, agent: { deny: ['delete_*'] } },
      }),
    );
    const tools = createRouterTools({ ROUTER_ROLES: '{"agent":{"allow":["*"]}}' }, settings, { cwd: dir });
    expect(tools.servers.serverNames).toEqual(['ocs']);
    expect(tools.roles).toEqual({ viewer: { readOnly: true }, agent: { allow: ['*'] } });
    expect(tools.loop.settings).toEqual({ maxSteps: 3, maxResultChars: 500, confirmationTtlMs: 2_000 });
    expect(tools.pending.kind).toBe('memory');
    expect(tools.loop.hasServers).toBe(true);
    await tools.close();
  });

  it('has no tools without a config file, and fails fast on a bad one', async () => {
    const empty = mkdtempSync(join(dir, 'empty-'));
    const none = createRouterTools({}, { ...settings, ROUTER_STORE: 'sqlite' }, { cwd: empty });
    expect(none.loop.hasServers).toBe(false);
    expect(none.pending.kind).toBe('sqlite');
    await none.close();
    writeFileSync(
      join(empty, 'bad.json'),
      JSON.stringify({ mcpServers: { ocs: { url: 'http://x', trusted: 1 } } }),
    );
    expect(() => createRouterTools({ MCP_CONFIG: 'bad.json' }, settings, { cwd: empty })).toThrow(
      /bad\.json\.mcpServers\.ocs\.trusted/,
    );
    expect(() => createRouterTools({ ROUTER_ROLES: '[1]' }, settings, { cwd: empty })).toThrow(
      /ROUTER_ROLES/,
    );
  });
});
