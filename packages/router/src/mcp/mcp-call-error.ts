import { loadedMcpSdk } from './mcp-sdk.js';

export type McpCallErrorKind =
  | 'unavailable' // could not connect; the call was not sent
  | 'connection_lost' // the connection died during the call; its effect is unknown
  | 'timeout'
  | 'aborted'
  | 'protocol'; // the server answered with a JSON-RPC error (unknown tool, bad params...)

/**
 * A failed MCP call, with a message that is safe to give the model and the caller: it names the
 * server and tool, never a URL, header or environment value.
 */
export class McpCallError extends Error {
  override readonly name = 'McpCallError';
  constructor(
    readonly kind: McpCallErrorKind,
    message: string,
    options: { cause?: unknown } = {},
  ) {
    super(message, options);
  }
}

function connectionCodes(sdk: NonNullable<ReturnType<typeof loadedMcpSdk>>): Set<string> {
  return new Set<string>([sdk.SdkErrorCode.ConnectionClosed, sdk.SdkErrorCode.SendFailed]);
}

/** Errors that mean the transport is gone (process died, socket reset, server closed). */
export function isConnectionFailure(error: unknown): boolean {
  if (isSessionGone(error)) return true;
  const sdk = loadedMcpSdk();
  if (sdk && error instanceof sdk.SdkError) return connectionCodes(sdk).has(error.code);
  if (!(error instanceof Error)) return false;
  if (error.message === 'Not connected') return true;
  // undici's fetch: TypeError('fetch failed') with the socket error as cause.
  return error instanceof TypeError && /fetch failed/i.test(error.message);
}

/** ECONNREFUSED and friends: nothing reached the server, so a retry cannot run the tool twice. */
export function isNotDelivered(error: unknown): boolean {
  if (isSessionGone(error)) return true;
  const code = (error as { cause?: { code?: unknown } } | undefined)?.cause?.code;
  return code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN';
}

/** 404 on a 2025-era session: the server restarted and forgot it; the request was not run. */
function isSessionGone(error: unknown): boolean {
  const sdk = loadedMcpSdk();
  return sdk !== undefined && error instanceof sdk.SdkHttpError && error.status === 404;
}

export function isTimeout(error: unknown): boolean {
  const sdk = loadedMcpSdk();
  return sdk !== undefined && error instanceof sdk.SdkError && error.code === sdk.SdkErrorCode.RequestTimeout;
}

export function isAbort(error: unknown, signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true || (error instanceof Error && error.name === 'AbortError');
}

/** The first line of an error message, bounded: enough for the model, never a stack. */
export function shortMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const line = text.split('\n', 1)[0] ?? '';
  return line.length > 300 ? `${line.slice(0, 300)}...` : line;
}
