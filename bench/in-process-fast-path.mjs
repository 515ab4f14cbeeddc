// ocs-mcp's HTTP fast path driven in-process, for the scripts that price the server's own JavaScript per call
// (mcp-in-process.mjs, state-store-memory.mjs): a built runtime whose OCS client answers from memory, and
// serve() called on a parsed JSON-RPC body with a fake response that keeps what was written.

import { EventEmitter } from 'node:events';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/** What serve() writes to: the status line is dropped, the body kept. */
class FakeResponse extends EventEmitter {
  body = '';
  writeHead() {
    return this;
  }
  /** @param {string} body */
  end(body) {
    this.body = body;
  }
}

/** The headers of a plain 2025-11-25 tools/call POST. */
const HEADERS = {
  'content-type': 'application/json',
  accept: 'application/json, text/event-stream',
  'mcp-protocol-version': '2025-11-25',
};

/**
 * @param {string} dist a packages/mcp-server/dist directory
 * @param {Record<string, string>} env configuration beside the fixed OCS URL and the in-process state
 * @param {{status: number, body: Record<string, unknown>}} answer what every OCS call answers (a copy each time)
 * @returns {Promise<(message: Record<string, unknown>) => Promise<string>>} serves one JSON-RPC message and
 *   resolves with the response body; rejects when the fast path did not take it
 */
export async function inProcessFastPath(dist, env, answer) {
  const at = (/** @type {string} */ file) => pathToFileURL(path.join(dist, file)).href;
  const { loadMcpConfig } = await import(at('config.js'));
  const { getRuntime } = await import(at('runtime.js'));
  const { createToolCallFastPath } = await import(at('http-fast-path.js'));
  const runtime = getRuntime(
    loadMcpConfig({ OCS_API_URL: 'http://127.0.0.1:9/ocs/prov/v1', MCP_STATE_FILE: ':memory:', ...env }),
  );
  runtime.http.request = async () => ({ status: answer.status, body: structuredClone(answer.body) });
  const fastPath = createToolCallFastPath(runtime);
  return async (message) => {
    const res = new FakeResponse();
    if (!(await fastPath.serve({ method: 'POST', headers: HEADERS }, res, message, undefined)))
      throw new Error(`${JSON.stringify(message).slice(0, 200)} was not answered on the fast path`);
    return res.body;
  };
}
