import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { rolldown } from 'rolldown';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StackResult } from './support/readme-stack.js';

// Every command the READMEs show runs verbatim. A fenced `sh` block preceded by
// `<!-- runnable -->` runs, as written, on a fresh clone of this repository against the stack that
// the README's own set-up command (`npm ci && npm start`) starts, with the LLM providers pointed at
// the fakes through their environment variables. All of it happens in a private network namespace
// (root and unshare needed, as in CI): the documented default ports are free there, and nothing can
// reach a registry, so an `npx` that would fall through to the public registry fails.
const run = promisify(execFile);
const root = new URL('../', import.meta.url).pathname;
const READMES = [
  'README.md',
  'packages/client/README.md',
  'packages/console/README.md',
  'packages/emulator/README.md',
  'packages/mcp-server/README.md',
  'packages/router/README.md',
];
const SETUP = ['npm ci && npm start', 'npm ci && npm test'];

interface Block {
  id: string;
  file: string;
  line: number;
  code: string;
  runnable: boolean;
}

function shellBlocks(file: string, text: string): Block[] {
  const lines = text.split('\n');
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!/^```(sh|bash|shell)\s*$/.test(lines[i] ?? '')) continue;
    const end = lines.indexOf('```', i + 1);
    const before = lines.slice(Math.max(0, i - 2), i).join('\n');
    blocks.push({
      id: `${file.replace(/[^a-z0-9]+/gi, '-')}-${i + 1}`,
      file,
      line: i + 1,
      code: `${lines.slice(i + 1, end).join('\n')}\n`,
      runnable: /<!-- runnable -->/.test(before),
    });
    i = end;
  }
  return blocks;
}

/** The commands of a block without their comments and line continuations. */
const commandsOf = (code: string) =>
  code
    .replace(/\\\n\s*/g, '')
    .split('\n')
    .map((line) => line.replace(/\s+#.*$/, '').trim())
    .filter((line) => line && !line.startsWith('#'));

const blocks = READMES.flatMap((file) => shellBlocks(file, readFileSync(join(root, file), 'utf8')));
const main = blocks.filter((b) => b.file === 'README.md');
const runnable = blocks.filter((b) => b.runnable);

describe('README.md commands', () => {
  it('has exactly the two set-up commands, in one block', () => {
    const setup = main.filter((b) => commandsOf(b.code).some((c) => c.startsWith('npm ci')));
    expect(setup).toHaveLength(1);
    expect(commandsOf(setup[0]!.code)).toEqual(SETUP);
  });

  it('marks every other shell block runnable, so each command it shows is run here', () => {
    const others = main.filter((b) => !commandsOf(b.code).includes(SETUP[0]!));
    expect(others.length).toBeGreaterThan(0);
    expect(others.filter((b) => !b.runnable).map((b) => `README.md:${b.line}`)).toEqual([]);
  });

  it('documents no npx command that is not a bin of this repository', () => {
    const ours = new Set(
      ['client', 'emulator', 'mcp-server', 'router'].flatMap((pkg) =>
        Object.keys(JSON.parse(readFileSync(join(root, 'packages', pkg, 'package.json'), 'utf8')).bin),
      ),
    );
    const npx = blocks.flatMap((b) =>
      commandsOf(b.code)
        .flatMap((c) => c.split(/\s*(?:\||&&|;)\s*/))
        .filter((c) => c.startsWith('npx '))
        .map((c) => ({
          where: `${b.file}:${b.line}`,
          name: c.split(/\s+/).find((w, i) => i > 0 && !w.startsWith('-')),
        })),
    );
    // Tools the repository itself installs as dev dependencies are fine too (vitest, vite, tsc).
    const devTools = new Set(['vitest', 'vite', 'tsc', 'biome', '@anthropic-ai/mcpb', 'mcpb']);
    expect(npx.filter(({ name }) => !ours.has(name!) && !devTools.has(name!))).toEqual([]);
  });
});

describe.skipIf(process.getuid?.() !== 0)('README commands, verbatim, on a fresh clone', () => {
  const work = mkdtempSync(join(tmpdir(), 'readme-'));
  const clone = join(work, 'clone');
  let result: StackResult;

  beforeAll(async () => {
    await run('git', ['clone', '--quiet', root, clone]);
    // The stack harness is TypeScript that imports the router's fakes: bundle it to run under node.
    const bundle = await rolldown({
      input: join(root, 'test/support/readme-stack.ts'),
      platform: 'node',
      logLevel: 'silent',
    });
    await bundle.write({ file: join(work, 'readme-stack.mjs'), format: 'esm' });
    await bundle.close();
    writeFileSync(
      join(work, 'job.json'),
      JSON.stringify({ clone, setup: SETUP[0], blocks: runnable.map(({ id, code }) => ({ id, code })) }),
    );
    const child = spawn(
      'unshare',
      [
        '--net',
        'sh',
        '-c',
        'ip link set lo up && exec node "$0" "$1"',
        join(work, 'readme-stack.mjs'),
        join(work, 'job.json'),
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let stdout = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    await once(child, 'exit');
    result = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as StackResult;
  }, 900_000);
  // The clone holds a whole node_modules: removing it can take a while on a busy disk.
  afterAll(() => rm(work, { recursive: true, force: true }), 300_000);

  it('`npm ci && npm start` brings the stack up from a fresh clone', () => {
    expect(result.started, result.setupOutput).toBe(true);
    expect(result.setupOutput).toContain('OCS AI stack is up.');
  });

  it.each(runnable.map((b) => [`${b.file}:${b.line}`, b] as const))(
    '%s runs and exits 0',
    (_where, block) => {
      const ran = result.blocks.find((b) => b.id === block.id);
      expect(ran?.exitCode, ran?.output).toBe(0);
      // npx answered from the clone's own bins: no install prompt, no registry error.
      expect(ran?.output).not.toMatch(/Need to install|E404|ENOTCACHED|not built yet/);
    },
  );

  it('the README CLI commands reach the model, provision through the MCP tools and ask before deleting', () => {
    const cli = result.blocks.find((b) => b.id === main.find((m) => m.code.includes('npx ocs-ask'))?.id);
    expect(cli?.output).toContain('Fake model answer to: Which prepaid offers are there?');
    expect(cli?.output).toContain('Created subscriber 436601234567');
    expect(cli?.output).toContain('Deleted subscriber 436601234567.');
    expect(result.toolCalls).toEqual(
      expect.arrayContaining([
        'create_subscriber',
        'create_subscription',
        'lookup_subscriber',
        'delete_subscriber',
      ]),
    );
    // --provider anthropic went to the Anthropic fake, everything else to the default (openai).
    expect(result.llmCalls.filter((c) => c.provider === 'anthropic').map((c) => c.ask)).toEqual(
      expect.arrayContaining(['Create subscriber 436601234567 on offer 1003']),
    );
  });

  it('the README curl command gets an answer from /ask', () => {
    const curl = result.blocks.find(
      (b) => b.id === main.find((m) => m.code.includes('curl -s localhost:8000/ask'))?.id,
    );
    expect(curl?.output).toContain('Fake model answer to: Show the balances of +43 660 1234567');
  });
});
