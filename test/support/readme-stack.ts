/**
 * Runs the README's commands the way a new user does, inside a private network namespace (so the
 * documented default ports are free and nothing can reach a registry): the set-up command
 * `npm ci && npm start` in a fresh clone, with the LLM providers pointed at the byte-faithful fakes
 * through their documented environment variables, then every runnable block, verbatim, in a
 * terminal (ocs-ask asks for approval there). Bundled and started by test/readme-commands.test.ts;
 * prints one JSON line with the results on stdout.
 *
 *   node readme-stack.mjs JOB.json    JOB: { clone, setup, blocks: [{ id, code }] }
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type CapturedRequest,
  FAKE_KEYS,
  type FakeTurn,
  startFakeAnthropic,
  startFakeOpenAI,
} from '../../packages/router/test/fakes/index.js';

interface Job {
  clone: string;
  setup: string;
  blocks: { id: string; code: string }[];
}
export interface BlockResult {
  id: string;
  exitCode: number | null;
  output: string;
}
export interface StackResult {
  started: boolean;
  setupOutput: string;
  blocks: BlockResult[];
  /** Each request the fake providers answered: which provider, the question, tool results so far. */
  llmCalls: { provider: string; ask: string; toolResults: number }[];
  /** Tool calls the fake model made, in order. */
  toolCalls: string[];
}

const job = JSON.parse(readFileSync(process.argv[2] ?? '', 'utf8')) as Job;

// --- a model that provisions as a person would ask it to ---------------------------------------
/** The question: the last user message with text (Anthropic's tool results are user messages too). */
function lastUserText(body: CapturedRequest['body']): string {
  const textOf = (content: unknown): string =>
    typeof content === 'string'
      ? content
      : ((content ?? []) as { type: string; text?: string }[])
          .filter((b) => b.type === 'text')
          .map((b) => b.text)
          .join('');
  const users = (body.messages ?? []).filter((m: { role: string }) => m.role === 'user');
  return (
    users
      .map((m: { content: unknown }) => textOf(m.content))
      .filter(Boolean)
      .at(-1) ?? ''
  );
}
/** Tool results so far in this turn (OpenAI: role "tool"; Anthropic: tool_result blocks). */
function toolResults(body: CapturedRequest['body']): string[] {
  const results: string[] = [];
  for (const message of body.messages ?? []) {
    if (message.role === 'tool') results.push(String(message.content));
    if (Array.isArray(message.content)) {
      for (const block of message.content)
        if (block.type === 'tool_result') results.push(JSON.stringify(block.content));
    }
  }
  return results;
}
const subscriberIdIn = (text: string) => /subscriberId\\*":\\*"([0-9a-f-]{36})/.exec(text)?.[1];
const toolCallsMade: string[] = [];
const toolCall = (name: string, args: Record<string, unknown>): FakeTurn => {
  toolCallsMade.push(name);
  return { toolCalls: [{ name, arguments: args }] };
};

function model(request: CapturedRequest): FakeTurn {
  const ask = lastUserText(request.body);
  const results = toolResults(request.body);
  const create = /Create subscriber (\d+) on offer (\d+)/.exec(ask);
  if (create) {
    const [, msisdn, offerId] = create;
    if (results.length === 0) return toolCall('create_subscriber', { msisdn });
    const subscriberId = subscriberIdIn(results[0] ?? '');
    if (results.length === 1 && subscriberId)
      return toolCall('create_subscription', { subscriberId, offerId });
    return { text: `Created subscriber ${msisdn} (${subscriberId}) on offer ${offerId}.` };
  }
  const remove = /Delete subscriber (\d+)/.exec(ask);
  if (remove) {
    const [, msisdn] = remove;
    if (results.length === 0) return toolCall('lookup_subscriber', { msisdn });
    const subscriberId = subscriberIdIn(results[0] ?? '');
    if (results.length === 1 && subscriberId) return toolCall('delete_subscriber', { subscriberId });
    return { text: subscriberId ? `Deleted subscriber ${msisdn}.` : `There is no subscriber ${msisdn}.` };
  }
  return { text: `Fake model answer to: ${ask}` };
}

const openai = await startFakeOpenAI((request) => model(request));
const anthropic = await startFakeAnthropic((request) => model(request));

const env: NodeJS.ProcessEnv = {
  ...process.env,
  LLM_PROVIDER: 'openai',
  OPENAI_BASE_URL: openai.url,
  OPENAI_API_KEY: FAKE_KEYS.openai,
  ANTHROPIC_BASE_URL: anthropic.url,
  ANTHROPIC_API_KEY: FAKE_KEYS.anthropic,
  // The clone installs from the npm cache: a command that needs the registry fails here.
  npm_config_offline: 'true',
  npm_config_update_notifier: 'false',
  NO_COLOR: '1',
};

async function routerUp(stack: ChildProcess, deadline: number): Promise<boolean> {
  while (Date.now() < deadline && stack.exitCode === null) {
    const ok = await fetch('http://127.0.0.1:8000/health').then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return true;
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

/** One block as a script in a terminal (util-linux script), typing "y" for a confirmation. */
async function runBlock(id: string, code: string): Promise<BlockResult> {
  const file = join(job.clone, `.readme-block-${id}.sh`);
  writeFileSync(file, code);
  const child = spawn('script', ['-qefc', `sh -e ${file}`, '/dev/null'], {
    cwd: job.clone,
    env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
    if (/Approve\? \[y\/N\]/.test(chunk.toString())) child.stdin.write('y\n');
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  const [exitCode] = (await once(child, 'exit')) as [number | null];
  clearTimeout(timer);
  return { id, exitCode, output };
}

const result: StackResult = {
  started: false,
  setupOutput: '',
  blocks: [],
  llmCalls: [],
  toolCalls: toolCallsMade,
};
const stack = spawn('sh', ['-c', job.setup], { cwd: job.clone, env, detached: true, stdio: 'pipe' });
stack.stdout?.on('data', (chunk: Buffer) => {
  result.setupOutput = (result.setupOutput + chunk).slice(-20_000);
});
stack.stderr?.on('data', (chunk: Buffer) => {
  result.setupOutput = (result.setupOutput + chunk).slice(-20_000);
});
try {
  result.started = await routerUp(stack, Date.now() + 10 * 60_000);
  if (result.started) for (const { id, code } of job.blocks) result.blocks.push(await runBlock(id, code));
} finally {
  if (stack.exitCode === null && stack.pid) {
    const exited = once(stack, 'exit');
    process.kill(-stack.pid, 'SIGINT');
    await exited;
  }
  for (const [provider, fake] of [
    ['openai', openai],
    ['anthropic', anthropic],
  ] as const) {
    for (const request of fake.requests) {
      result.llmCalls.push({
        provider,
        ask: lastUserText(request.body),
        toolResults: toolResults(request.body).length,
      });
    }
    await fake.close();
  }
}
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exit(0);
