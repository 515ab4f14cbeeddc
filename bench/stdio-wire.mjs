// A minimal MCP client over stdio for the load generator: newline-delimited JSON-RPC written to a
// spawned server's stdin and read from its stdout, replies matched by id. It does what every stdio
// client must and nothing more (no schema validation, no capability bookkeeping), so that a row
// measured with it shows the server's cost of a call rather than the SDK client's, which runs in the
// load generator's own process and shares its CPU with everything else the bench drives.

import { spawn } from 'node:child_process';

/** The revisions this client speaks: the handshake era, and the per-request-envelope era. */
export const STDIO_ERAS = /** @type {const} */ (['2025-11-25', '2026-07-28']);

/** @typedef {(typeof STDIO_ERAS)[number]} StdioEra */

/**
 * @typedef {object} StdioWireOptions
 * @property {string} command
 * @property {string[]} [args]
 * @property {Record<string, string>} [env] the whole environment of the server (nothing is inherited)
 * @property {string} [cwd]
 * @property {StdioEra} [era] default 2025-11-25
 * @property {'ignore' | 'inherit'} [stderr] the server's stderr (default ignore)
 */

/**
 * @typedef {object} StdioWire
 * @property {number} pid the server's process id (for its CPU time and RSS)
 * @property {StdioEra} era
 * @property {(name: string, args?: Record<string, unknown>) => Promise<Record<string, unknown>>} call
 *   tools/call; resolves with the result, rejects on a JSON-RPC error, an isError result, or (2026-07-28)
 *   a result that is not `complete`
 * @property {(method: string, params?: Record<string, unknown>) => Promise<Record<string, unknown>>} request
 *   any request; resolves with its result, rejects on a JSON-RPC error
 * @property {() => Promise<void>} close closes stdin, then waits for the server to exit (SIGKILL after 5 s)
 */

const CLIENT_INFO = { name: 'ocs-bench-stdio-wire', version: '1.0.0' };

/** Thrown for a JSON-RPC error answer or a tool result with isError. */
export class StdioWireError extends Error {
  /**
   * @param {string} message
   * @param {unknown} answer the message as received
   */
  constructor(message, answer) {
    super(message);
    this.name = 'StdioWireError';
    this.answer = answer;
  }
}

/**
 * Spawns the server and opens an MCP connection in `era`: for 2025-11-25 the initialize request and
 * `notifications/initialized`; for 2026-07-28 no handshake, every request carries the
 * `io.modelcontextprotocol/*` envelope in `_meta` (protocol version, client info and capabilities),
 * which is what the SDK client sends in that era over stdio.
 * @param {StdioWireOptions} options
 * @returns {Promise<StdioWire>}
 */
export async function startStdioWire(options) {
  const era = options.era ?? '2025-11-25';
  if (!STDIO_ERAS.includes(era)) throw new Error(`startStdioWire: unknown era ${era}`);
  const child = spawn(options.command, options.args ?? [], {
    cwd: options.cwd,
    env: options.env ?? {},
    stdio: ['pipe', 'pipe', options.stderr ?? 'ignore'],
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`startStdioWire: ${options.command} did not start`);

  /** @type {Map<number, {resolve: (message: Record<string, unknown>) => void, reject: (error: Error) => void}>} */
  const waiting = new Map();
  let nextId = 1;
  /** @type {Error | undefined} */
  let ended;
  /** @param {Error} error */
  const failAll = (error) => {
    ended ??= error;
    for (const pending of waiting.values()) pending.reject(error);
    waiting.clear();
  };
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.once('exit', (code, signal) =>
    failAll(new Error(`the stdio server exited (${signal ?? `code ${code}`}) with requests in flight`)),
  );
  child.once('error', (error) => failAll(error));
  child.stdin.on('error', (error) => failAll(error));

  // Newline-delimited: a reply can span chunks, and a chunk can hold several replies.
  /** @type {Buffer[]} */
  let partial = [];
  child.stdout.on('data', (/** @type {Buffer} */ chunk) => {
    let start = 0;
    let newline = chunk.indexOf(10);
    while (newline !== -1) {
      const piece = chunk.subarray(start, newline);
      const line =
        partial.length > 0 ? Buffer.concat([...partial, piece]).toString('utf8') : piece.toString('utf8');
      partial = [];
      if (line.trim() !== '') receive(line);
      start = newline + 1;
      newline = chunk.indexOf(10, start);
    }
    if (start < chunk.length) partial.push(chunk.subarray(start));
  });

  /** @param {string} line */
  const receive = (line) => {
    /** @type {Record<string, unknown>} */
    let message;
    try {
      message = JSON.parse(line);
    } catch {
      failAll(new Error(`the stdio server wrote a line that is not JSON: ${line.slice(0, 200)}`));
      return;
    }
    // Server-to-client requests and notifications (logging, list_changed) are not answers: skipped.
    if (!('id' in message) || 'method' in message) return;
    const pending = waiting.get(/** @type {number} */ (message.id));
    if (!pending) return;
    waiting.delete(/** @type {number} */ (message.id));
    pending.resolve(message);
  };

  /**
   * @param {Record<string, unknown>} message
   */
  const write = (message) => {
    child.stdin.write(`${JSON.stringify(message)}\n`);
  };

  /**
   * @param {string} method
   * @param {Record<string, unknown> | undefined} params
   * @returns {Promise<Record<string, unknown>>}
   */
  const request = (method, params) => {
    if (ended) return Promise.reject(ended);
    const id = nextId++;
    const envelope =
      era === '2026-07-28'
        ? {
            ...params,
            _meta: {
              .../** @type {Record<string, unknown> | undefined} */ (params?._meta),
              'io.modelcontextprotocol/protocolVersion': era,
              'io.modelcontextprotocol/clientInfo': CLIENT_INFO,
              'io.modelcontextprotocol/clientCapabilities': {},
            },
          }
        : params;
    return new Promise((resolve, reject) => {
      waiting.set(id, {
        resolve: (answer) => {
          if (answer.error !== undefined) {
            const error = /** @type {{code?: unknown, message?: unknown}} */ (answer.error);
            reject(new StdioWireError(`${method}: JSON-RPC error ${error.code}: ${error.message}`, answer));
          } else resolve(/** @type {Record<string, unknown>} */ (answer.result));
        },
        reject,
      });
      write({ jsonrpc: '2.0', id, method, ...(envelope !== undefined ? { params: envelope } : {}) });
    });
  };

  if (era === '2025-11-25') {
    try {
      const init = await request('initialize', {
        protocolVersion: era,
        capabilities: {},
        clientInfo: CLIENT_INFO,
      });
      if (init.protocolVersion !== era)
        throw new Error(
          `the server answered initialize with protocol ${String(init.protocolVersion)}, not ${era}`,
        );
    } catch (error) {
      child.kill('SIGKILL');
      throw error;
    }
    write({ jsonrpc: '2.0', method: 'notifications/initialized' });
  }

  return {
    pid,
    era,
    request,
    call: async (name, args) => {
      const result = await request('tools/call', { name, arguments: args ?? {} });
      if (result.isError === true) {
        const content = /** @type {Array<{text?: unknown}> | undefined} */ (result.content);
        throw new StdioWireError(
          `${name} returned isError: ${String(content?.[0]?.text ?? '').slice(0, 200)}`,
          result,
        );
      }
      if (era === '2026-07-28' && result.resultType !== 'complete')
        throw new StdioWireError(
          `${name} returned resultType ${String(result.resultType)}, not complete`,
          result,
        );
      return result;
    },
    close: async () => {
      child.stdin.end();
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
