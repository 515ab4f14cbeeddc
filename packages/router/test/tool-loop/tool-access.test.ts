import { describe, expect, it } from 'vitest';
import type { McpTool } from '../../src/mcp/mcp-server-set.js';
import { toolTraits } from '../../src/mcp/tool-traits.js';
import { ToolAccess } from '../../src/tool-loop/tool-access.js';

function tool(server: string, name: string, annotations: Record<string, boolean>, trusted = true): McpTool {
  return {
    exposedName: `${server}__${name}`,
    qualifiedName: `${server}__${name}`,
    server,
    name,
    description: name,
    inputSchema: { type: 'object' },
    traits: toolTraits(annotations, trusted),
    trusted,
  };
}

const lookup = tool('ocs', 'lookup_subscriber', { readOnlyHint: true });
const create = tool('ocs', 'create_subscriber', { readOnlyHint: false, destructiveHint: false });
const remove = tool('ocs', 'delete_subscriber', { readOnlyHint: false, destructiveHint: true });
const untrustedRead = tool('web', 'fetch_page', { readOnlyHint: true }, false);
const all = [lookup, create, remove, untrustedRead];
const allowed = (access: ToolAccess) => all.filter((t) => access.decide(t).allowed).map((t) => t.exposedName);

describe('ToolAccess', () => {
  it('allows everything when no roles are configured; context.tools still narrows', () => {
    expect(allowed(new ToolAccess({}, {}))).toEqual(all.map((t) => t.exposedName));
    const narrowed = new ToolAccess(
      {},
      { tools: { servers: ['ocs'], allow: ['*_subscriber'], deny: ['delete_*'] } },
    );
    expect(allowed(narrowed)).toEqual(['ocs__lookup_subscriber', 'ocs__create_subscriber']);
    expect(narrowed.servers).toEqual(['ocs']);
    expect(new ToolAccess({}, { tools: { allow: ['lookup_subscriber'] } }).decide(create)).toEqual({
      allowed: false,
      reason: 'ocs__create_subscriber is not in context.tools.allow',
    });
    expect(new ToolAccess({}, { tools: { servers: ['web'] } }).decide(lookup)).toMatchObject({
      allowed: false,
    });
  });

  it('applies the role, the default role, or read-only for unknown roles', () => {
    const roles = {
      viewer: { readOnly: true },
      agent: { allow: ['*'], deny: ['ocs__delete_subscriber'] },
      web: { servers: ['web'] },
    };
    expect(allowed(new ToolAccess(roles, { roles: ['viewer'] }))).toEqual(['ocs__lookup_subscriber']);
    expect(allowed(new ToolAccess(roles, { roles: ['agent'] }))).toEqual([
      'ocs__lookup_subscriber',
      'ocs__create_subscriber',
      'web__fetch_page',
    ]);
    expect(allowed(new ToolAccess(roles, { roles: ['web'] }))).toEqual(['web__fetch_page']);
    expect(new ToolAccess(roles, { roles: ['web'] }).servers).toEqual(['web']);
    // Unknown role and no role: read-only fallback (untrusted tools are never read-only).
    const stranger = new ToolAccess(roles, { roles: ['stranger'] });
    expect(allowed(stranger)).toEqual(['ocs__lookup_subscriber']);
    expect(stranger.roleName).toBeUndefined();
    expect(stranger.decide(create)).toEqual({
      allowed: false,
      reason:
        'a principal without a configured role is read-only and ocs__create_subscriber is not a read-only tool of a trusted server',
    });
    const withDefault = new ToolAccess({ ...roles, default: { deny: ['*delete*'] } }, {});
    expect(withDefault.roleName).toBe('default');
    expect(allowed(withDefault)).toEqual([
      'ocs__lookup_subscriber',
      'ocs__create_subscriber',
      'web__fetch_page',
    ]);
    expect(new ToolAccess(roles, { roles: ['agent'] }).decide(remove)).toEqual({
      allowed: false,
      reason: 'ocs__delete_subscriber is denied to role "agent"',
    });
    expect(new ToolAccess({ r: { allow: ['lookup_*'] } }, { roles: ['r'] }).decide(create)).toEqual({
      allowed: false,
      reason: 'ocs__create_subscriber is not in the allow list of role "r"',
    });
    // context.tools cannot widen a role.
    const both = new ToolAccess(
      { r: { servers: ['ocs'] } },
      { roles: ['r'], tools: { servers: ['ocs', 'web'] } },
    );
    expect(both.servers).toEqual(['ocs']);
  });
});
