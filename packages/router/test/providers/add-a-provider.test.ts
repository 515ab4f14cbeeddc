/**
 * "Adding a provider is adding a folder": a temporary copy of the router's src gets a throwaway
 * provider folder and its entry in providers/index.ts (one import, one list element: the only
 * edit outside the folder), and the copy then selects it, redacts its secret and documents its
 * variables, with no other file touched.
 */
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderReadmeTables, sectionFromSchema } from '../../../../test/support/config-docs.js';
import { type FakeServer, startFakeOpenAI } from '../fakes/index.js';
import { json } from '../support/test-router.js';

const router = fileURLToPath(new URL('../..', import.meta.url));
const repo = join(router, '..', '..');
const SECRET = 'echo-secret-0123456789';

const ECHO_PROVIDER = `import { z } from 'zod';
import { baseUrl, defineProvider, secretVariable } from '../definition.js';
import { compatibleAdapter } from '../openai-compatible/adapter.js';
import { openAiCompatibleParameters } from '../parameters.js';

export const echo = defineProvider({
  name: 'echo',
  env: {
    ECHO_API_KEY: secretVariable('Echo API key. Required for the echo provider.'),
    ECHO_BASE_URL: baseUrl('https://echo.invalid/v1').describe('Echo API base URL.'),
    ECHO_MODEL: z.string().min(1).default('echo-1').describe('Default Echo model.'),
  },
  required: ['ECHO_API_KEY'],
  parameters: openAiCompatibleParameters(),
  defaultModel: (settings) => settings.ECHO_MODEL,
  create: (settings, context) =>
    compatibleAdapter(context, {
      name: 'echo',
      baseUrl: settings.ECHO_BASE_URL,
      headers: { authorization: \`Bearer \${settings.ECHO_API_KEY}\` },
      includeStreamUsage: true,
      maxTokensField: 'max_tokens',
    }),
});
`;

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort();
}

let copy: string;
let fake: FakeServer;

beforeAll(async () => {
  // The copy sits at the same depth as the package, so its imports resolve the same node_modules.
  copy = join(mkdtempSync(join(tmpdir(), 'router-copy-')), 'packages', 'router');
  mkdirSync(copy, { recursive: true });
  cpSync(join(router, 'src'), join(copy, 'src'), { recursive: true });
  cpSync(join(router, 'package.json'), join(copy, 'package.json'));
  symlinkSync(join(router, 'node_modules'), join(copy, 'node_modules'), 'dir');
  symlinkSync(join(repo, 'node_modules'), join(copy, '..', '..', 'node_modules'), 'dir');

  mkdirSync(join(copy, 'src/providers/echo'));
  writeFileSync(join(copy, 'src/providers/echo/index.ts'), ECHO_PROVIDER);
  const list = join(copy, 'src/providers/index.ts');
  writeFileSync(
    list,
    readFileSync(list, 'utf8')
      .replace('import { anthropic }', "import { echo } from './echo/index.js';\nimport { anthropic }")
      .replace('lmstudio] as const', 'lmstudio, echo] as const'),
  );
  fake = await startFakeOpenAI();
});

afterAll(async () => {
  await fake?.close();
  if (copy) rmSync(join(copy, '..', '..'), { recursive: true, force: true });
});

describe('adding a provider is adding a folder', () => {
  it('touches nothing but the new folder and one entry in providers/index.ts', () => {
    const before = files(join(router, 'src'));
    const after = files(join(copy, 'src'));
    expect(after.filter((file) => !before.includes(file))).toEqual(['providers/echo/index.ts']);
    const changed = before.filter(
      (file) =>
        readFileSync(join(router, 'src', file), 'utf8') !== readFileSync(join(copy, 'src', file), 'utf8'),
    );
    expect(changed).toEqual(['providers/index.ts']);
    const original = readFileSync(join(router, 'src/providers/index.ts'), 'utf8').split('\n');
    const edited = readFileSync(join(copy, 'src/providers/index.ts'), 'utf8').split('\n');
    expect(edited.filter((line) => !original.includes(line))).toEqual([
      "import { echo } from './echo/index.js';",
      'export const PROVIDERS = [openai, anthropic, azure, openrouter, ollama, lmstudio, echo] as const;',
    ]);
  });

  it('the new provider is selectable: LLM_PROVIDER=echo answers /ask through it', async () => {
    const { startRouter } = await import(join(copy, 'src/index.ts'));
    const { PROVIDER_NAMES } = await import(join(copy, 'src/providers/catalogue.ts'));
    expect(PROVIDER_NAMES).toContain('echo');
    fake.setScript([{ text: 'hello from echo' }]);
    const started = await startRouter({
      env: { ROUTER_STORE: 'memory', LLM_PROVIDER: 'echo', ECHO_API_KEY: SECRET, ECHO_BASE_URL: fake.url },
      port: 0,
      logger: false,
    });
    try {
      const res = await fetch(`${started.url}/ask`, json({ message: 'hi' }));
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({
        provider: 'echo',
        model: 'echo-1',
        content: 'hello from echo',
      });
      expect(fake.requests.at(-1)?.headers.authorization).toBe(`Bearer ${SECRET}`);
    } finally {
      await started.close();
    }
  });

  it('its secret is redacted from logs and errors, and a missing key is named', async () => {
    const catalogue = await import(join(copy, 'src/providers/catalogue.ts'));
    expect(catalogue.SECRET_VARIABLES).toContain('ECHO_API_KEY');
    expect(catalogue.SECRET_VARIABLES).not.toContain('ECHO_MODEL');
    const config = catalogue.loadProvidersConfig({ ECHO_API_KEY: SECRET });
    expect(catalogue.providerSecrets(config)).toContain(SECRET);
    expect(() => catalogue.createProvider('echo', catalogue.loadProvidersConfig({}))).toThrow(
      'Provider echo needs ECHO_API_KEY',
    );

    const { createLogger } = await import(join(copy, 'src/logger.ts'));
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    createLogger('info', sink).info({ env: { ECHO_API_KEY: SECRET }, config: { ECHO_API_KEY: SECRET } }, 'x');
    expect(lines.join('')).not.toContain(SECRET);
    expect(lines.join('')).toContain('[redacted]');
  });

  it('its variables are documented in the generated provider tables', async () => {
    const { providerEnvSchema } = await import(join(copy, 'src/providers/catalogue.ts'));
    const tables = renderReadmeTables([sectionFromSchema('LLM providers', 'the router', providerEnvSchema)]);
    for (const variable of ['ECHO_API_KEY', 'ECHO_BASE_URL', 'ECHO_MODEL'])
      expect(tables).toContain(variable);
    expect(tables).toContain('Echo API key. Required for the echo provider.');
  });
});
