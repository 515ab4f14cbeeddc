// biome-ignore-all lint/suspicious/noTemplateCurlyInString: mcp.json ${VAR} references under test
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OtlpReceiver, type ReceivedSpan, startOtlpReceiver } from '../support/otlp-receiver.js';
import {
  buildPackages,
  FAKE_KEYS,
  type FakeServer,
  providerEnvFor,
  REPO,
  type SpawnedService,
  spawnService,
  startFakeOpenAI,
} from '../support/router-under-test.js';

/**
 * One conversation traced across the three built services (issue #17 §6): the router, the OCS MCP
 * server over HTTP and the emulator, each exporting OTLP/JSON to a receiver in this test. The
 * scripted model looks a subscriber up and deletes it in one turn; the delete is held for
 * confirmation and approved by a second request.
 */
const MCP_TOKEN = 'mcp-bearer-SECRET-0123456789abcdef';
const SECRETS = [FAKE_KEYS.openai, MCP_TOKEN];
const MSISDN = '436605399001';

const bin = (pkg: string) => join(REPO, 'packages', pkg, 'dist/bin.js');
const dir = mkdtempSync(join(tmpdir(), 'trace-test-'));
const services: SpawnedService[] = [];
let receiver: OtlpReceiver;
let fake: FakeServer;
let routerUrl: string;
let emulatorUrl: string;
let subscriberId: string;

const otel = (service: string) => ({
  OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
  OTEL_SERVICE_NAME: service,
  OTEL_TRACES_SAMPLER: 'always_on',
  OTEL_GENAI_CAPTURE_CONTENT: 'true',
});

/** A router over the MCP server of beforeAll, exporting spans as `env` says; resolves with its URL. */
async function startRouter(env: Record<string, string>): Promise<string> {
  const router = await spawnService(
    bin('router'),
    [],
    {
      ...providerEnvFor('openai', fake),
      LLM_PROVIDER: 'openai',
      ROUTER_STORE: 'memory',
      ROUTER_PORT: '0',
      ROUTER_DEFAULT_ROLES: 'agent',
      MCP_CONFIG: join(dir, 'mcp.json'),
      OCS_MCP_TOKEN: MCP_TOKEN,
      LOG_LEVEL: 'info',
      ...env,
    },
    /"url":"(http:\/\/127\.0\.0\.1:\d+)"/,
  );
  services.push(router);
  return router.url;
}

async function createSubscriber(msisdn: string): Promise<string> {
  const created = await fetch(`${emulatorUrl}/subscribers`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ msisdn, languageId: 'en' }),
  });
  return ((await created.json()) as { subscriberId: string }).subscriberId;
}

async function ask(body: Record<string, unknown>, url = routerUrl) {
  const response = await fetch(`${url}/ask`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  // biome-ignore lint/suspicious/noExplicitAny: the test reads a few fields of the answer
  return { status: response.status, body: (await response.json()) as any };
}

beforeAll(async () => {
  buildPackages(['contract', 'telemetry', 'emulator', 'mcp-server', 'router']);
  receiver = await startOtlpReceiver();
  const emulator = await spawnService(
    bin('emulator'),
    [],
    { OCS_EMULATOR_PORT: '0', OCS_EMULATOR_DB: ':memory:', LOG_LEVEL: 'info', ...otel('ocs-emulator') },
    /"url":"(http:\/\/127\.0\.0\.1:\d+[^"]*)"/,
  );
  services.push(emulator);
  const mcp = await spawnService(
    bin('mcp-server'),
    ['--http'],
    {
      MCP_HTTP_PORT: '0',
      LOG_LEVEL: 'silent',
      OCS_API_URL: emulator.url,
      MCP_AUTH_TOKENS: MCP_TOKEN,
      ...otel('ocs-mcp-server'),
    },
    /listening on (http:\/\/127\.0\.0\.1:\d+\/mcp)/,
  );
  services.push(mcp);
  fake = await startFakeOpenAI();
  writeFileSync(
    join(dir, 'mcp.json'),
    JSON.stringify({
      mcpServers: {
        ocs: { url: mcp.url, headers: { authorization: 'Bearer ${OCS_MCP_TOKEN}' }, trusted: true },
      },
      roles: { agent: { allow: ['*'] } },
    }),
  );
  routerUrl = await startRouter({ ...otel('ocs-router') });
  emulatorUrl = emulator.url;
  subscriberId = await createSubscriber(MSISDN);
  // Only what the conversation causes is asserted on.
  await new Promise((resolve) => setTimeout(resolve, 1500));
  receiver.clear();
}, 180_000);

afterAll(async () => {
  for (const service of services.reverse()) {
    if (service.child.exitCode === null) {
      service.child.kill('SIGTERM');
      await service.exited;
    }
  }
  await fake?.close();
  await receiver?.close();
  rmSync(dir, { recursive: true, force: true });
});

const byService = (spans: ReceivedSpan[], service: string) => spans.filter((s) => s.serviceName === service);
const named = (spans: ReceivedSpan[], name: string) => spans.filter((s) => s.name === name);

describe('one trace from /ask through the MCP server to the OCS', () => {
  let spans: ReceivedSpan[];
  let first: Awaited<ReturnType<typeof ask>>;
  let approved: Awaited<ReturnType<typeof ask>>;

  beforeAll(async () => {
    fake.setScript([
      {
        toolCalls: [
          { id: 'call_lookup', name: 'lookup_subscriber', arguments: { msisdn: MSISDN } },
          { id: 'call_delete', name: 'delete_subscriber', arguments: { subscriberId } },
        ],
        usage: { input: 120, output: 30 },
      },
      { text: 'Deleted.', usage: { input: 200, output: 5 } },
    ]);
    first = await ask({
      message: `Delete ${MSISDN}; my OpenAI key is ${FAKE_KEYS.openai} if you need it`,
      user_id: 'agent-7',
    });
    approved = await ask({ user_id: 'agent-7', confirm: { id: first.body.confirmation?.id, approve: true } });
    spans = await receiver
      .waitFor(
        (all) =>
          named(all, 'confirmation wait').length === 1 &&
          all.filter((s) => s.name === 'chat gpt-4o-mini' || s.name.startsWith('chat ')).length >= 2 &&
          all.filter((s) => s.serviceName === 'ocs-emulator').length >= 2 &&
          all.some((s) => s.serviceName === 'ocs-emulator' && s.name.startsWith('DELETE ')) &&
          // Each service exports on its own schedule: wait for the MCP server's three tools/call too.
          all.filter((s) => s.serviceName === 'ocs-mcp-server' && s.name.startsWith('tools/call ')).length >=
            3,
        20_000,
      )
      .catch(() => receiver.spans());
  }, 60_000);

  it('the conversation ran: held, approved, deleted', () => {
    expect(first.status).toBe(200);
    expect(first.body.finish_reason).toBe('confirmation_required');
    expect(approved.status).toBe(200);
    expect(approved.body.content).toBe('Deleted.');
  });

  it('router: request span, a GenAI client span per provider call, execute_tool per tool call, confirmation held → wait', () => {
    const router = byService(spans, 'ocs-router');
    const requests = router.filter((s) => s.name === 'POST /ask');
    expect(requests).toHaveLength(2);
    const root = requests.find(
      (s) => s.traceId === router.find((r) => r.name === 'confirmation held')?.traceId,
    );
    expect(root).toBeDefined();
    expect(root?.kind).toBe(2);
    expect(root?.parentSpanId).toBeUndefined();
    expect(root?.attributes).toMatchObject({ 'ocsai.principal': 'local', 'enduser.id': 'agent-7' });

    const chats = router.filter((s) => s.name.startsWith('chat '));
    expect(chats.length).toBe(2);
    const [firstChat] = chats.filter((s) => s.parentSpanId === root?.spanId);
    expect(firstChat?.kind).toBe(3);
    expect(firstChat?.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.usage.input_tokens': 120,
      'gen_ai.usage.output_tokens': 30,
      'gen_ai.response.finish_reasons': ['tool_calls'],
      'ocsai.provider.attempt': 1,
      'ocsai.provider.fallback': false,
    });
    expect(firstChat?.attributes['gen_ai.request.model']).toEqual(expect.any(String));
    expect(firstChat?.attributes['gen_ai.response.model']).toEqual(expect.any(String));
    // Content is captured (OTEL_GENAI_CAPTURE_CONTENT=true), redacted.
    expect(String(firstChat?.attributes['gen_ai.input.messages'])).toContain('Delete');

    const lookup = named(router, 'execute_tool lookup_subscriber');
    expect(lookup).toHaveLength(1);
    expect(lookup[0]?.parentSpanId).toBe(root?.spanId);
    expect(lookup[0]?.attributes).toMatchObject({
      'gen_ai.operation.name': 'execute_tool',
      'gen_ai.tool.name': 'lookup_subscriber',
      'gen_ai.tool.call.id': 'call_lookup',
    });
    const deletes = named(router, 'execute_tool delete_subscriber');
    expect(deletes).toHaveLength(2);
    const heldCall = deletes.find((s) => s.attributes['ocsai.confirmation.outcome'] === 'held');
    expect(heldCall?.parentSpanId).toBe(root?.spanId);

    const held = named(router, 'confirmation held')[0];
    expect(held?.parentSpanId).toBe(root?.spanId);
    expect(held?.attributes).toMatchObject({ 'ocsai.confirmation.outcome': 'held' });
    const wait = named(router, 'confirmation wait')[0];
    expect(wait?.parentSpanId).toBe(held?.spanId);
    expect(wait?.traceId).toBe(root?.traceId);
    expect(wait?.attributes).toMatchObject({
      'ocsai.confirmation.outcome': 'approved',
      'gen_ai.tool.name': 'delete_subscriber',
    });
    const ran = deletes.find((s) => s !== heldCall);
    expect(ran?.parentSpanId).toBe(wait?.spanId);
    expect(ran?.traceId).toBe(root?.traceId);
  });

  it('one trace id across the three services, MCP tools/call under execute_tool, the OCS call under it', () => {
    const router = byService(spans, 'ocs-router');
    const traceId = named(router, 'confirmation held')[0]?.traceId;
    const mcp = byService(spans, 'ocs-mcp-server');
    const emulator = byService(spans, 'ocs-emulator');
    expect(mcp.length).toBeGreaterThan(0);
    expect(emulator.length).toBeGreaterThan(0);
    for (const span of [...mcp, ...emulator]) expect(span.traceId).toBe(traceId);

    const ids = new Map(spans.map((s) => [s.spanId, s]));
    const executeTool = router.filter((s) => s.name.startsWith('execute_tool '));
    const toolCalls = mcp.filter((s) => s.name.startsWith('tools/call '));
    // lookup, the held delete (answered with a confirmation), the approved delete.
    expect(toolCalls.map((s) => s.name).sort()).toEqual([
      'tools/call delete_subscriber',
      'tools/call delete_subscriber',
      'tools/call lookup_subscriber',
    ]);
    for (const call of toolCalls) {
      const parent = ids.get(call.parentSpanId ?? '');
      expect(parent && executeTool.includes(parent)).toBe(true);
      expect(call.kind).toBe(2);
      expect(call.attributes['mcp.method.name']).toBe('tools/call');
    }
    const ocsCalls = mcp.filter((s) => s.kind === 3);
    expect(ocsCalls.length).toBeGreaterThanOrEqual(2);
    for (const ocs of ocsCalls) {
      expect(toolCalls).toContain(ids.get(ocs.parentSpanId ?? ''));
      expect(ocs.attributes['http.request.header.x-transaction-id']).toEqual(expect.any(String));
    }
    for (const served of emulator) {
      expect(served.kind).toBe(2);
      expect(ocsCalls).toContain(ids.get(served.parentSpanId ?? ''));
    }
    expect(emulator.some((s) => s.name.startsWith('DELETE '))).toBe(true);
  });

  it('no secret anywhere in the exported spans, content capture on', () => {
    const bodies = receiver.rawBodies().join('\n');
    expect(bodies.length).toBeGreaterThan(0);
    for (const secret of SECRETS) expect(bodies).not.toContain(secret);
  });
});

describe('a confirmation that expires before its answer', () => {
  const EXPIRING_MSISDN = '436605399002';
  let shortLived: string;
  let doomedId: string;

  beforeAll(async () => {
    // A router whose confirmations live 1 ms: any answer, however quick, comes too late.
    shortLived = await startRouter({ ...otel('ocs-router-short-ttl'), ROUTER_CONFIRMATION_TTL_MS: '1' });
    doomedId = await createSubscriber(EXPIRING_MSISDN);
  }, 60_000);

  it('the wait span ends "expired", and approving late (or again) runs nothing', async () => {
    fake.setScript([
      {
        toolCalls: [
          { id: 'call_expiring', name: 'delete_subscriber', arguments: { subscriberId: doomedId } },
        ],
        usage: { input: 50, output: 10 },
      },
      { text: 'Deleted.', usage: { input: 60, output: 2 } },
    ]);
    const held = await ask({ message: `Delete ${EXPIRING_MSISDN}`, user_id: 'agent-8' }, shortLived);
    expect(held.status).toBe(200);
    expect(held.body.finish_reason).toBe('confirmation_required');
    const id = held.body.confirmation?.id;
    expect(id).toEqual(expect.any(String));
    await new Promise((resolve) => setTimeout(resolve, 20));

    const late = await ask({ user_id: 'agent-8', confirm: { id, approve: true } }, shortLived);
    expect(late.status).toBe(409);
    expect(JSON.stringify(late.body)).toContain('confirmation_expired');
    // The expired entry is gone: a replayed approval does not find it.
    const replayed = await ask({ user_id: 'agent-8', confirm: { id, approve: true } }, shortLived);
    expect(replayed.status).toBe(404);
    // Nothing was done at the OCS.
    expect((await fetch(`${emulatorUrl}/subscribers/${doomedId}`)).status).toBe(200);

    const spans = await receiver
      .waitFor(
        (all) =>
          all.some((s) => s.serviceName === 'ocs-router-short-ttl' && s.name === 'confirmation wait') &&
          all.filter((s) => s.serviceName === 'ocs-router-short-ttl' && s.name === 'POST /ask').length >= 3,
        20_000,
      )
      .catch(() => receiver.spans());
    const router = byService(spans, 'ocs-router-short-ttl');
    const holds = named(router, 'confirmation held');
    expect(holds).toHaveLength(1);
    const waits = named(router, 'confirmation wait');
    expect(waits).toHaveLength(1);
    expect(waits[0]?.parentSpanId).toBe(holds[0]?.spanId);
    expect(waits[0]?.traceId).toBe(holds[0]?.traceId);
    expect(waits[0]?.attributes).toMatchObject({
      'ocsai.confirmation.outcome': 'expired',
      'gen_ai.tool.name': 'delete_subscriber',
    });
    // The only delete is the held one: no tool call ran under the expired wait.
    const deletes = named(router, 'execute_tool delete_subscriber');
    expect(deletes.map((s) => s.attributes['ocsai.confirmation.outcome'])).toEqual(['held']);
    expect(spans.filter((s) => s.parentSpanId === waits[0]?.spanId)).toEqual([]);
    const ocsDeletes = byService(spans, 'ocs-emulator').filter(
      (s) => s.traceId === holds[0]?.traceId && s.name.startsWith('DELETE '),
    );
    expect(ocsDeletes).toEqual([]);
  }, 60_000);
});
