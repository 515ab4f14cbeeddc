import { isPlainObject } from './tool-kit/tool-call-message.js';

/**
 * The part of a 2026-07-28 `_meta` envelope both fast paths decide without the SDK's schemas.
 * `ClientCapabilities2026Schema` (@modelcontextprotocol/server 2.4) reads these keys and strips any
 * other unread; `{}` is valid for each of them, while their non-empty forms have fields the schema
 * checks (a `roots.listChanged` that is not a boolean is refused), so only `{}` is decided here.
 */
const READ_CAPABILITY_KEYS: ReadonlySet<string> = new Set([
  'experimental',
  'sampling',
  'elicitation',
  'roots',
  'extensions',
]);

/** True when the SDK's envelope schema is known to accept `capabilities` as they are. */
export function plainModernCapabilities(capabilities: unknown): boolean {
  if (!isPlainObject(capabilities)) return false;
  for (const name in capabilities) {
    if (!READ_CAPABILITY_KEYS.has(name)) continue;
    const value = capabilities[name];
    if (!isPlainObject(value)) return false;
    for (const _ in value) return false;
  }
  return true;
}
