import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestRouter } from './support/test-router.js';

describe('operator console at /console', () => {
  const dir = mkdtempSync(join(tmpdir(), 'console-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>OCS console</title>');
  writeFileSync(join(dir, 'assets', 'index-Ab12Cd34.js'), 'console.log(1)');
  writeFileSync(join(dir, '..', 'secret.txt'), 'not for the web');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const { app } = createTestRouter({ env: { ROUTER_API_KEYS: 'k1' }, consoleDir: dir });

  it('redirects /console to /console/ and serves index.html there, without an API key', async () => {
    const redirect = await app.request('/console');
    expect(redirect.status).toBe(308);
    expect(redirect.headers.get('location')).toBe('/console/');
    const page = await app.request('/console/');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(await page.text()).toContain('OCS console');
  });

  it('serves hashed assets as immutable, with their content type', async () => {
    const asset = await app.request('/console/assets/index-Ab12Cd34.js');
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toContain('text/javascript');
    expect(asset.headers.get('cache-control')).toContain('immutable');
  });

  it('never serves a file outside the console folder', async () => {
    for (const path of ['/console/../secret.txt', '/console/%2e%2e/secret.txt', '/console/..%2fsecret.txt']) {
      const response = await app.request(path);
      // A plain ../ is normalised away by URL parsing (/secret.txt, behind the key); encoded ones reach us.
      expect([401, 404], path).toContain(response.status);
      expect(await response.text()).not.toContain('not for the web');
    }
  });

  it('answers 404 for a missing file, and says how to build when the console is missing', async () => {
    expect((await app.request('/console/nope.js')).status).toBe(404);
    const empty = mkdtempSync(join(tmpdir(), 'console-empty-'));
    const unbuilt = createTestRouter({ consoleDir: empty }).app;
    const response = await unbuilt.request('/console/');
    expect(response.status).toBe(404);
    expect(await response.text()).toContain('npm run build');
    rmSync(empty, { recursive: true, force: true });
  });

  it('keeps the API itself behind the key', async () => {
    expect((await app.request('/v1/models')).status).toBe(401);
  });
});
