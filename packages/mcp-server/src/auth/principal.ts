import type { AuthInfo } from '@modelcontextprotocol/server';

/** The OAuth scopes this server understands (advertised in its Protected Resource Metadata). */
export const SCOPES = {
  /** every read tool */
  read: 'ocs:read',
  /** writes that another call can undo */
  write: 'ocs:write',
  /** calls no other call can undo (deletes, terminal states); still confirmed by a human */
  irreversible: 'ocs:irreversible',
  /** may name, in a request's _meta, the principal and user it acts for (a trusted router) */
  delegate: 'delegate',
} as const;

export const ALL_OCS_SCOPES: readonly string[] = [SCOPES.read, SCOPES.write, SCOPES.irreversible];

/** Who calls a tool, decided by the credential only. */
export interface Principal {
  /** Token subject (`sub`, or the static token's subject); `local` without HTTP authentication. */
  subject: string;
  scopes: ReadonlySet<string>;
}

/**
 * Without authentication (stdio, or HTTP on loopback with no token configured) the caller is the
 * operator who started the server with its environment: every OCS scope, but not `delegate`.
 */
export const LOCAL_PRINCIPAL: Principal = { subject: 'local', scopes: new Set(ALL_OCS_SCOPES) };

/** The subject lives in AuthInfo.extra.subject (set by our verifiers), else the OAuth client id. */
export function principalOf(authInfo: AuthInfo | undefined): Principal {
  if (!authInfo) return LOCAL_PRINCIPAL;
  const subject = typeof authInfo.extra?.subject === 'string' ? authInfo.extra.subject : authInfo.clientId;
  return { subject, scopes: new Set(authInfo.scopes) };
}

export const hasScope = (principal: Principal, scope: string): boolean => principal.scopes.has(scope);
