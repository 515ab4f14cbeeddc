import { Writable } from 'node:stream';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { type RunningEmulator, startEmulator } from '@ocsai/emulator';
import { closeRuntime, loadMcpConfig, type McpHttpServerHandle, startMcpHttpServer } from '@ocsai/mcp-server';
import { REDACT_PATHS, startRouter } from '@ocsai/router';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getRuntime } from '../../packages/mcp-server/src/runtime.js';
import {
  FAKE_KEYS,
  type FakeServer,
  providerEnvFor,
  startFakeAnthropic,
  startFakeOpenAI,
} from '../../packages/router/test/fakes/index.js';

const SECRETS = {
  routerKey: 'rk-secret-router-key-0123456789',
  mcpToken: 'mcp-secret-bearer-token-0123456789',
  ocsKey: 'ocs-secret-api-key-0123456789',
  confirmation: 'confirmation-secret-0123456789abcdef',
  ...FAKE_KEYS,
};

/** A pino logger at trace level writing into `lines`. */
function capture(lines: string[], redact?: string[]) {
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return pino({ level: 'trace', ...(redact && { redact: { paths: redact, censor: '[redacted]' } }) }, sink);
}

const lines = { router: [] as string[], mcp: [] as string[], emulator: [] as string[] };
let openai: FakeServer;
let anthropic: FakeServer;
let emulator: RunningEmulator;
let mcp: McpHttpServerHandle;
let router: Awaited<ReturnType<typeof startRouter>>;
let mcpConfig: ReturnType<typeof loadMcpConfig> & { host: string; port: number };

beforeAll(async () => {
  [openai, anthropic] = await Promise.all([startFakeOpenAI(), startFakeAnthropic()]);
  emulator = await startEmulator({
    port: 0,
    db: ':memory:',
    apiKey: SECRETS.ocsKey,
    logger: capture(lines.emulator, ['req.headers["x-api-key"]']),
  });
  mcpConfig = {
    ...loadMcpConfig({
      OCS_API_URL: emulator.url,
      OCS_API_KEY: SECRETS.ocsKey,
      MCP_AUTH_TOKENS: SECRETS.mcpToken,
      MCP_CONFIRMATION_SECRET: SECRETS.confirmation,
      LOG_LEVEL: 'trace',
    }),
    host: '127.0.0.1',
    port: 0,
  };
  getRuntime(mcpConfig, capture(lines.mcp));
  mcp = await startMcpHttpServer(mcpConfig);
  router = await startRouter({
    env: {
      ...providerEnvFor('openai', openai),
      ...providerEnvFor('anthropic', anthropic),
      LLM_PROVIDER: 'openai',
      ROUTER_STORE: 'memory',
      ROUTER_API_KEYS: SECRETS.routerKey,
      LLM_FALLBACKS: 'anthropic:claude-fake',
      LLM_RETRY_BASE_MS: '1',
      LOG_LEVEL: 'trace',
    },
    port: 0,
    logger: capture(lines.router, [...REDACT_PATHS]),
  });
});
afterAll(async () => {
  await router.close();
  await mcp.close();
  await closeRuntime(mcpConfig);
  await emulator.close();
  await Promise.all([openai.close(), anthropic.close()]);
});

describe('secrets never reach the logs', () => {
  it('while requests carry every configured key, including failures and fallbacks', async () => {
    const auth = { authorization: `Bearer ${SECRETS.routerKey}`, 'content-type': 'application/json' };
    openai.setScript([
      { text: 'fine' },
      { error: { status: 401 } },
      { error: { status: 500 } },
      { error: { status: 500 } },
      { error: { status: 500 } },
    ]);
    anthropic.setScript(() => ({ text: 'fallback' }));
    for (let i = 0; i < 3; i++) {
      await fetch(`${router.url}/ask`, {
        method: 'POST',
        headers: auth,
        body: JSON.stringify({ message: 'hi', stream: i === 2 }),
      }).then((r) => r.text());
    }
    await fetch(`${router.url}/ask`, {
      method: 'POST',
      headers: { 'x-api-key': SECRETS.routerKey },
      body: '{bad json',
    });

    const client = new Client({ name: 'secrets', version: '1' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(mcp.url), {
        requestInit: { headers: { authorization: `Bearer ${SECRETS.mcpToken}` } },
      }),
    );
    await client.callTool({ name: 'create_subscriber', arguments: { msisdn: '4791234567890' } });
    await client.callTool({ name: 'get_subscriber', arguments: { subscriberId: 'does-not-exist' } });
    await client.callTool({ name: 'delete_subscriber', arguments: { subscriberId: 'does-not-exist' } });
    await client.close();
    await fetch(`${emulator.url}/offers`, { headers: { 'x-api-key': SECRETS.ocsKey } });
    await fetch(`${emulator.url}/offers`, { headers: { 'x-api-key': 'wrong' } });

    for (const [service, logged] of Object.entries(lines)) {
      expect(logged.length, `${service} logged nothing: the test would prove nothing`).toBeGreaterThan(0);
      const text = logged.join('');
      for (const [name, secret] of Object.entries(SECRETS))
        expect(text.includes(secret), `${name} in ${service} logs`).toBe(false);
    }
    console.log(
      `secrets scan: router ${lines.router.length}, mcp ${lines.mcp.length}, emulator ${lines.emulator.length} log lines, 0 secrets`,
    );
  });
});
