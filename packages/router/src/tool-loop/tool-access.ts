import type { McpTool } from '../mcp/mcp-server-set.js';
import type { Role, Roles } from '../mcp/roles.js';

/**
 * What decides tool selection: the principal's roles (from the credential, never from the request)
 * and the request's context.tools, which can only narrow what the roles allow.
 */
export interface ToolAccessRequest {
  roles?: readonly string[] | undefined;
  tools?:
    | { servers?: string[] | undefined; allow?: string[] | undefined; deny?: string[] | undefined }
    | undefined;
}

export type AccessDecision = { allowed: true } | { allowed: false; reason: string };

/**
 * Role used when roles are configured but the request's role is missing or unknown and no
 * `default` role exists: read-only, so an unidentified caller can look but never change the OCS.
 */
export const FALLBACK_ROLE: Role = { readOnly: true };

function globToRegExp(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${escaped}$`);
}

function matchesAny(patterns: readonly string[], tool: McpTool): boolean {
  return patterns.some((pattern) => {
    const re = globToRegExp(pattern);
    return re.test(tool.exposedName) || re.test(tool.qualifiedName) || re.test(tool.name);
  });
}

/**
 * Who may use which tool, decided per request. Roles are opt-in: with no roles configured every
 * tool is offered (destructive ones still need a human's confirmation). Once roles exist, the
 * principal's configured roles apply (a tool any of them allows is allowed), else the `default`
 * role, else FALLBACK_ROLE (read-only). context.identity.role is descriptive text for the prompt
 * and plays no part here; context.tools can only narrow. Read-only means "a trusted server
 * annotated it readOnlyHint: true"; untrusted servers' tools never count as read-only.
 */
export class ToolAccess {
  readonly roleName: string | undefined;
  /** undefined: no roles configured, nothing restricted by role. */
  readonly #roles: { name: string | undefined; role: Role }[] | undefined;
  readonly #request: ToolAccessRequest;

  constructor(roles: Roles, request: ToolAccessRequest) {
    this.#request = request;
    const held = (request.roles ?? []).filter((name) => Object.hasOwn(roles, name));
    if (Object.keys(roles).length === 0) {
      this.#roles = undefined;
      this.roleName = request.roles?.join(', ') || undefined;
    } else if (held.length > 0) {
      this.#roles = held.map((name) => ({ name, role: roles[name] as Role }));
      this.roleName = held.join(', ');
    } else if (Object.hasOwn(roles, 'default')) {
      this.#roles = [{ name: 'default', role: roles.default as Role }];
      this.roleName = 'default';
    } else {
      this.#roles = [{ name: undefined, role: FALLBACK_ROLE }];
      this.roleName = undefined;
    }
  }

  /** The servers worth listing for this request (undefined: all). */
  get servers(): string[] | undefined {
    const roles = this.#roles;
    let fromRoles: string[] | undefined;
    if (roles?.every(({ role }) => role.servers)) {
      fromRoles = [...new Set(roles.flatMap(({ role }) => role.servers ?? []))];
    }
    const fromRequest = this.#request.tools?.servers;
    if (fromRoles && fromRequest) return fromRoles.filter((server) => fromRequest.includes(server));
    return fromRequest ?? fromRoles;
  }

  decide(tool: McpTool): AccessDecision {
    if (this.#roles) {
      let refusal: string | undefined;
      for (const { name, role } of this.#roles) {
        const reason = roleRefusal(role, name, tool);
        if (reason === undefined) {
          refusal = undefined;
          break;
        }
        refusal ??= reason;
      }
      if (refusal !== undefined) return { allowed: false, reason: refusal };
    }
    const request = this.#request.tools;
    if (request?.servers && !request.servers.includes(tool.server)) {
      return {
        allowed: false,
        reason: `MCP server "${tool.server}" is not selected by context.tools.servers`,
      };
    }
    if (request?.allow && !matchesAny(request.allow, tool)) {
      return { allowed: false, reason: `${tool.exposedName} is not in context.tools.allow` };
    }
    if (request?.deny && matchesAny(request.deny, tool)) {
      return { allowed: false, reason: `${tool.exposedName} is denied by context.tools.deny` };
    }
    return { allowed: true };
  }
}

/** Why one role refuses a tool, or undefined when it allows it. */
function roleRefusal(role: Role, name: string | undefined, tool: McpTool): string | undefined {
  const who = name === undefined ? 'a principal without a configured role' : `role "${name}"`;
  if (role.servers && !role.servers.includes(tool.server))
    return `${who} may not use MCP server "${tool.server}"`;
  if (role.readOnly && !tool.traits.readOnly)
    return `${who} is read-only and ${tool.exposedName} is not a read-only tool of a trusted server`;
  if (role.allow && !matchesAny(role.allow, tool))
    return `${tool.exposedName} is not in the allow list of ${who}`;
  if (role.deny && matchesAny(role.deny, tool)) return `${tool.exposedName} is denied to ${who}`;
  return undefined;
}
