import { randomBytes } from 'node:crypto';

/**
 * Tool-call arguments arrive as a JSON string (OpenAI family, Anthropic streams) or an object
 * (Ollama, Anthropic non-streamed). The router always hands on an object. Arguments that are not a
 * JSON object (a truncated stream, a model writing prose) are kept verbatim as `{ _raw: "..." }` so
 * the tool layer can report a precise error instead of the router guessing or dropping the call.
 */
export function toolArgumentsFrom(wire: unknown): Record<string, unknown> {
  if (wire && typeof wire === 'object' && !Array.isArray(wire)) return wire as Record<string, unknown>;
  if (wire === undefined || wire === null) return {};
  if (typeof wire !== 'string') return { _raw: JSON.stringify(wire) };
  if (wire.trim() === '') return {};
  try {
    const parsed: unknown = JSON.parse(wire);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
      return parsed as Record<string, unknown>;
  } catch {
    // fall through: keep the raw text
  }
  return { _raw: wire };
}

/** An id for a tool call the provider returned without one (Ollama before v0.12.10). */
export function generatedToolCallId(): string {
  return `call_${randomBytes(12).toString('base64url')}`;
}
