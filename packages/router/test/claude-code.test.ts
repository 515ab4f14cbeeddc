import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRouter } from '../src/index.js';
import {
  type CapturedRequest,
  FAKE_KEYS,
  type FakeServer,
  providerEnvFor,
  startFakeOpenAI,
} from './fakes/index.js';
import { writeKeysFile } from './support/principals.js';

/**
 * A real CLI agent on the router: Claude Code (@anthropic-ai/claude-code, its native binary from
 * the npm package for this platform) run headless with its base URL on the router's /v1/messages,
 * the router backed by a fake OpenAI upstream that asks for one Bash call and then answers.
 */
const require = createRequire(import.meta.url);
const ROUTER_KEY = 'router-key-for-claude-code-0123456789';
const MARKER = 'claude-code-tool-ran-7f3a';
const FINAL = `The command printed ${MARKER}.`;

/** The platform package's binary (what the wrapper's postinstall links to bin/claude.exe). */
function claudeBinary(): string | undefined {
  const platform = `${process.platform}-${process.arch}`;
  for (const pkg of [`@anthropic-ai/claude-code-${platform}`, '@anthropic-ai/claude-code']) {
    try {
      const dir = dirname(require.resolve(`${pkg}/package.json`));
      for (const file of ['claude', 'bin/claude.exe'])
        if (existsSync(join(dir, file))) return join(dir, file);
    } catch {
      // not installed for this platform
    }
  }
  return undefined;
}

const binary = claudeBinary();
let fake: FakeServer;
let router: Awaited<ReturnType<typeof startRouter>>;
let home: string;

const hasToolResult = (request: CapturedRequest) =>
  (request.body?.messages ?? []).some((message: { role: string }) => message.role === 'tool');

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'claude-code-home-'));
  // Asks for Bash until a tool result comes back, then answers with what the tool printed.
  fake = await startFakeOpenAI((request) =>
    hasToolResult(request)
      ? { text: FINAL }
      : {
          toolCalls: [
            {
              id: 'call_bash_1',
              name: 'Bash',
              arguments: { command: `echo ${MARKER}`, description: 'Print a marker' },
            },
          ],
        },
  );
  router = await startRouter({
    env: {
      ...providerEnvFor('openai', fake),
      LLM_PROVIDER: 'openai',
      LLM_MAX_RETRIES: '0',
      MCP_CONFIG: 'none',
      ROUTER_STORE: 'memory',
      ROUTER_KEYS_FILE: writeKeysFile([{ id: 'claude-code', keys: [ROUTER_KEY] }], home),
    },
    port: 0,
    logger: false,
  });
});
afterAll(async () => {
  await router?.close();
  await fake?.close();
  rmSync(home, { recursive: true, force: true });
});

/** Runs `claude -p` with only the environment given here (none of this process's secrets). */
function runClaude(prompt: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      binary!,
      ['-p', prompt, '--output-format', 'json', '--allowedTools', 'Bash(echo:*)', '--max-turns', '4'],
      {
        cwd: home,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: {
          PATH: process.env.PATH ?? '/usr/bin:/bin',
          HOME: home,
          CLAUDE_CONFIG_DIR: join(home, '.claude'),
          TMPDIR: tmpdir(),
          ANTHROPIC_BASE_URL: router.url,
          ANTHROPIC_API_KEY: ROUTER_KEY,
          // The main model and the small one for side tasks both go to the fake OpenAI provider.
          ANTHROPIC_MODEL: 'openai/gpt-fake',
          ANTHROPIC_SMALL_FAST_MODEL: 'openai/gpt-fake',
          ANTHROPIC_DEFAULT_HAIKU_MODEL: 'openai/gpt-fake',
          DISABLE_TELEMETRY: '1',
          DISABLE_ERROR_REPORTING: '1',
          DISABLE_AUTOUPDATER: '1',
          CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
        },
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    // Never hang the suite: a stuck agent is killed and the test fails on its exit code.
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

// Skipped only off CI on a platform npm installed no binary for; in CI a missing binary fails.
describe.skipIf(!binary && !process.env.CI)('Claude Code headless through /v1/messages', () => {
  it('has the Claude Code binary of this platform installed', () => {
    expect(binary, `@anthropic-ai/claude-code-${process.platform}-${process.arch}`).toBeDefined();
  });

  it('completes a prompt with one Bash tool call served by a fake OpenAI provider', {
    timeout: 120_000,
  }, async () => {
    const run = await runClaude('Run the echo command to print the marker, then tell me what it printed.');
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as { is_error: boolean; result: string; num_turns: number };
    expect(result.is_error).toBe(false);
    expect(result.result).toContain(FINAL);
    expect(result.num_turns).toBeGreaterThanOrEqual(2);

    // Claude Code ran the tool: its output reached the provider as a tool result in the second call.
    const withResult = fake.requests.find(hasToolResult);
    const toolMessage = withResult?.body.messages.find(
      (message: { role: string }) => message.role === 'tool',
    );
    expect(toolMessage).toMatchObject({ tool_call_id: 'call_bash_1' });
    expect(String(toolMessage.content)).toContain(MARKER);
    // Claude Code's tools reached the provider as OpenAI function tools, Bash among them.
    const toolNames = (fake.requests[0]?.body.tools ?? []).map(
      (tool: { function: { name: string } }) => tool.function.name,
    );
    expect(toolNames).toContain('Bash');
    // Claude Code's key was the router's credential; upstream only the provider's own key went out.
    for (const request of fake.requests) {
      expect(request.headers.authorization).toBe(`Bearer ${FAKE_KEYS.openai}`);
      expect(JSON.stringify(request)).not.toContain(ROUTER_KEY);
    }
  });
});
