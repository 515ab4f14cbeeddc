#!/usr/bin/env node
// `npm start`: the whole stack on embedded defaults, in one process tree: the OCS emulator (SQLite),
// the OCS MCP server over Streamable HTTP, and the router wired to it through ./mcp.json.
import { existsSync } from 'node:fs';

if (existsSync('.env')) process.loadEnvFile('.env'); // real environment variables win

const env = process.env;
const host = '127.0.0.1';
const emulatorPort = Number(env.OCS_EMULATOR_PORT ?? 8080);
const mcpPort = Number(env.MCP_HTTP_PORT ?? 3001);
const routerPort = Number(env.ROUTER_PORT ?? 8000);

const { startEmulator } = await import('@ocsai/emulator');
const { startMcpHttpServer, loadMcpConfig } = await import('@ocsai/mcp-server');
const { startRouter } = await import('@ocsai/router');

const running = [];
async function stopAll(code) {
  for (const service of running.reverse()) await service.close().catch(() => {});
  process.exit(code);
}
process.once('SIGINT', () => stopAll(0));
process.once('SIGTERM', () => stopAll(0));

try {
  const emulator = await startEmulator({
    host: env.OCS_EMULATOR_HOST ?? host,
    port: emulatorPort,
    db: env.OCS_EMULATOR_DB ?? './data/ocs-emulator.sqlite',
    apiKey: env.OCS_EMULATOR_API_KEY || undefined,
  });
  running.push(emulator);

  const ocsApiUrl = env.OCS_API_URL ?? env.OCS_API_BASE_URL ?? emulator.url;
  const mcpConfig = loadMcpConfig({
    ...env,
    OCS_API_URL: ocsApiUrl,
    OCS_API_KEY: env.OCS_API_KEY ?? env.OCS_EMULATOR_API_KEY,
  });
  const mcp = await startMcpHttpServer({ ...mcpConfig, host: env.MCP_HTTP_HOST ?? host, port: mcpPort });
  running.push(mcp);

  const router = await startRouter({
    env: { ...env, MCP_CONFIG: env.MCP_CONFIG ?? './mcp.json' },
    port: routerPort,
  });
  running.push(router);

  const provider = env.LLM_PROVIDER ?? 'ollama';
  process.stderr.write(`
OCS AI stack is up.

  OCS emulator   ${emulator.url}   (API reference: ${emulator.url}/docs)
  OCS MCP server ${mcp.url}
  Router         ${router.url}   (POST /ask, /v1/chat/completions, /console)

Next steps:
  curl -s ${emulator.url}/offers
  curl -s ${router.url}/health
  curl -s ${router.url}/ask -H 'content-type: application/json' -d '{"message":"List the prepaid offers"}'
      (LLM provider: ${provider}; set LLM_PROVIDER and its key in .env, see .env.example)
  npm run demo        a scripted provisioning session through the MCP tools, no LLM needed

Ctrl+C stops everything.
`);
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`npm start failed: ${message}\n`);
  if (/EADDRINUSE/.test(message))
    process.stderr.write('A port is in use: set OCS_EMULATOR_PORT, MCP_HTTP_PORT or ROUTER_PORT.\n');
  await stopAll(1);
}
