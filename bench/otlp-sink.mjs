// A minimal OTLP/HTTP trace receiver for the tracing scenario: answers every POST /v1/traces with 200 and
// counts the spans per service.name, so a traced run is known to have exported what it measured. It keeps
// nothing else: the cost of tracing is measured in the service, not in a collector.

import { createServer } from 'node:http';
import { gunzipSync } from 'node:zlib';

/**
 * @typedef {object} OtlpSink
 * @property {string} endpoint base URL for OTEL_EXPORTER_OTLP_ENDPOINT (the exporter appends /v1/traces)
 * @property {(serviceName: string) => number} spans spans received so far from that service
 * @property {() => number} exports export requests received
 * @property {() => number} rejected requests that were not OTLP/JSON traces (answered 400)
 * @property {() => Promise<void>} close
 */

/**
 * Spans per service.name in one OTLP/JSON ExportTraceServiceRequest.
 * @param {unknown} request
 * @returns {Map<string, number>}
 */
export function countSpans(request) {
  /** @type {Map<string, number>} */
  const counts = new Map();
  const resourceSpans = /** @type {any} */ (request)?.resourceSpans;
  if (!Array.isArray(resourceSpans)) throw new Error('not an ExportTraceServiceRequest: no resourceSpans');
  for (const rs of resourceSpans) {
    const attributes = Array.isArray(rs?.resource?.attributes) ? rs.resource.attributes : [];
    const name = attributes.find((/** @type {any} */ a) => a?.key === 'service.name')?.value?.stringValue;
    let spans = 0;
    for (const ss of Array.isArray(rs?.scopeSpans) ? rs.scopeSpans : [])
      spans += Array.isArray(ss?.spans) ? ss.spans.length : 0;
    const key = typeof name === 'string' ? name : '(no service.name)';
    counts.set(key, (counts.get(key) ?? 0) + spans);
  }
  return counts;
}

/** @returns {Promise<OtlpSink>} */
export async function startOtlpSink() {
  /** @type {Map<string, number>} */
  const totals = new Map();
  let exports = 0;
  let rejected = 0;
  const server = createServer((req, res) => {
    /** @type {Buffer[]} */
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      try {
        if (req.method !== 'POST' || req.url !== '/v1/traces') throw new Error('not POST /v1/traces');
        const raw = Buffer.concat(chunks);
        const body = req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
        for (const [name, count] of countSpans(JSON.parse(body.toString('utf8'))))
          totals.set(name, (totals.get(name) ?? 0) + count);
        exports += 1;
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      } catch {
        rejected += 1;
        res.writeHead(400).end();
      }
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    spans: (serviceName) => totals.get(serviceName) ?? 0,
    exports: () => exports,
    rejected: () => rejected,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
