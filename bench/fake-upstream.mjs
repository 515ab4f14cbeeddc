// A fake OpenAI-compatible upstream: the fixed point every router path is measured against.
// It does as little work as possible (pre-serialised bodies, no parsing beyond draining the request),
// so what the benchmark sees on top of it is the cost of whatever sits in between.
//
// Library:  startFakeUpstream({ delayMs, chunkIntervalMs }) -> { url, port, close() }
// Child:    node bench/fake-upstream.mjs --upstream-delay-ms=0 --chunk-interval-ms=2
//           prints one JSON line {"port":P} on stdout once listening (the harness reads it).

import http from 'node:http';
import { pathToFileURL } from 'node:url';

const MODEL = 'bench-model';
const CREATED = 1_763_683_200;

/** Non-streaming reply: the same bytes every time. */
const COMPLETION_BODY = JSON.stringify({
  id: 'chatcmpl-bench',
  object: 'chat.completion',
  created: CREATED,
  model: MODEL,
  choices: [
    {
      index: 0,
      message: { role: 'assistant', content: 'Subscriber 4712345678 has 2 active balances.', refusal: null },
      logprobs: null,
      finish_reason: 'stop',
    },
  ],
  usage: { prompt_tokens: 24, completion_tokens: 9, total_tokens: 33 },
});

const STREAM_PIECES = ['Subscriber ', '4712345678 ', 'has 2 ', 'active balances.'];

/** @param {Record<string, unknown>} chunk */
const sseLine = (chunk) => `data: ${JSON.stringify(chunk)}\n\n`;

/** @param {Record<string, unknown>} delta @param {string | null} finish */
const deltaChunk = (delta, finish) => ({
  id: 'chatcmpl-bench',
  object: 'chat.completion.chunk',
  created: CREATED,
  model: MODEL,
  choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
  usage: null,
});

/**
 * The SSE events of one streamed answer, in order: role, text pieces, finish, usage (choices: []), [DONE].
 * Each element is written separately so a gateway that buffers the stream shows TTFT close to the last token.
 */
export const STREAM_EVENTS = [
  sseLine(deltaChunk({ role: 'assistant', content: '' }, null)),
  ...STREAM_PIECES.map((content) => sseLine(deltaChunk({ content }, null))),
  sseLine(deltaChunk({}, 'stop')),
  sseLine({
    id: 'chatcmpl-bench',
    object: 'chat.completion.chunk',
    created: CREATED,
    model: MODEL,
    choices: [],
    usage: { prompt_tokens: 24, completion_tokens: 9, total_tokens: 33 },
  }),
  'data: [DONE]\n\n',
];

/** The assistant text a client should reassemble from the stream (used by the harness to check answers). */
export const STREAM_TEXT = STREAM_PIECES.join('');
export const COMPLETION_TEXT = 'Subscriber 4712345678 has 2 active balances.';

/** @param {number} ms */
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * @typedef {object} FakeUpstreamOptions
 * @property {string} [host] interface to bind; loopback only
 * @property {number} [port] 0 = a free port
 * @property {number} [delayMs] fixed wait before the first response byte (simulates model latency)
 * @property {number} [chunkIntervalMs] wait between streamed events (0 = write them back to back)
 */

/**
 * @typedef {object} FakeUpstream
 * @property {string} url base URL including /v1, e.g. http://127.0.0.1:P/v1
 * @property {number} port
 * @property {() => {requests: number, streams: number}} counters
 * @property {() => Promise<void>} close
 */

/**
 * Starts the fake upstream. Routes: POST /v1/chat/completions (JSON, or SSE when the body says
 * "stream": true), GET /v1/models, GET /health. Anything else is 404 in OpenAI's error shape.
 * @param {FakeUpstreamOptions} [options]
 * @returns {Promise<FakeUpstream>}
 */
export async function startFakeUpstream(options = {}) {
  const host = options.host ?? '127.0.0.1';
  const delayMs = options.delayMs ?? 0;
  const chunkIntervalMs = options.chunkIntervalMs ?? 2;
  let requests = 0;
  let streams = 0;

  const server = http.createServer((req, res) => {
    /** @type {Buffer[]} */
    const parts = [];
    req.on('data', (part) => parts.push(part));
    req.on('end', () => {
      void answer(req, res, Buffer.concat(parts));
    });
  });

  /**
   * @param {http.IncomingMessage} req
   * @param {http.ServerResponse} res
   * @param {Buffer} body
   */
  async function answer(req, res, body) {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && path === '/health') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
      return;
    }
    if (req.method === 'GET' && path === '/v1/models') {
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ object: 'list', data: [{ id: MODEL, object: 'model', owned_by: 'bench' }] }));
      return;
    }
    if (req.method !== 'POST' || path !== '/v1/chat/completions') {
      res.writeHead(404, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          error: { message: 'not found', type: 'invalid_request_error', param: null, code: null },
        }),
      );
      return;
    }
    requests += 1;
    // A substring test instead of JSON.parse keeps the upstream cheap; the bench clients send compact JSON.
    const text = body.toString('utf8');
    const wantsStream = /"stream"\s*:\s*true/.test(text);
    if (delayMs > 0) await sleep(delayMs);
    if (!wantsStream) {
      res.writeHead(200, {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(COMPLETION_BODY),
      });
      res.end(COMPLETION_BODY);
      return;
    }
    streams += 1;
    res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
    });
    for (const event of STREAM_EVENTS) {
      if (res.destroyed) return;
      res.write(event);
      if (chunkIntervalMs > 0) await sleep(chunkIntervalMs);
    }
    res.end();
  }

  server.keepAliveTimeout = 60_000;
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve(undefined));
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('fake upstream has no TCP address');
  const port = address.port;
  return {
    url: `http://${host}:${port}/v1`,
    port,
    counters: () => ({ requests, streams }),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Reads `--name=value` or `--name value` flags.
 * @param {string[]} argv
 * @param {string} name
 * @param {number} fallback
 */
function numberFlag(argv, name, fallback) {
  const index = argv.findIndex((arg) => arg === `--${name}` || arg.startsWith(`--${name}=`));
  if (index === -1) return fallback;
  const arg = argv[index] ?? '';
  const raw = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[index + 1];
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} must be a non-negative number`);
  return value;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const argv = process.argv.slice(2);
  const upstream = await startFakeUpstream({
    port: numberFlag(argv, 'port', 0),
    delayMs: numberFlag(argv, 'upstream-delay-ms', 0),
    chunkIntervalMs: numberFlag(argv, 'chunk-interval-ms', 2),
  });
  process.stdout.write(`${JSON.stringify({ port: upstream.port, url: upstream.url })}\n`);
  const stop = () => {
    void upstream.close().then(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
