import type { IncomingMessage } from 'node:http';
import { classifyInboundRequest, PROTOCOL_VERSION_META_KEY } from '@modelcontextprotocol/server';
import { describe, expect, it } from 'vitest';
import { isPlainModernRequest, servedEra } from '../src/http-fast-path.js';
import { plainToolCall } from '../src/tool-kit/tool-call-message.js';

/**
 * The HTTP fast path decides a plain 2025 tools/call's era itself instead of running the SDK's
 * classifier (whose guards cost a failed zod parse or two per call). Every combination below must
 * get the era the classifier gives it: `legacy` exactly where the SDK says legacy/no-claim (and the
 * stateless transport's gates pass), `modern` where it says a modern request of a served revision,
 * and nothing (the SDK path) otherwise.
 */
const ACCEPT_BOTH = 'application/json, text/event-stream';
const versions = [
  undefined,
  '2025-11-25',
  '2025-06-18',
  '2024-10-07',
  '2026-07-28',
  '2027-01-01',
  'bogus',
  ' 2025-11-25',
];
const metas: Array<Record<string, unknown> | undefined> = [
  undefined,
  {},
  { progressToken: 1 },
  { [PROTOCOL_VERSION_META_KEY]: '2026-07-28' },
  { [PROTOCOL_VERSION_META_KEY]: '2025-11-25' },
  { [PROTOCOL_VERSION_META_KEY]: 7 },
  {
    [PROTOCOL_VERSION_META_KEY]: '2026-07-28',
    'io.modelcontextprotocol/clientCapabilities': {},
    'io.modelcontextprotocol/clientInfo': { name: 'c', version: '1' },
  },
  // The 2026 envelopes the fast path decides without the classifier, and their near misses.
  ...[
    {},
    { elicitation: {} },
    { roots: {}, sampling: {}, experimental: {}, extensions: {} },
    { roots: { listChanged: true } },
    { roots: { listChanged: 'yes' } },
    { sampling: [] },
    { elicitation: { form: { applyDefaults: 'no' } } },
    { tasks: { list: 5 } },
    { somethingNew: 'x' },
    [],
    'none',
  ].map((capabilities) => envelope({ 'io.modelcontextprotocol/clientCapabilities': capabilities })),
  envelope({}, ['io.modelcontextprotocol/clientCapabilities']),
  envelope({}, ['io.modelcontextprotocol/clientInfo']),
  ...[
    { name: 'c', version: '1', title: 'C' },
    { name: 'c' },
    { name: 7, version: '1' },
    { name: 'c', version: '1', title: 3 },
    { name: 'c', version: '1', icons: [{ src: 'https://example.com/i.png' }] },
    { name: 'c', version: '1', icons: 'none' },
    'c',
  ].map((clientInfo) => envelope({ 'io.modelcontextprotocol/clientInfo': clientInfo })),
  envelope({ progressToken: 1 }),
  envelope({ progressToken: {} }),
  envelope({ traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' }),
  envelope({ 'x.example/anything': { deep: [1, 2] } }),
  envelope({ 'io.modelcontextprotocol/logLevel': 'debug' }),
  envelope({ 'io.modelcontextprotocol/logLevel': 'loud' }),
  envelope({ 'io.modelcontextprotocol/related-task': { taskId: 7 } }),
  envelope({ 'io.modelcontextprotocol/somethingNew': 1 }),
  envelope({ [PROTOCOL_VERSION_META_KEY]: '2027-01-01' }),
];

/** A plain 2026-07-28 envelope with `changes` applied and the keys in `without` removed. */
function envelope(changes: Record<string, unknown>, without: string[] = []): Record<string, unknown> {
  const meta: Record<string, unknown> = {
    [PROTOCOL_VERSION_META_KEY]: '2026-07-28',
    'io.modelcontextprotocol/clientInfo': { name: 'c', version: '1' },
    'io.modelcontextprotocol/clientCapabilities': {},
    ...changes,
  };
  for (const key of without) delete meta[key];
  return meta;
}
const methodHeaders = [undefined, 'tools/call', 'tools/list'];

function request(headers: Record<string, string | undefined>): IncomingMessage {
  const clean = Object.fromEntries(Object.entries(headers).filter(([, v]) => v !== undefined));
  return { method: 'POST', headers: clean } as unknown as IncomingMessage;
}

/** What the fast path may serve according to the SDK's own classifier (the code this test guards). */
function byClassifier(req: IncomingMessage, body: unknown): 'legacy' | 'modern' | 'other' {
  const h = req.headers as Record<string, string | undefined>;
  const route = classifyInboundRequest({
    httpMethod: 'POST',
    ...(h['mcp-protocol-version'] !== undefined ? { protocolVersionHeader: h['mcp-protocol-version'] } : {}),
    ...(h['mcp-method'] !== undefined ? { mcpMethodHeader: h['mcp-method'] } : {}),
    ...(h['mcp-name'] !== undefined ? { mcpNameHeader: h['mcp-name'] } : {}),
    body,
  });
  if (route.kind === 'legacy' && route.reason === 'no-claim') return 'legacy';
  if (route.kind === 'modern') return 'modern';
  return 'other';
}

describe('the fast path’s era agrees with the SDK classifier', () => {
  const cases: Array<[string, IncomingMessage, unknown]> = [];
  for (const version of versions)
    for (const meta of metas)
      for (const mcpMethod of methodHeaders) {
        const body = {
          jsonrpc: '2.0',
          id: 1,
          method: 'tools/call',
          params: {
            name: 'get_subscriber',
            arguments: { subscriberId: 's1' },
            ...(meta ? { _meta: meta } : {}),
          },
        };
        const req = request({
          accept: ACCEPT_BOTH,
          'mcp-protocol-version': version,
          'mcp-method': mcpMethod,
          'mcp-name': mcpMethod ? 'get_subscriber' : undefined,
        });
        cases.push([`version ${version} meta ${JSON.stringify(meta)} Mcp-Method ${mcpMethod}`, req, body]);
      }

  it.each(cases)('%s', (label, req, body) => {
    const call = plainToolCall(body);
    // A _meta the SDK's request schema refuses (these cases' progress token {} and taskId 7) is not a
    // plain tool call at all: neither fast path takes it, whatever its era, and the SDK answers it.
    if (/"progressToken":\{\}|"taskId":7/.test(label)) {
      expect(call).toBeUndefined();
      return;
    }
    expect(call).toBeDefined();
    const era = servedEra(req, body, call as NonNullable<typeof call>);
    const sdk = byClassifier(req, body);
    const h = req.headers as Record<string, string | undefined>;
    if (
      isPlainModernRequest(
        call as NonNullable<typeof call>,
        h['mcp-protocol-version'],
        h['mcp-method'],
        h['mcp-name'],
      )
    ) {
      expect(sdk).toBe('modern');
      expect(era).toBe('modern');
    }
    if (era === 'legacy') expect(sdk).toBe('legacy');
    else if (era === 'modern') expect(sdk).toBe('modern');
    // Not served: the SDK either classifies it elsewhere, or a stricter gate of the fast path
    // (exact headers, the full envelope) sends it to the SDK, which then answers it itself.
    else if (sdk === 'legacy') {
      const v = (req.headers as Record<string, string | undefined>)['mcp-protocol-version'];
      expect(v === ' 2025-11-25' || v === 'bogus').toBe(true);
    }
  });

  it('decides the plain 2026 shapes itself, as the classifier would', () => {
    const body = {
      jsonrpc: '2.0',
      id: 'a',
      method: 'tools/call',
      params: { name: 't', arguments: {}, _meta: envelope({}) },
    };
    const call = plainToolCall(body);
    if (!call) throw new Error('not a plain call');
    expect(isPlainModernRequest(call, '2026-07-28', 'tools/call', 't')).toBe(true);
    const req = request({
      accept: ACCEPT_BOTH,
      'mcp-protocol-version': '2026-07-28',
      'mcp-method': 'tools/call',
      'mcp-name': 't',
    });
    expect(servedEra(req, body, call)).toBe('modern');
    expect(byClassifier(req, body)).toBe('modern');
    // A header that disagrees with the body is never decided here.
    expect(isPlainModernRequest(call, '2026-07-28', 'tools/call', 'u')).toBe(false);
    expect(isPlainModernRequest(call, '2026-07-28', 'tools/list', 't')).toBe(false);
    expect(isPlainModernRequest(call, ' 2026-07-28', 'tools/call', 't')).toBe(false);
    expect(isPlainModernRequest(call, undefined, 'tools/call', 't')).toBe(false);
  });

  it('serves the plain 2025 shapes on the fast path', () => {
    const body = { jsonrpc: '2.0', id: 'a', method: 'tools/call', params: { name: 't', arguments: {} } };
    const call = plainToolCall(body);
    if (!call) throw new Error('not a plain call');
    expect(servedEra(request({ accept: ACCEPT_BOTH }), body, call)).toBe('legacy');
    expect(
      servedEra(request({ accept: ACCEPT_BOTH, 'mcp-protocol-version': '2025-11-25' }), body, call),
    ).toBe('legacy');
    // The 2025 stateless transport's own gates still apply.
    expect(servedEra(request({ accept: 'application/json' }), body, call)).toBeUndefined();
    expect(servedEra(request({ accept: ACCEPT_BOTH, 'mcp-session-id': 'x' }), body, call)).toBeUndefined();
  });
});
