import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli } from '../src/cli/run.js';
import { fakeIo } from './support/fake-io.js';
import { answer, confirmation, confirmationNeeded } from './support/fixtures.js';
import { type ScriptedRouter, sendJson, sendSse, startScriptedRouter } from './support/scripted-router.js';

let router: ScriptedRouter;
beforeAll(async () => {
  router = await startScriptedRouter();
});
afterAll(() => router.close());

const ESC = '\u001b[';
const withTools = answer({
  tool_calls: [
    {
      id: 'c1',
      server: 'ocs',
      name: 'get_subscriber',
      arguments: { msisdn: '447700900123' },
      result: { content: [] },
      is_error: false,
      duration_ms: 12,
    },
    {
      id: 'c2',
      name: 'top_up',
      arguments: { amount: 5 },
      result: { content: [{ type: 'text', text: 'nope' }] },
      is_error: true,
    },
  ],
});

/** Answers a confirmation request from `confirmationNeeded()` and records the decision. */
function scriptConfirmationFlow(): { decisions: unknown[] } {
  const decisions: unknown[] = [];
  router.script((request, res) => {
    const body = request.body as { confirm?: { approve: boolean } };
    if (!body.confirm) return sendJson(res, 200, confirmationNeeded());
    decisions.push(request.body);
    sendJson(
      res,
      200,
      answer({ content: body.confirm.approve ? 'Subscriber deleted.' : 'Nothing was deleted.' }),
    );
  });
  return { decisions };
}

describe('ocs-ask (runCli)', () => {
  it('prints the answer and a compact tool list, without colours when stdout is not a TTY', async () => {
    router.script((_request, res) => sendJson(res, 200, withTools));
    const io = fakeIo();
    const code = await runCli(
      ['--url', router.url, '-p', 'openai', '-m', 'gpt-x', '-u', 'u1', 'what', 'is', 'my balance?'],
      io,
    );
    expect(code).toBe(0);
    expect(router.requests.at(-1)?.body).toEqual({
      message: 'what is my balance?',
      provider: 'openai',
      model: 'gpt-x',
      user_id: 'u1',
    });
    expect(io.out()).toBe(
      `${withTools.content}\n\nTools:\n✓ ocs/get_subscriber {"msisdn":"447700900123"} 12 ms\n✗ top_up {"amount":5}\n`,
    );
    expect(io.out()).not.toContain(ESC);
    expect(io.err()).toBe('');
  });

  it('colours output on a TTY unless NO_COLOR is set', async () => {
    router.script((_request, res) => sendJson(res, 200, withTools));
    const tty = fakeIo({ stdoutTty: true });
    expect(await runCli(['--url', router.url, 'q'], tty)).toBe(0);
    expect(tty.out()).toContain(`${ESC}32m✓`);
    const noColour = fakeIo({ stdoutTty: true, env: { NO_COLOR: '1' } });
    expect(await runCli(['--url', router.url, 'q'], noColour)).toBe(0);
    expect(noColour.out()).not.toContain(ESC);
  });

  it('prints the full response with --json', async () => {
    router.script((_request, res) => sendJson(res, 200, withTools));
    const io = fakeIo();
    expect(await runCli(['--url', router.url, '--json', 'q'], io)).toBe(0);
    expect(JSON.parse(io.out())).toEqual(withTools);
  });

  it('takes the URL and API key from the environment', async () => {
    router.script((_request, res) => sendJson(res, 200, answer()));
    const io = fakeIo({ env: { OCS_ROUTER_URL: router.url, OCS_ROUTER_API_KEY: 'env-key' } });
    expect(await runCli(['q'], io)).toBe(0);
    expect(router.requests.at(-1)?.headers.authorization).toBe('Bearer env-key');
    expect(await runCli(['--api-key', 'flag-key', 'q'], io)).toBe(0);
    expect(router.requests.at(-1)?.headers.authorization).toBe('Bearer flag-key');
  });

  it('reads the question from piped stdin', async () => {
    router.script((_request, res) => sendJson(res, 200, answer()));
    const io = fakeIo({ input: 'piped question\n' });
    expect(await runCli(['--url', router.url], io)).toBe(0);
    expect(router.requests.at(-1)?.body).toEqual({ message: 'piped question' });
  });

  it('streams deltas and tool lines as they arrive with --stream', async () => {
    router.script((_request, res) =>
      sendSse(res, [
        ['delta', { text: 'Let me check. ' }],
        ['tool_call', { id: 'c1', server: 'ocs', name: 'get_balance', arguments: { msisdn: '1' } }],
        [
          'tool_result',
          {
            id: 'c1',
            server: 'ocs',
            name: 'get_balance',
            result: { content: [], structuredContent: { amount: 1 } },
            is_error: false,
            duration_ms: 5,
          },
        ],
        ['tool_result', { id: 'c2', name: 'top_up', result: 'denied', is_error: true, duration_ms: 7 }],
        ['delta', { text: '' }],
        ['delta', { text: 'Balance: 1 GBP' }],
        ['done', answer({ content: 'Let me check. Balance: 1 GBP' })],
      ]),
    );
    const io = fakeIo();
    expect(await runCli(['--url', router.url, '--stream', 'q'], io)).toBe(0);
    expect(router.requests.at(-1)?.body).toEqual({ message: 'q', stream: true });
    expect(io.out()).toBe(
      'Let me check. \n→ ocs/get_balance {"msisdn":"1"}\n✓ ocs/get_balance 5 ms\n✗ top_up 7 ms\nBalance: 1 GBP\n',
    );
  });

  it('prints the done content when a stream carried no deltas, and NDJSON with --stream --json', async () => {
    router.script((_request, res) => sendSse(res, [['done', answer({ content: 'Only at the end' })]]));
    const plain = fakeIo();
    expect(await runCli(['--url', router.url, '-s', 'q'], plain)).toBe(0);
    expect(plain.out()).toBe('Only at the end\n');
    const json = fakeIo();
    expect(await runCli(['--url', router.url, '-s', '--json', 'q'], json)).toBe(0);
    expect(
      json
        .out()
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line)),
    ).toEqual([{ type: 'done', data: answer({ content: 'Only at the end' }) }]);
  });

  it('asks on the TTY and continues with the approval (y)', async () => {
    const { decisions } = scriptConfirmationFlow();
    const io = fakeIo({ tty: true, stdoutTty: false, input: 'y\n' });
    expect(await runCli(['--url', router.url, '-u', 'u1', 'delete 447700900123'], io)).toBe(0);
    expect(decisions).toEqual([{ confirm: { id: confirmation.id, approve: true }, user_id: 'u1' }]);
    expect(io.out()).toContain('Confirmation required');
    expect(io.out()).toContain('Tool:      ocs/delete_subscriber');
    expect(io.out()).toContain('"msisdn": "447700900123"');
    expect(io.out()).toContain(confirmation.message);
    expect(io.err()).toContain('Approve? [y/N]');
    expect(io.err()).toContain('Sending your answer…');
    expect(io.out()).toMatch(/Subscriber deleted\.\n$/);
  });

  it('rejects on anything but yes (n, Enter, end of input)', async () => {
    for (const input of ['n\n', '\n', '']) {
      const { decisions } = scriptConfirmationFlow();
      const io = fakeIo({ tty: true, input });
      expect(await runCli(['--url', router.url, 'delete it'], io)).toBe(0);
      expect(decisions).toEqual([{ confirm: { id: confirmation.id, approve: false } }]);
      expect(io.out()).toMatch(/Nothing was deleted\.\n$/);
    }
  });

  it('handles a confirmation in a stream too', async () => {
    const decisions: unknown[] = [];
    router.script((request, res) => {
      const body = request.body as { confirm?: unknown };
      if (!body.confirm) {
        return sendSse(res, [
          ['confirmation', confirmation],
          ['done', confirmationNeeded()],
        ]);
      }
      decisions.push(request.body);
      sendSse(res, [
        ['delta', { text: 'Deleted.' }],
        ['done', answer({ content: 'Deleted.' })],
      ]);
    });
    const io = fakeIo({ tty: true, input: 'yes\n' });
    expect(await runCli(['--url', router.url, '--stream', 'delete it'], io)).toBe(0);
    expect(decisions).toEqual([{ confirm: { id: confirmation.id, approve: true }, stream: true }]);
    expect(io.out()).toMatch(/Confirmation required[\s\S]*Deleted\.\n$/);
  });

  it('exits 3 when a confirmation is needed and stdin is not a TTY', async () => {
    const { decisions } = scriptConfirmationFlow();
    const io = fakeIo({ tty: false });
    expect(await runCli(['--url', router.url, 'delete it'], io)).toBe(3);
    expect(decisions).toEqual([]);
    expect(io.out()).toContain('Confirmation required');
    expect(io.err()).toContain('--yes or --no');
    const json = fakeIo({ tty: false });
    expect(await runCli(['--url', router.url, '--json', 'delete it'], json)).toBe(3);
    expect(JSON.parse(json.out())).toEqual(confirmationNeeded());
  });

  it('answers without a TTY when given --yes or --no', async () => {
    for (const [flag, approve] of [
      ['--yes', true],
      ['-n', false],
    ] as const) {
      const { decisions } = scriptConfirmationFlow();
      const io = fakeIo({ tty: false });
      expect(await runCli(['--url', router.url, flag, 'delete it'], io)).toBe(0);
      expect(decisions).toEqual([{ confirm: { id: confirmation.id, approve } }]);
    }
  });

  it('gives up when the router asks for confirmation forever', async () => {
    router.script((_request, res) => sendJson(res, 200, confirmationNeeded()));
    const io = fakeIo();
    expect(await runCli(['--url', router.url, '--yes', 'loop'], io)).toBe(2);
    expect(io.err()).toContain('gave up after 20 confirmations');
  });

  it('exits 2 with a one-line message (no stack) on router errors', async () => {
    router.script((_request, res) =>
      sendJson(
        res,
        422,
        {
          error: {
            type: 'validation_error',
            message: 'Invalid body',
            provider: 'openai',
            issues: [{ path: 'model', message: 'Unknown model' }],
          },
        },
        { 'retry-after': '3' },
      ),
    );
    const io = fakeIo();
    expect(await runCli(['--url', router.url, 'q'], io)).toBe(2);
    expect(io.out()).toBe('');
    expect(io.err()).toBe(
      'ocs-ask: router error 422 (validation_error): Invalid body\n' +
        '  - model: Unknown model\n  provider: openai\n  retry after: 3 s\n  request id: req-test-1\n',
    );
    expect(io.err()).not.toMatch(/\bat .*:\d+:\d+/);
  });

  it('exits 2 on stream errors and network errors', async () => {
    router.script((_request, res) =>
      sendSse(res, [['error', { error: { type: 'upstream_error', message: 'boom' } }]]),
    );
    const streamed = fakeIo();
    expect(await runCli(['--url', router.url, '--stream', 'q'], streamed)).toBe(2);
    expect(streamed.err()).toBe(
      'ocs-ask: router stream error (upstream_error): boom\n  request id: req-stream-1\n',
    );

    const gone = await startScriptedRouter();
    await gone.close();
    const io = fakeIo();
    expect(await runCli(['--url', gone.url, 'q'], io)).toBe(2);
    expect(io.err()).toBe(
      `ocs-ask: Could not reach the router at ${gone.url}: fetch failed (ECONNREFUSED)\n`,
    );
  });

  it('exits 2 on timeouts', async () => {
    router.script(() => {});
    const io = fakeIo();
    expect(await runCli(['--url', router.url, '--timeout', '50', 'q'], io)).toBe(2);
    expect(io.err()).toBe('ocs-ask: The router did not answer within 50 ms\n');
  });

  it('exits 130 when interrupted', async () => {
    router.script(() => {});
    const controller = new AbortController();
    const io = { ...fakeIo(), signal: controller.signal };
    const pending = runCli(['--url', router.url, 'q'], io);
    setTimeout(() => controller.abort(), 20);
    expect(await pending).toBe(130);
  });

  it('exits 130 without answering when interrupted at the confirmation prompt', async () => {
    const { decisions } = scriptConfirmationFlow();
    const controller = new AbortController();
    const io = { ...fakeIo({ tty: true, keepOpen: true }), signal: controller.signal };
    const pending = runCli(['--url', router.url, 'delete it'], io);
    await vi.waitFor(() => expect(io.err()).toContain('Approve? [y/N]'));
    controller.abort();
    expect(await pending).toBe(130);
    expect(decisions).toEqual([]);
  });

  it('draws a spinner on a TTY stderr and erases it', async () => {
    router.script((_request, res) => sendJson(res, 200, answer()));
    const io = fakeIo({ tty: true });
    expect(await runCli(['--url', router.url, 'q'], io)).toBe(0);
    expect(io.err()).toMatch(/^\r⠋ Asking the router…/);
    expect(io.err().endsWith('\r\u001b[K')).toBe(true);
    const piped = fakeIo();
    expect(await runCli(['--url', router.url, 'q'], piped)).toBe(0);
    expect(piped.err()).toBe('');
  });

  it('warns on stderr when the answer is incomplete', async () => {
    for (const [finish_reason, note] of [
      ['length', 'cut off at the token limit'],
      ['content_filter', 'content filter stopped the answer'],
    ] as const) {
      router.script((_request, res) => sendJson(res, 200, answer({ finish_reason })));
      const io = fakeIo();
      expect(await runCli(['--url', router.url, 'q'], io)).toBe(0);
      expect(io.out()).toBe(`${answer().content}\n`);
      expect(io.err()).toContain(note);
    }
  });

  it('prints help and version', async () => {
    const help = fakeIo();
    expect(await runCli(['--help'], help)).toBe(0);
    expect(help.out()).toContain('Usage: ocs-ask');
    const version = fakeIo();
    expect(await runCli(['-v'], version)).toBe(0);
    expect(version.out()).toBe('9.9.9-test\n');
  });

  it.each([
    [['--frobnicate', 'q'], /Unknown option '--frobnicate'/],
    [['--provider', 'gemini', 'q'], /--provider must be one of openai, anthropic/],
    [['--yes', '--no', 'q'], /cannot be used together/],
    [['--url', 'ftp://x', 'q'], /--url must be an http\(s\) URL/],
    [['--timeout', 'soon', 'q'], /--timeout must be a positive number/],
    [['--model', ' ', 'q'], /--model must not be empty/],
    [[], /a question is required/],
  ])('exits 1 on usage error %j', async (argv, message) => {
    const io = fakeIo();
    expect(await runCli(argv, io)).toBe(1);
    expect(io.err()).toMatch(message);
    expect(io.err()).toContain('ocs-ask --help');
    expect(io.out()).toBe('');
  });
});
