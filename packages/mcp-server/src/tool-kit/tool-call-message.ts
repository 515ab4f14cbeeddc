import {
  type CallToolResult,
  RELATED_TASK_META_KEY,
  SERVER_INFO_META_KEY,
} from '@modelcontextprotocol/server';
import { SERVER_INFO } from '../server-info.js';
import { okResultText } from './invoke-tool.js';

/**
 * The JSON-RPC side of a tools/call for the paths that answer it without the SDK's dispatcher (the
 * HTTP and stdio fast paths): which messages they take, and the result as the SDK writes it.
 */

/** The protocol era a message is served in: 2026-07-28 (`modern`) or 2025-11-25 and before. */
export type Era = 'modern' | 'legacy';

/**
 * The 2026-era revision both fast paths serve. The SDK's own list is not exported; a revision it adds
 * later goes to the SDK path until it is named here.
 */
export const MODERN_REVISION = '2026-07-28';

const MESSAGE_KEYS = new Set(['jsonrpc', 'id', 'method', 'params']);
const PARAMS_KEYS = new Set(['name', 'arguments', '_meta']);

export const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function onlyKeys(value: Record<string, unknown>, allowed: ReadonlySet<string>): boolean {
  for (const key in value) if (!allowed.has(key)) return false;
  return true;
}

/** A single JSON-RPC tools/call, in the plain shape every real client sends. */
export interface PlainToolCall {
  id: string | number;
  name: string;
  arguments: Record<string, unknown> | undefined;
  meta: Record<string, unknown> | undefined;
}

/**
 * The tools/call in `message` when it has nothing but `jsonrpc: "2.0"`, a string or integer id, and
 * params of a string name, object arguments and an object `_meta`; undefined for anything else (an
 * elicitation retry's inputResponses/requestState, a task, odd ids or members), which the SDK serves.
 */
export function plainToolCall(message: unknown): PlainToolCall | undefined {
  if (!isPlainObject(message) || !onlyKeys(message, MESSAGE_KEYS)) return undefined;
  if (message.jsonrpc !== '2.0' || message.method !== 'tools/call') return undefined;
  const id = message.id;
  if (!(typeof id === 'string' || (typeof id === 'number' && Number.isSafeInteger(id)))) return undefined;
  const params = message.params;
  if (!isPlainObject(params) || !onlyKeys(params, PARAMS_KEYS) || typeof params.name !== 'string')
    return undefined;
  const args = params.arguments;
  const meta = params._meta;
  if (args !== undefined && !isPlainObject(args)) return undefined;
  if (meta !== undefined && !(isPlainObject(meta) && plainRequestMeta(meta))) return undefined;
  return { id, name: params.name, arguments: args, meta };
}

/**
 * Whether the SDK's request `_meta` schema (RequestMetaSchema, both eras) accepts the two members it
 * reads: a progress token that is a string or an integer, and a related task `{taskId: string}`. Any
 * other `_meta` member is left unread by that schema; a refused one makes the SDK answer an error,
 * so such a call goes to the SDK instead of being served.
 */
function plainRequestMeta(meta: Record<string, unknown>): boolean {
  const progressToken = meta.progressToken;
  if (
    progressToken !== undefined &&
    typeof progressToken !== 'string' &&
    !(typeof progressToken === 'number' && Number.isInteger(progressToken))
  )
    return false;
  const task = meta[RELATED_TASK_META_KEY];
  return task === undefined || (isPlainObject(task) && typeof task.taskId === 'string');
}

/**
 * A CallToolResult as the SDK puts it on the wire: its wire schema rebuilds the object in schema
 * order (content, structuredContent, isError); a 2026-07-28 result then gets `resultType` and the
 * server's identity in `_meta` (the SDK's `stampResultType` and `stampServerInfoMeta`).
 */
export function wireCallToolResult(result: CallToolResult, era: Era): Record<string, unknown> {
  const out: Record<string, unknown> = {
    content: result.content.map((item) =>
      item.type === 'text' && Object.keys(item).length === 2 ? { type: 'text', text: item.text } : item,
    ),
  };
  if (result.structuredContent !== undefined) out.structuredContent = result.structuredContent;
  if (result.isError !== undefined) out.isError = result.isError;
  if (era === 'modern') {
    out.resultType = 'complete';
    out._meta = { [SERVER_INFO_META_KEY]: SERVER_INFO };
  }
  return out;
}

/** The `_meta` a 2026-07-28 result carries, serialised once. */
const MODERN_RESULT_TAIL = `,"resultType":"complete","_meta":${JSON.stringify({ [SERVER_INFO_META_KEY]: SERVER_INFO })}}`;

/**
 * The JSON-RPC response to a tools/call as text, byte for byte `JSON.stringify({ result:
 * wireCallToolResult(result, era), jsonrpc: "2.0", id })`. A result made by okResult already holds its
 * structured content's JSON as its text, so that JSON is spliced in instead of being produced again.
 */
export function wireCallToolResponseJson(result: CallToolResult, era: Era, id: string | number): string {
  const text = okResultText(result);
  if (text === undefined)
    return JSON.stringify({ result: wireCallToolResult(result, era), jsonrpc: '2.0', id });
  const content = `{"content":[{"type":"text","text":${JSON.stringify(text)}}],"structuredContent":${text}`;
  const wire = era === 'modern' ? `${content}${MODERN_RESULT_TAIL}` : `${content}}`;
  return `{"result":${wire},"jsonrpc":"2.0","id":${JSON.stringify(id)}}`;
}
