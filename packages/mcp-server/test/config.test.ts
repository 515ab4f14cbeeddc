import { describe, expect, it } from 'vitest';
import { ConfigError, loadMcpConfig, mcpEnvSchema } from '../src/config.js';

describe('configuration from the environment', () => {
  it('applies the documented defaults', () => {
    const c = loadMcpConfig({});
    expect(c).toMatchObject({
      ocsApiUrl: 'http://127.0.0.1:8080/ocs/prov/v1',
      ocsApiKey: undefined,
      ocsApiTimeoutMs: 30_000,
      readOnly: false,
      toolsets: ['subscriber', 'subscription', 'balance', 'history', 'offers'],
      httpHost: '127.0.0.1',
      httpPort: 3001,
      authTokens: [],
      allowedOrigins: [],
      allowedHosts: [],
      logLevel: 'info',
    });
    expect(c.confirmationSecret).toHaveLength(64);
    expect(loadMcpConfig({}).confirmationSecret).not.toBe(c.confirmationSecret);
  });

  it('reads every variable and accepts the OCS_API_BASE_URL alias', () => {
    const c = loadMcpConfig({
      OCS_API_BASE_URL: 'https://ocs.example.com/ocs/prov/v1/',
      OCS_API_KEY: 'k',
      OCS_API_TIMEOUT: '2.5',
      OCS_MCP_READ_ONLY: 'YES',
      OCS_MCP_TOOLSETS: 'Offers, balance,offers',
      MCP_HTTP_HOST: '0.0.0.0',
      MCP_HTTP_PORT: '0',
      MCP_AUTH_TOKENS: 'a, b,,',
      MCP_ALLOWED_ORIGINS: 'app.example.com',
      MCP_ALLOWED_HOSTS: 'mcp.example.com',
      MCP_CONFIRMATION_SECRET: 's'.repeat(32),
      LOG_LEVEL: 'silent',
      OCS_OFFERS_FILE: '/tmp/offers.json',
    });
    expect(c).toMatchObject({
      ocsApiUrl: 'https://ocs.example.com/ocs/prov/v1',
      ocsApiTimeoutMs: 2500,
      readOnly: true,
      toolsets: ['offers', 'balance'],
      httpPort: 0,
      authTokens: ['a', 'b'],
      allowedOrigins: ['app.example.com'],
      allowedHosts: ['mcp.example.com'],
      confirmationSecret: 's'.repeat(32),
      offersFile: '/tmp/offers.json',
    });
    expect(loadMcpConfig({ OCS_API_URL: 'http://a:1/x', OCS_API_BASE_URL: 'http://b:2/y' }).ocsApiUrl).toBe(
      'http://a:1/x',
    );
  });

  it('names every bad variable and never echoes secret values', () => {
    const bad = () =>
      loadMcpConfig({
        OCS_API_URL: 'ftp://nope',
        OCS_MCP_READ_ONLY: 'maybe',
        OCS_MCP_TOOLSETS: 'billing',
        MCP_CONFIRMATION_SECRET: 'short-secret-value',
        LOG_LEVEL: 'loud',
      });
    expect(bad).toThrow(ConfigError);
    try {
      bad();
    } catch (e) {
      const msg = (e as Error).message;
      for (const name of [
        'OCS_API_URL',
        'OCS_MCP_READ_ONLY',
        'OCS_MCP_TOOLSETS',
        'MCP_CONFIRMATION_SECRET',
        'LOG_LEVEL',
      ])
        expect(msg).toContain(name);
      expect(msg).toMatch(/unknown toolset\(s\) billing/);
      expect(msg).not.toContain('short-secret-value');
    }
    expect(() => loadMcpConfig({ OCS_MCP_TOOLSETS: ' , ' })).toThrow(/must name at least one/);
  });

  it('describes every variable for the README and .env.example generators', () => {
    for (const [name, schema] of Object.entries(mcpEnvSchema.shape))
      expect(schema.description, name).toMatch(/\w{3,}/);
  });
});
