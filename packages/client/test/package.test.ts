/**
 * The package as a user gets it: built, packed with npm, installed from the tarball into an empty
 * project (no registry needed: it has no dependencies), then its bin and its import are used.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answer } from './support/fixtures.js';
import { type ScriptedRouter, sendJson, startScriptedRouter } from './support/scripted-router.js';

const run = promisify(execFile);
const packageDir = fileURLToPath(new URL('..', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const srcDir = join(packageDir, 'src');

describe('@ocsai/client as a published package', () => {
  let work: string;
  let project: string;
  let packedFiles: string[];
  let router: ScriptedRouter;

  beforeAll(async () => {
    router = await startScriptedRouter();
    work = await mkdtemp(join(tmpdir(), 'ocsai-client-pack-'));
    project = join(work, 'project');
    await run('npx', ['tsc', '-b', 'packages/client/tsconfig.build.json'], { cwd: repoRoot });
    const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', work], { cwd: packageDir });
    const [packed] = JSON.parse(stdout) as { filename: string; files: { path: string }[] }[];
    if (!packed) throw new Error('npm pack reported nothing');
    packedFiles = packed.files.map((file) => file.path);
    await run('mkdir', [project]);
    await writeFile(
      join(project, 'package.json'),
      JSON.stringify({ name: 'consumer', private: true, type: 'module' }),
    );
    await run('npm', ['install', '--offline', '--no-audit', '--no-fund', join(work, packed.filename)], {
      cwd: project,
    });
  }, 120_000);

  afterAll(async () => {
    await router?.close();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('ships the build, the sources and the README, but no tests or build state', () => {
    expect(packedFiles).toEqual(
      expect.arrayContaining([
        'package.json',
        'README.md',
        'dist/index.js',
        'dist/index.d.ts',
        'dist/cli.js',
        'src/index.ts',
      ]),
    );
    expect(packedFiles.filter((path) => path.startsWith('test/') || path.endsWith('.tsbuildinfo'))).toEqual(
      [],
    );
  });

  it('runs the installed ocs-ask bin', async () => {
    const bin = join(project, 'node_modules', '.bin', 'ocs-ask');
    const { version } = JSON.parse(await readFile(join(packageDir, 'package.json'), 'utf8')) as {
      version: string;
    };
    expect((await run(bin, ['--version'])).stdout).toBe(`${version}\n`);
    router.script((_request, res) => sendJson(res, 200, answer({ content: 'From the tarball' })));
    const { stdout, stderr } = await run(bin, ['--url', router.url, 'hello'], {
      env: { ...process.env, NO_COLOR: '1' },
    });
    expect(stdout).toBe('From the tarball\n');
    expect(stderr).toBe('');
  });

  it('exposes RouterClient and its errors to an importing project', async () => {
    router.script((_request, res) => sendJson(res, 200, { status: 'ok', version: '1.2.3' }));
    const script = `
      import { RouterClient, RouterError, SseParser, PROVIDER_NAMES } from '@ocsai/client';
      const health = await new RouterClient({ baseUrl: ${JSON.stringify(router.url)} }).health();
      console.log(JSON.stringify({ health, routerError: typeof RouterError, parser: typeof SseParser, providers: PROVIDER_NAMES.length }));
    `;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: project });
    expect(JSON.parse(stdout)).toEqual({
      health: { status: 'ok', version: '1.2.3' },
      routerError: 'function',
      parser: 'function',
      providers: 6,
    });
  });

  it('type-checks a consumer against the packed declarations, without Node types', async () => {
    await writeFile(
      join(project, 'consumer.ts'),
      [
        "import { type AskResponse, type AskStreamEvent, RouterClient, RouterError } from '@ocsai/client';",
        "const client = new RouterClient({ baseUrl: 'https://router.example', timeoutMs: 1000 });",
        "export const answer: Promise<AskResponse> = client.ask({ message: 'hi', provider: 'ollama' });",
        'export async function text(): Promise<string> {',
        "  let out = '';",
        "  for await (const event of client.askStream({ message: 'hi' }) as AsyncIterable<AskStreamEvent>) {",
        "    if (event.type === 'delta') out += event.data.text;",
        "    if (event.type === 'done') out += event.data.usage.total_tokens ?? 0;",
        '  }',
        '  return out;',
        '}',
        "export const rateLimited = (e: unknown) => e instanceof RouterError && e.kind === 'rate_limited';",
      ].join('\n'),
    );
    await writeFile(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'nodenext',
          moduleResolution: 'nodenext',
          strict: true,
          noEmit: true,
          // Our declarations are checked; the standard library's are taken as given (speed).
          skipLibCheck: false,
          skipDefaultLibCheck: true,
          lib: ['ES2023', 'DOM', 'DOM.Iterable'],
          // No @types/node: the library's types must stand on Web APIs alone.
          types: [],
        },
        files: ['consumer.ts'],
      }),
    );
    const tsc = join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');
    const result = await run(process.execPath, [tsc, '-p', project]).catch(
      (error: { stdout?: string }) => error,
    );
    expect(result.stdout).toBe('');
  });
});

describe('browser safety of the library sources', () => {
  it('uses no Node built-ins outside the CLI', async () => {
    const files = (await readdir(srcDir)).filter((name) => name.endsWith('.ts') && name !== 'cli.ts');
    expect(files.length).toBeGreaterThan(3);
    for (const name of files) {
      const text = await readFile(join(srcDir, name), 'utf8');
      expect(text, name).not.toMatch(/from ['"]node:|require\(|\bprocess\.|\bBuffer\b/);
      expect(text, name).not.toMatch(/from ['"]\.\/cli/);
    }
  });
});
