import type { McpTool } from '../mcp/mcp-server-set.js';
import type { Role, Roles } from '../mcp/roles.js';

/** The request's say in tool selection: context.tools plus the caller's role. */
export interface ToolAccessRequest {
  role?: string | undefined;
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
 * request's role applies, else the `default` role, else FALLBACK_ROLE (read-only). context.tools
 * can only narrow what the role allows. Read-only means "a trusted server annotated it
 * readOnlyHint: true"; untrusted servers' tools never count as read-only.
 */
export class ToolAccess {
  readonly roleName: string | undefined;
  readonly #role: Role | undefined;
  readonly #request: ToolAccessRequest;

  constructor(roles: Roles, request: ToolAccessRequest) {
    this.#request = request;
    if (Object.keys(roles).length === 0) {
      this.#role = undefined;
      this.roleName = request.role;
    } else if (request.role !== undefined && Object.hasOwn(roles, request.role)) {
      this.#role = roles[request.role];
      this.roleName = request.role;
    } else if (Object.hasOwn(roles, 'default')) {
      this.#role = roles.default;
      this.roleName = 'default';
    } else {
      this.#role = FALLBACK_ROLE;
      this.roleName = undefined;
    }
  }

  /** The servers worth listing for this request (undefined: all). */
  get servers(): string[] | undefined {
    const fromRole = this.#role?.servers;
    const fromRequest = this.#request.tools?.servers;
    if (fromRole && fromRequest) return fromRole.filter((server) => fromRequest.includes(server));
    return fromRequest ?? fromRole;
  }

  decide(tool: McpTool): AccessDecision {
    const role = this.#role;
    const who = this.roleName === undefined ? 'a request without a known role' : `role "${this.roleName}"`;
    if (role) {
      if (role.servers && !role.servers.includes(tool.server)) {
        return { allowed: false, reason: `${who} may not use MCP server "${tool.server}"` };
      }
      if (role.readOnly && !tool.traits.readOnly) {
        return {
          allowed: false,
          reason: `${who} is read-only and ${tool.exposedName} is not a read-only tool of a trusted server`,
        };
      }
      if (role.allow && !matchesAny(role.allow, tool)) {
        return { allowed: false, reason: `${tool.exposedName} is not in the allow list of ${who}` };
      }
      if (role.deny && matchesAny(role.deny, tool)) {
        return { allowed: false, reason: `${tool.exposedName} is denied to ${who}` };
      }
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
