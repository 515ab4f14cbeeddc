import { z } from 'zod';

/**
 * Roles map a caller's `context.identity.role` to the tools it may use. They live in the MCP
 * config file (`roles`) or in ROUTER_ROLES (JSON; its entries replace same-named file entries).
 * Patterns match a tool's exposed name (`ocs__delete_subscriber` or plain `delete_subscriber`) and
 * its qualified name `<server>__<tool>`, so one roles section works with one server or several;
 * `*` matches any run of characters.
 */
const pattern = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9_.*-]+$/, 'tool name pattern: letters, digits, _ . - and * only');

export const roleSchema = z
  .object({
    readOnly: z
      .boolean()
      .optional()
      .describe('Only tools that a trusted server annotates readOnlyHint: true.'),
    servers: z.array(z.string().min(1).max(64)).max(50).optional().describe('Servers this role may use.'),
    allow: z.array(pattern).max(500).optional().describe('Tool patterns the role may use (default: all).'),
    deny: z.array(pattern).max(500).optional().describe('Tool patterns the role may never use; deny wins.'),
  })
  .strict();

export const rolesSchema = z.record(z.string(), roleSchema).superRefine((roles, ctx) => {
  for (const name of Object.keys(roles)) {
    if (!/^[A-Za-z0-9 _.:-]{1,200}$/.test(name)) {
      ctx.addIssue({
        code: 'custom',
        path: [name],
        message: 'role names: 1-200 letters, digits, spaces and _ . : -',
      });
    }
  }
});

export type Role = z.infer<typeof roleSchema>;
export type Roles = z.infer<typeof rolesSchema>;

/** ROUTER_ROLES: JSON object of roles; errors name the role and field. */
export function parseRolesEnv(text: string | undefined): Roles {
  if (text === undefined || text.trim() === '') return {};
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`ROUTER_ROLES is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = rolesSchema.safeParse(json);
  if (parsed.success) return parsed.data;
  throw new Error(`ROUTER_ROLES is invalid: ${describeIssues(parsed.error, 'ROUTER_ROLES')}`);
}

/** `a.b.c: message` per issue, the way every config error in the router reads. */
export function describeIssues(error: z.ZodError, root: string): string {
  return error.issues
    .slice(0, 8)
    .map((issue) => `${[root, ...issue.path.map(String)].join('.')}: ${issue.message}`)
    .join('; ');
}
