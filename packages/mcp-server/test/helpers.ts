import { Client } from '@modelcontextprotocol/client';
import { InMemoryTransport } from '@modelcontextprotocol/server';
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import { startEmulator } from '@ocsai/emulator';
import { expect } from 'vitest';
import { loadMcpConfig, type McpConfig } from '../src/config.js';
import { createOcsMcpServer } from '../src/server.js';

export const TEST_SECRET = 'test-confirmation-secret-0123456789abcdef';

export function startTestEmulator(fidelity: 'friendly' | 'strict' = 'friendly', apiKey?: string) {
  return startEmulator({ port: 0, db: ':memory:', logger: false, fidelity, ...(apiKey ? { apiKey } : {}) });
}

export function testConfig(ocsUrl: string, env: Record<string, string> = {}): McpConfig {
  return loadMcpConfig({
    OCS_API_URL: ocsUrl,
    LOG_LEVEL: 'silent',
    MCP_CONFIRMATION_SECRET: TEST_SECRET,
    MCP_STATE_FILE: ':memory:',
    OCS_API_TIMEOUT: '5',
    ...env,
  });
}

export type Era = 'legacy' | 'modern';
export type ElicitAnswer = 'accept' | 'decline' | 'none';

/** A real SDK v2 client connected in-process, in the given protocol era. */
export async function connectInMemory(
  config: McpConfig,
  opts: { era?: Era; elicit?: ElicitAnswer; onElicit?: (message: string) => void } = {},
): Promise<Client> {
  const era = opts.era ?? 'modern';
  const elicit = opts.elicit ?? 'none';
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const handle = serveStdio(() => createOcsMcpServer(config), { transport: serverSide });
  const client = new Client(
    { name: 'test-client', version: '1.0.0' },
    {
      capabilities: elicit === 'none' ? {} : { elicitation: { form: {} } },
      versionNegotiation: { mode: era === 'modern' ? { pin: '2026-07-28' } : 'legacy' },
    },
  );
  if (elicit !== 'none')
    client.setRequestHandler('elicitation/create', async (req) => {
      opts.onElicit?.(String((req.params as { message?: string }).message));
      return elicit === 'accept' ? { action: 'accept', content: { confirm: true } } : { action: 'decline' };
    });
  await client.connect(clientSide);
  const close = client.close.bind(client);
  client.close = async () => {
    await close();
    await handle.close();
  };
  return client;
}

export interface ToolOutcome {
  isError: boolean;
  text: string;
  data: Record<string, unknown>;
}

export async function call(
  client: Client,
  name: string,
  args: Record<string, unknown> = {},
): Promise<ToolOutcome> {
  const r = await client.callTool({ name, arguments: args });
  const first = (r.content as { type: string; text?: string }[])[0];
  const text = first?.type === 'text' ? (first.text ?? '') : '';
  if (!r.isError && r.structuredContent) {
    // The text block mirrors structuredContent for clients that ignore it.
    expect(JSON.parse(text)).toEqual(r.structuredContent);
  }
  return { isError: r.isError === true, text, data: (r.structuredContent ?? {}) as Record<string, unknown> };
}

/** Calls a tool and fails the test with the tool's message if it returned an error. */
export async function ok(client: Client, name: string, args: Record<string, unknown> = {}) {
  const r = await call(client, name, args);
  if (r.isError) throw new Error(`${name} failed: ${r.text}`);
  // biome-ignore lint/suspicious/noExplicitAny: tests read deep OCS fields without re-declaring the shapes
  return r.data as Record<string, any>;
}

let counter = 0;
/** A fresh valid MSISDN per call so tests never collide. */
export function freshMsisdn(): string {
  counter += 1;
  return `4366${String(Date.now()).slice(-7)}${String(counter).padStart(3, '0')}`.slice(0, 15);
}

/**
 * Like ok(), for destructive tools: when the client got the two-step form (2025-era stateless HTTP),
 * confirms with the returned token, as a router would after the human said yes.
 */
export async function okConfirmed(client: Client, name: string, args: Record<string, unknown>) {
  const first = await ok(client, name, args);
  if (first.confirmation_required !== true) return first;
  return ok(client, name, { ...args, confirmation_token: first.confirmation_token });
}

/**
 * call() for a tool that may ask for confirmation: when it returns the two-step form, confirms
 * with the token (as a router does after the human said yes) and returns the second outcome.
 */
export async function callConfirmed(
  client: Client,
  name: string,
  args: Record<string, unknown>,
): Promise<ToolOutcome> {
  const first = await call(client, name, args);
  if (first.isError || first.data.confirmation_required !== true) return first;
  return call(client, name, { ...args, confirmation_token: first.data.confirmation_token });
}
