#!/usr/bin/env node
// `npm run demo`: a scripted provisioning session through the OCS MCP tools, no LLM needed.
// Starts an OCS emulator (temporary SQLite file) and the OCS MCP server in-process, connects the
// real MCP client over Streamable HTTP and does what a care agent would ask an assistant to do,
// printing a readable transcript. Everything is closed at the end; exit code 0 on success.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { startEmulator } from '@ocsai/emulator';
import { loadMcpConfig, startMcpHttpServer } from '@ocsai/mcp-server';

const colour = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code) => (text) => (colour ? `\u001b[${code}m${text}\u001b[0m` : String(text));
const bold = paint('1');
const dim = paint('2');
const cyan = paint('36');
const green = paint('32');
const yellow = paint('33');
const red = paint('31');
const out = (line = '') => process.stdout.write(`${line}\n`);

const MSISDN = '436601234567';
const MSISDN_AS_TYPED = '+43 660 1234567';
const OFFER_ID = '1003'; // Monthly data bundle 25GB

const dir = mkdtempSync(join(tmpdir(), 'ocs-demo-'));
const running = [];
let client;

/** Calls a tool, prints the call and a short view of the result, returns structuredContent. */
async function step(title, tool, args, show, { expectError = false } = {}) {
  out();
  out(bold(title));
  // Long opaque tokens are shortened on screen only; the call sends them whole.
  const shown = JSON.stringify(args, (key, value) =>
    key === 'confirmation_token' && typeof value === 'string' ? `${value.slice(0, 12)}…` : value,
  );
  out(`  ${cyan('→')} ${cyan(tool)} ${dim(shown)}`);
  const result = await client.callTool({ name: tool, arguments: args });
  const data = result.structuredContent ?? {};
  if (result.isError) {
    const text = result.content?.find((block) => block.type === 'text')?.text ?? 'error';
    out(expectError ? `  ${green('←')} ${dim(text)}` : `  ${red('✗')} ${text}`);
    return { error: text };
  }
  for (const line of show(data)) out(`  ${green('←')} ${line}`);
  return data;
}

function bytes(value) {
  const gib = Number(value) / 1024 ** 3;
  return Number.isFinite(gib) && gib >= 1 ? `${gib.toFixed(gib % 1 ? 1 : 0)} GiB` : String(value);
}

async function main() {
  const emulator = await startEmulator({ port: 0, db: join(dir, 'ocs.sqlite'), logger: false });
  running.push(emulator);
  const mcp = await startMcpHttpServer({
    ...loadMcpConfig({ OCS_API_URL: emulator.url, LOG_LEVEL: 'silent' }),
    host: '127.0.0.1',
    port: 0,
  });
  running.push(mcp);
  client = new Client({ name: 'ocs-demo', version: '1.0.0' }, { versionNegotiation: { mode: 'auto' } });
  await client.connect(new StreamableHTTPClientTransport(new URL(mcp.url)));
  running.push(client);

  const { tools } = await client.listTools();
  out(bold('OCS provisioning demo') + dim('  (MCP tools over Streamable HTTP; no LLM involved)'));
  out(dim(`  OCS emulator ${emulator.url}`));
  out(
    dim(
      `  MCP server   ${mcp.url}  (protocol ${client.getNegotiatedProtocolVersion()}, ${tools.length} tools)`,
    ),
  );

  const offers = await step(
    '1. Which prepaid offers are there?',
    'list_offers',
    { type: 'PREPAID' },
    (data) =>
      (data.offers ?? [])
        .slice(0, 6)
        .map((offer) => `${offer.offerId}  ${offer.offerName ?? offer.name ?? ''}`),
  );
  if (!(offers.offers ?? []).some((offer) => String(offer.offerId) === OFFER_ID))
    throw new Error(`offer ${OFFER_ID} missing`);

  const created = await step(
    `2. Create a prepaid subscriber with MSISDN ${MSISDN}`,
    'create_subscriber',
    {
      msisdn: MSISDN,
      firstName: 'Anna',
      lastName: 'Huber',
      subscriberType: 'PREPAID',
      city: 'Wien',
      country: 'AT',
    },
    (data) => [`subscriber ${data.subscriber?.subscriberId} (${data.subscriber?.currentState})`],
  );
  if (created.error) throw new Error(created.error);

  const found = await step(
    `3. Look it up the way a human types it: "${MSISDN_AS_TYPED}"`,
    'lookup_subscriber',
    { msisdn: MSISDN_AS_TYPED },
    (data) => [
      `subscriberId ${data.subscriberId}, ${data.subscriber?.personalInfo?.firstName ?? ''} ${data.subscriber?.personalInfo?.lastName ?? ''}`,
    ],
  );
  const subscriberId = found.subscriberId;
  if (!subscriberId) throw new Error('lookup failed');

  const subscribed = await step(
    `4. Subscribe to offer ${OFFER_ID} "Monthly data bundle 25GB", with its balances`,
    'create_subscription',
    { subscriberId, offerId: OFFER_ID, createBalances: true },
    (data) => [
      `subscription ${data.subscription?.subscriptionId} "${data.subscription?.offerName}" (${data.subscription?.state})`,
      `${(data.balances ?? []).length} balance(s) created`,
    ],
  );
  const subscriptionId = subscribed.subscription?.subscriptionId;
  if (!subscriptionId) throw new Error(subscribed.error ?? 'subscription failed');

  await step(
    '5. Activate the subscription',
    'change_subscription_state',
    { subscriptionId, action: 'activate' },
    (data) => [`state ${data.subscription?.state}`],
  );

  await step('6. What is left on it?', 'list_balances', { subscriptionId }, (data) =>
    (data.balances ?? []).map(
      (balance) =>
        `${balance.unitType}: ${bytes(balance.balanceAvailable)} of ${bytes(balance.balanceAmount)} available`,
    ),
  );

  await step(
    '7. Activate the subscriber',
    'change_subscriber_state',
    { subscriberId, state: 'ACTIVE' },
    (data) => [`subscriber state ${data.subscriber?.currentState}`],
  );

  const asked = await step(
    '8. Delete the subscriber (first call: nothing happens yet)',
    'delete_subscriber',
    { subscriberId },
    (data) =>
      data.confirmation_required
        ? [yellow(`confirmation required: ${data.message}`), dim(`token valid until ${data.expires_at}`)]
        : ['deleted without confirmation?!'],
  );
  if (!asked.confirmation_required) throw new Error('delete_subscriber did not ask for confirmation');
  out(`  ${yellow('?')} ${bold('Human:')} yes, delete it.`);

  await step(
    '9. Repeat the identical call with the confirmation token',
    'delete_subscriber',
    { subscriberId, confirmation_token: asked.confirmation_token },
    (data) => [`deleted: ${data.deleted ?? true} (${data.subscriberId ?? subscriberId})`],
  );

  const gone = await step(
    '10. Look it up again: it must be gone',
    'lookup_subscriber',
    { msisdn: MSISDN },
    () => [],
    {
      expectError: true,
    },
  );
  if (!gone.error) throw new Error('the subscriber is still there after the confirmed delete');
  out();
  out(
    green(
      'Demo finished: subscriber provisioned with offer 1003, activated, inspected and deleted after confirmation.',
    ),
  );
}

let code = 0;
try {
  await main();
} catch (error) {
  code = 1;
  process.stderr.write(`demo failed: ${error instanceof Error ? error.message : String(error)}\n`);
} finally {
  for (const service of running.reverse()) await service.close().catch(() => {});
  rmSync(dir, { recursive: true, force: true });
}
process.exit(code);
