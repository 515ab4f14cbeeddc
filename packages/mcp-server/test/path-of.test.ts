import { describe, expect, it } from 'vitest';
import { pathOf } from '../src/http.js';

// The HTTP server routes on pathOf(req.url) instead of building a URL per request; it must route
// every request target exactly as `new URL(target, base).pathname` would.
const targets = [
  '/mcp',
  '/mcp?x=1',
  '/mcp#f',
  '/mcp/',
  '/healthz',
  '/metrics?name[]=a',
  '/a/../mcp',
  '/./mcp',
  '/mcp/.',
  '//mcp',
  '//evil.example/mcp',
  '/m%63p',
  '/mcp%3Fx',
  '/\\mcp',
  '/m cp',
  '/mcp\u00e9',
  'http://localhost/mcp',
  'http://example.com:8080/healthz?x',
  '*',
  '',
  '/.well-known/oauth-protected-resource/mcp',
  '/.well-known/../mcp',
  '/%2e%2e/mcp',
  '/mcp?/../x',
];

describe('pathOf', () => {
  it.each(targets)('routes %j as the URL parser would', (target) => {
    expect(pathOf(target)).toBe(new URL(target || '/', 'http://localhost').pathname);
  });
  it('treats a missing target as /', () => expect(pathOf(undefined)).toBe('/'));
});
