// biome-ignore-all lint/suspicious/noTemplateCurlyInString: mcp.json ${VAR} references under test
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRouter } from '../../src/index.js';
import { PROVIDER_NAMES } from '../../src/providers/types.js';
import { startAllFakes } from '../support/fake-upstreams.js';
import { json, parseSse } from '../support/test-router.js';
import { type OcsStack, provisionedState, provisioningScript, startOcsStack } from './ocs-stack.js';

/**
 * POST /ask with tools, end to end: the router started as `npm start` starts it (MCP_CONFIG naming
 * an mcp.json), every provider's real adapter against its fake upstream, the real OCS MCP server
 * over HTTP and the real emulator, whose REST API proves what happened.
 */
const dir = mkdtempSync(join(tmpdir(), 'router-ask-tools-'));
let stack: OcsStack;
let upstreams: Awaited<ReturnType<typeof startAllFakes>>;
let router: Awaited<ReturnType<typeof startRouter>>;
let strict: Awaited<ReturnType<typeof startRouter>>;
let viewer: Awaited<ReturnType<typeof startRouter>>;

beforeAll(async () => {
  stack = await startOcsStack();
  upstreams = await startAllFakes();
  // The MCP URL comes from the environment, as a deployment would keep it out of the file.
  writeFileSync(
    join(dir, 'mcp.json'),
    JSON.stringify({
      mcpServers: { ocs: { url: '${TEST_MCP_URL}', trusted: true } },
      roles: { viewer: { readOnly: true }, agent: { allow: ['*'] } },
    }),
  );
  const env = {
    ...upstreams.env,
    MCP_CONFIG: join(dir, 'mcp.json'),
    TEST_MCP_URL: stack.mcp.url,
    ROUTER_STORE: 'memory',
    // Keyless loopback: the `local` principal's roles come from here, never from the request.
    ROUTER_DEFAULT_ROLES: 'agent',
  };
  router = await startRouter({ env, port: 0, logger: false });
  strict = await startRouter({
    env: { ...env, ROUTER_MAX_TOOL_STEPS: '1', ROUTER_CONFIRMATION_TTL_MS: '1' },
    port: 0,
    logger: false,
  });
  viewer = await startRouter({ env: { ...env, ROUTER_DEFAULT_ROLES: 'viewer' }, port: 0, logger: false });
});
afterAll(async () => {
  await router?.close();
  await strict?.close();
  await viewer?.close();
  await upstreams?.close();
  await stack?.close();
  rmSync(dir, { recursive: true, force: true });
});

interface ToolCallBody {
  id: string;
  server: string | null;
  name: string;
  arguments: Record<string, unknown>;
  result: unknown;
  is_error: boolean;
  duration_ms: number;
}
/** The fields of an /ask answer (or error) these tests read. */
interface AnswerBody {
  finish_reason: string;
  content: string;
  tool_calls: ToolCallBody[];
  confirmation: {
    id: string;
    tool: string;
    server: string;
    arguments: Record<string, unknown>;
    message: string;
    expires_at: string;
  };
  error: { type: string; message: string };
}

/** Descriptive only: the role that decides is the principal's (ROUTER_DEFAULT_ROLES). */
const AGENT = { identity: { role: 'agent' } };

async function ask(body: unknown, base = router.url) {
  const response = await fetch(`${base}/ask`, json(body));
  return { status: response.status, body: (await response.json()) as AnswerBody };
}

describe.each(PROVIDER_NAMES.map((name, index) => [name, index] as const))(
  '/ask provisions via %s',
  (provider, index) => {
    it('creates the subscriber with offer 1003 and reports every tool call', async () => {
      const digits = `4366051${String(index).padStart(2, '0')}321`;
      upstreams.fakes[provider].setScript(provisioningScript(`+${digits}`));
      const { status, body } = await ask({
        provider,
        message: `Provision +${digits} with offer 1003`,
        user_id: `agent-${provider}`,
        context: AGENT,
      });
      expect(status).toBe(200);
      expect(body.finish_reason).toBe('stop');
      expect(body.content).toContain('Monthly data bundle 25GB');
      expect(body.tool_calls).toHaveLength(4);
      for (const call of body.tool_calls) {
        expect(Object.keys(call).sort()).toEqual([
          'arguments',
          'duration_ms',
          'id',
          'is_error',
          'name',
          'result',
          'server',
        ]);
        expect(call.server).toBe('ocs');
      }
      const state = await provisionedState(stack, digits);
      expect(state?.subscriptions).toEqual([expect.objectContaining({ offerId: '1003', state: 'active' })]);
      expect(state?.balances.length).toBeGreaterThan(0);
    });

    it('streams tool_call and tool_result events as they happen, then done', async () => {
      const digits = `4366052${String(index).padStart(2, '0')}321`;
      upstreams.fakes[provider].setScript(provisioningScript(`+${digits}`));
      const response = await fetch(
        `${router.url}/ask`,
        json({ provider, message: 'go', stream: true, user_id: 'streamer', context: AGENT }),
      );
      expect(response.headers.get('content-type')).toContain('text/event-stream');
      const events = parseSse(await response.text());
      const kinds = events.map((event) => event.event);
      expect(kinds.filter((kind) => kind === 'tool_call')).toHaveLength(4);
      expect(kinds.filter((kind) => kind === 'tool_result')).toHaveLength(4);
      expect(kinds.at(-1)).toBe('done');
      expect(kinds.indexOf('tool_call')).toBeLessThan(kinds.indexOf('tool_result'));
      const done = events.at(-1)?.data as AnswerBody;
      expect(done.tool_calls).toHaveLength(4);
      expect((await provisionedState(stack, digits))?.subscriptions).toHaveLength(1);
    });
  },
);

describe('/ask confirmations', () => {
  async function provisioned(digits: string, userId: string) {
    upstreams.fakes.openai.setScript(provisioningScript(`+${digits}`));
    await ask({ provider: 'openai', message: 'provision', user_id: userId, context: AGENT });
    const state = await provisionedState(stack, digits);
    if (!state) throw new Error('provisioning failed');
    return state.subscriberId;
  }

  it('stops with confirmation_required, refuses other users, and deletes only after approval', async () => {
    const subscriberId = await provisioned('436605300001', 'ops-1');
    upstreams.fakes.openai.setScript([
      {
        toolCalls: [
          {
            id: 'del1',
            name: 'delete_subscriber',
            arguments: { subscriberId, confirmation_token: 'made-up' },
          },
        ],
      },
      { text: 'Deleted.' },
    ]);
    const first = await ask({ provider: 'openai', message: 'delete it', user_id: 'ops-1', context: AGENT });
    expect(first.status).toBe(200);
    expect(first.body.finish_reason).toBe('confirmation_required');
    expect(first.body.confirmation).toMatchObject({ tool: 'delete_subscriber', arguments: { subscriberId } });
    expect(Object.keys(first.body.confirmation).sort()).toEqual([
      'arguments',
      'expires_at',
      'id',
      'message',
      'server',
      'tool',
    ]);
    expect(await provisionedState(stack, '436605300001')).toBeDefined();

    const id = first.body.confirmation.id as string;
    expect((await ask({ user_id: 'ops-2', confirm: { id, approve: true } })).status).toBe(404);
    expect((await ask({ confirm: { id, approve: true } })).status).toBe(422);
    const approved = await ask({ user_id: 'ops-1', confirm: { id, approve: true } });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ finish_reason: 'stop', content: 'Deleted.' });
    expect(approved.body.tool_calls).toEqual([
      expect.objectContaining({ name: 'delete_subscriber', is_error: false }),
    ]);
    expect(await provisionedState(stack, '436605300001')).toBeUndefined();
    const again = await ask({ user_id: 'ops-1', confirm: { id, approve: true } });
    expect(again.status).toBe(404);
    expect(again.body.error.type).toBe('confirmation_not_found');
    // Memory keeps the question with the final answer, not the intermediate confirmation.
    const stored = (await (await fetch(`${router.url}/context/ops-1`)).json()) as {
      memory: { messages: { role: string; content: string }[] };
    };
    expect(stored.memory.messages.slice(-2)).toEqual([
      { role: 'user', content: 'delete it' },
      { role: 'assistant', content: 'Deleted.', provenance: 'tool_derived' },
    ]);
  });

  it('on reject the model hears the human declined, and nothing is deleted (streamed)', async () => {
    const subscriberId = await provisioned('436605300002', 'ops-3');
    upstreams.fakes.openai.setScript([
      { toolCalls: [{ id: 'del2', name: 'delete_subscriber', arguments: { subscriberId } }] },
      { text: 'OK, kept.' },
    ]);
    const response = await fetch(
      `${router.url}/ask`,
      json({ provider: 'openai', message: 'delete', user_id: 'ops-3', stream: true, context: AGENT }),
    );
    const events = parseSse(await response.text());
    const kinds = events.map((event) => event.event);
    expect(kinds.slice(-2)).toEqual(['confirmation', 'done']);
    const confirmation = events.at(-2)?.data as { id: string };
    const rejected = await ask({ user_id: 'ops-3', confirm: { id: confirmation.id, approve: false } });
    expect(rejected.body).toMatchObject({ finish_reason: 'stop', content: 'OK, kept.' });
    expect(JSON.stringify(upstreams.fakes.openai.requests.at(-1)?.body)).toContain(
      'The human declined this action',
    );
    expect((await provisionedState(stack, '436605300002'))?.subscriberId).toBe(subscriberId);
  });

  it('an expired confirmation is 409', async () => {
    const subscriberId = await provisioned('436605300003', 'ops-4');
    upstreams.fakes.openai.setScript([
      { toolCalls: [{ name: 'delete_subscriber', arguments: { subscriberId } }] },
    ]);
    const first = await ask(
      { provider: 'openai', message: 'delete', user_id: 'ops-4', context: AGENT },
      strict.url,
    );
    await new Promise((resolve) => setTimeout(resolve, 5));
    const late = await ask(
      { user_id: 'ops-4', confirm: { id: first.body.confirmation.id, approve: true } },
      strict.url,
    );
    expect(late.status).toBe(409);
    expect(late.body.error.type).toBe('confirmation_expired');
    expect(await provisionedState(stack, '436605300003')).toBeDefined();
  });
});

describe('/ask confirmations without tools', () => {
  it('answers confirm with 404 when the router has no MCP servers, and streams a resumed answer', async () => {
    const plain = await startRouter({
      env: { ...upstreams.env, MCP_CONFIG: 'none' },
      port: 0,
      logger: false,
    });
    try {
      const response = await ask({ user_id: 'u', confirm: { id: 'cfm_x', approve: true } }, plain.url);
      expect(response.status).toBe(404);
      expect(response.body.error.type).toBe('confirmation_not_found');
      const both = await ask(
        { user_id: 'u', message: 'hi', confirm: { id: 'cfm_x', approve: true } },
        plain.url,
      );
      expect(both.status).toBe(422);
    } finally {
      await plain.close();
    }
  });

  it('a resumed conversation can stream', async () => {
    const digits = '436605300009';
    upstreams.fakes.lmstudio.setScript(provisioningScript(`+${digits}`));
    await ask({ provider: 'lmstudio', message: 'provision', user_id: 'ops-9', context: AGENT });
    const state = await provisionedState(stack, digits);
    upstreams.fakes.lmstudio.setScript([
      { toolCalls: [{ name: 'delete_subscriber', arguments: { subscriberId: state?.subscriberId } }] },
      { text: 'Gone.' },
    ]);
    const first = await ask({ provider: 'lmstudio', message: 'delete', user_id: 'ops-9', context: AGENT });
    const response = await fetch(
      `${router.url}/ask`,
      json({ user_id: 'ops-9', confirm: { id: first.body.confirmation.id, approve: true }, stream: true }),
    );
    const events = parseSse(await response.text());
    const kinds = events.map((event) => event.event);
    expect(kinds.slice(0, 2)).toEqual(['tool_call', 'tool_result']);
    expect(kinds.slice(2, -1).every((kind) => kind === 'delta')).toBe(true);
    expect(kinds.at(-1)).toBe('done');
    const done = events.at(-1)?.data as AnswerBody | undefined;
    expect(done?.content).toBe('Gone.');
    expect(await provisionedState(stack, digits)).toBeUndefined();
  });
});

describe('/ask tool policy', () => {
  it('a viewer is offered read-only tools only and a write it asks for anyway is refused', async () => {
    upstreams.fakes.anthropic.setScript([
      { toolCalls: [{ name: 'create_subscriber', arguments: { msisdn: '436605400001' } }] },
      { text: 'I am not allowed to do that.' },
    ]);
    const before = upstreams.fakes.anthropic.requests.length;
    const { body } = await ask(
      { provider: 'anthropic', message: 'create one', context: { identity: { role: 'viewer' } } },
      viewer.url,
    );
    const upstreamBody = upstreams.fakes.anthropic.requests[before]?.body as
      | { tools: { name: string }[] }
      | undefined;
    const offered = upstreamBody?.tools.map((t) => t.name);
    expect(offered).toContain('lookup_subscriber');
    expect(offered).not.toContain('create_subscriber');
    expect(body.tool_calls[0]).toMatchObject({ name: 'create_subscriber', is_error: true });
    expect(JSON.stringify(body.tool_calls[0]?.result)).toContain('read-only');
    expect(await provisionedState(stack, '436605400001')).toBeUndefined();
  });

  it('invalid arguments come back as a tool error the model can correct', async () => {
    upstreams.fakes.ollama.setScript([
      { toolCalls: [{ name: 'create_subscriber', arguments: { msisdn: '12' } }] },
      { toolCalls: [{ name: 'create_subscriber', arguments: { msisdn: '+43 660 5400002' } }] },
      { text: 'Created after fixing the number.' },
    ]);
    const { body } = await ask({ provider: 'ollama', message: 'create +43 660 5400002', context: AGENT });
    expect(body.tool_calls.map((call) => call.is_error)).toEqual([true, false]);
    expect(JSON.stringify(body.tool_calls[0]?.result)).toMatch(/msisdn/i);
    expect(body.content).toBe('Created after fixing the number.');
    expect(await provisionedState(stack, '436605400002')).toBeDefined();
  });

  it('stops at ROUTER_MAX_TOOL_STEPS with finish_reason length', async () => {
    upstreams.fakes.openai.setScript(() => ({ toolCalls: [{ name: 'list_offers', arguments: {} }] }));
    const { body } = await ask({ provider: 'openai', message: 'loop forever' }, strict.url);
    expect(body.finish_reason).toBe('length');
    expect(body.content).toContain('tool step limit (1, ROUTER_MAX_TOOL_STEPS)');
    expect(body.tool_calls).toHaveLength(1);
  });
});
