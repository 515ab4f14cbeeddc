import { readFileSync, writeFileSync } from 'node:fs';
import { emulatorEnvSchema } from '@ocsai/emulator';
import { mcpEnvSchema } from '@ocsai/mcp-server';
import { routerEnvSchema } from '@ocsai/router';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { providerEnvSchema } from '../packages/router/src/providers/catalogue.js';
import {
  type EnvSection,
  renderEnvExample,
  renderReadmeTables,
  replaceReadmeSection,
  sectionFromSchema,
} from './support/config-docs.js';

const cliSchema = z.object({
  OCS_ROUTER_URL: z
    .string()
    .default('http://127.0.0.1:8000')
    .describe('Router the ocs-ask CLI talks to (--url wins).'),
  OCS_ROUTER_API_KEY: z.string().optional().describe('Router API key for the ocs-ask CLI (--api-key wins).'),
  NO_COLOR: z.string().optional().describe('Set to anything to turn colours off in the CLI.'),
});

const sections: EnvSection[] = [
  sectionFromSchema('OCS emulator', '`ocs-emulator` and `npm start`', emulatorEnvSchema),
  sectionFromSchema('OCS MCP server', '`ocs-mcp` and `npm start`', mcpEnvSchema),
  sectionFromSchema('Router', '`ocs-router` and `npm start`', routerEnvSchema),
  sectionFromSchema('LLM providers', 'the router', providerEnvSchema),
  sectionFromSchema('CLI', '`ocs-ask`', cliSchema),
];

const readmeFile = new URL('../README.md', import.meta.url);
const envExampleFile = new URL('../.env.example', import.meta.url);
/** Biome aligns Markdown tables; compare them without the padding. */
const unpadded = (markdown: string) =>
  markdown
    .split('\n')
    .map((line) => (line.startsWith('|') ? line.replace(/\s*\|\s*/g, '|').replace(/-{3,}/g, '---') : line))
    .join('\n');
const regenerate = 'regenerate with: UPDATE_DOCS=1 npx vitest run test/config-docs.test.ts';

describe('configuration documentation', () => {
  const tables = renderReadmeTables(sections);
  const envExample = renderEnvExample(sections);
  const readme = readFileSync(readmeFile, 'utf8');
  if (process.env.UPDATE_DOCS === '1') {
    writeFileSync(readmeFile, replaceReadmeSection(readme, tables));
    writeFileSync(envExampleFile, envExample);
  }

  it('documents every variable with a meaning', () => {
    const undocumented = sections.flatMap((s) =>
      s.vars.filter((v) => v.description === '').map((v) => v.name),
    );
    expect(undocumented).toEqual([]);
  });

  it('README tables match the config schemas', () => {
    expect(unpadded(readFileSync(readmeFile, 'utf8')), regenerate).toBe(
      unpadded(replaceReadmeSection(readme, tables)),
    );
  });

  it('.env.example lists every variable of every part', () => {
    expect(readFileSync(envExampleFile, 'utf8'), regenerate).toBe(envExample);
  });
});
