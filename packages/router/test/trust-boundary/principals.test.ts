import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hashApiKey, loadKeysFile, loadKeysFileParser } from '../../src/admission/index.js';
import { loadRouterConfig } from '../../src/config.js';
import { startRouter } from '../../src/index.js';
import { writeKeysFile } from '../support/principals.js';
import { captureLogs, createTestRouter, json } from '../support/test-router.js';

const dir = mkdtempSync(join(tmpdir(), 'router-principals-'));
const DEFAULTS = { providers: ['openai' as const, 'anthropic' as const] };

describe('ROUTER_KEYS_FILE', () => {
  it('reads YAML, keeps only hashes, and defaults users to the principal namespace and providers to the enabled ones', async () => {
    const file = join(dir, 'keys.yaml');
    writeFileSync(
      file,
      [
        'principals:',
        '  - id: care-desk',
        '    name: Care desk',
        `    key_sha256: ["${hashApiKey('k-care').toUpperCase()}"]`,
        '    roles: [agent]',
        '    rate_limits: { rpm: 30 }',
      ].join('\n'),
    );
    await loadKeysFileParser(file);
    const [entry] = loadKeysFile(file, DEFAULTS);
    expect(entry?.hashes).toEqual([hashApiKey('k-care')]);
    expect(entry?.principal).toEqual({
      id: 'care-desk',
      name: 'Care desk',
      roles: ['agent'],
      users: ['care-desk:*'],
      providers: ['openai', 'anthropic'],
      models: ['*'],
      rateLimits: { rpm: 30 },
      source: 'keys_file',
    });
  });

  it.each([
    [{ principals: [{ id: 'a', key_sha256: ['abc'] }] }, 'principals.0.key_sha256.0'],
    [{ principals: [{ id: 'a b', key_sha256: [hashApiKey('x')] }] }, 'principals.0.id'],
    [{ principals: [{ id: 'a', key_sha256: [hashApiKey('x')], role: 'admin' }] }, 'role'],
    [
      {
        principals: [
          { id: 'a', key_sha256: [hashApiKey('x')] },
          { id: 'a', key_sha256: [hashApiKey('y')] },
        ],
      },
      'principals.1.id: duplicate id',
    ],
    [
      {
        principals: [
          { id: 'a', key_sha256: [hashApiKey('x')] },
          { id: 'b', key_sha256: [hashApiKey('x')] },
        ],
      },
      'also listed for principal a',
    ],
    [{ principals: [{ id: 'a', key_sha256: [hashApiKey('x')], providers: ['gemini'] }] }, 'providers.0'],
  ])('refuses a bad file, naming the field (%#)', (content, named) => {
    const file = join(dir, `bad-${Math.random()}.json`);
    writeFileSync(file, JSON.stringify(content));
    expect(() => loadKeysFile(file, DEFAULTS)).toThrow(named);
  });

  it('is not combinable with ROUTER_API_KEYS, and OIDC needs an audience', () => {
    expect(() => loadRouterConfig({ ROUTER_KEYS_FILE: '/x.json', ROUTER_API_KEYS: 'k' })).toThrow(
      /cannot be combined with ROUTER_API_KEYS[^\n]*\n\s*→ at ROUTER_KEYS_FILE/,
    );
    expect(() => loadRouterConfig({ ROUTER_OIDC_ISSUER: 'https://idp.example' })).toThrow(
      /required with ROUTER_OIDC_ISSUER[^\n]*\n\s*→ at ROUTER_OIDC_AUDIENCE/,
    );
  });

  it('a keys file makes a non-loopback bind acceptable; without credentials start-up refuses', async () => {
    await expect(
      startRouter({
        env: { ROUTER_STORE: 'memory', MCP_CONFIG: 'none' },
        host: '0.0.0.0',
        port: 0,
        logger: false,
      }),
    ).rejects.toThrow(/ROUTER_KEYS_FILE/);
  });
});

describe('keyless loopback development', () => {
  it('is one explicit principal "local", announced by a warning at start-up', async () => {
    const { logger, lines } = captureLogs('info');
    const router = await startRouter({
      env: { ROUTER_STORE: 'memory', MCP_CONFIG: 'none', ROUTER_DEFAULT_ROLES: 'agent' },
      port: 0,
      logger,
    });
    try {
      const warning = lines
        .map((line) => JSON.parse(line) as Record<string, unknown>)
        .find((l) => l.level === 40);
      expect(warning).toMatchObject({ principal: 'local', roles: ['agent'] });
      expect(String(warning?.msg)).toContain('no credentials configured');
      const whoami = await fetch(`${router.url}/whoami`);
      expect(await whoami.json()).toMatchObject({ id: 'local', users: ['*'], source: 'local' });
    } finally {
      await router.close();
    }
  });
});

describe('per-principal limits and models', () => {
  const keys = writeKeysFile(
    [
      { id: 'slow', keys: ['k-slow'], rate_limits: { rpm: 1 } },
      { id: 'fast', keys: ['k-fast'], models: ['gpt-4o*'] },
      { id: 'claude-only', keys: ['k-claude'], providers: ['anthropic'] },
    ],
    mkdtempSync(join(tmpdir(), 'router-principals-')),
  );
  const { app } = createTestRouter({ env: { ROUTER_KEYS_FILE: keys, ROUTER_RATE_LIMIT_RPM: '100' } });
  const as = (key: string, body: unknown = { message: 'hi' }) =>
    app.request('/ask', json(body, { authorization: `Bearer ${key}` }));

  it("a principal's own rate_limits win over ROUTER_RATE_LIMIT_RPM, for that principal only", async () => {
    const remaining = 60_000 - (Date.now() % 60_000);
    if (remaining < 3000) await new Promise((resolve) => setTimeout(resolve, remaining + 50));
    expect((await as('k-slow')).status).toBe(200);
    const limited = await as('k-slow');
    expect(limited.status).toBe(429);
    expect(await limited.text()).toContain('principal slow');
    expect((await as('k-fast', { message: 'hi', model: 'gpt-4o' })).status).toBe(200);
  });

  it('/v1/models lists only the providers and models the principal may use', async () => {
    const list = async (key: string) =>
      (
        (await (await app.request('/v1/models', { headers: { authorization: `Bearer ${key}` } })).json()) as {
          data: { owned_by: string }[];
        }
      ).data.map((model) => model.owned_by);
    expect(await list('k-claude')).toEqual(['anthropic']);
    // Its models (gpt-4o*) match none of the providers' default models here.
    expect(await list('k-fast')).toEqual([]);
  });

  it('a model outside the principal models patterns is 403 naming the allowed ones', async () => {
    const refused = await as('k-fast', { message: 'hi', model: 'gpt-5' });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({
      error: { type: 'model_not_allowed', message: expect.stringContaining('allowed models: gpt-4o*') },
    });
    expect((await as('k-fast', { message: 'hi', model: 'gpt-4o-mini' })).status).toBe(200);
    // The provider's default model counts too: a request naming no model gets no way around the list.
    expect((await as('k-fast')).status).toBe(403);
  });
});
