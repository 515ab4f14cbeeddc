/**
 * The README's provider × parameter table is generated from the providers' own declarations
 * (`parameters` of each definition), the ones the adapters enforce: a declaration that changes
 * without the README failing here would let the docs promise what the code does not do.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PROVIDERS } from '../src/providers/index.js';
import { CHAT_PARAMETERS } from '../src/providers/parameters.js';

const readmeFile = new URL('../README.md', import.meta.url);
const START =
  '<!-- parameters:start (generated: UPDATE_DOCS=1 npx vitest run packages/router/test/parameters-docs.test.ts) -->';
const END = '<!-- parameters:end -->';

const cell = (text: string) => text.replaceAll('|', '\\|');

export function renderParameterTable(): string {
  const header = `| Parameter | ${PROVIDERS.map((provider) => provider.name).join(' | ')} |`;
  const rule = `| --- | ${PROVIDERS.map(() => '---').join(' | ')} |`;
  const rows = CHAT_PARAMETERS.map((parameter) => {
    const cells = PROVIDERS.map((provider) => {
      const { support, note } = provider.parameters[parameter];
      return cell(note ? `${support}: ${note}` : support);
    });
    const name = parameter === 'pass_through' ? 'other fields (pass-through)' : `\`${parameter}\``;
    return `| ${name} | ${cells.join(' | ')} |`;
  });
  return [header, rule, ...rows].join('\n');
}

/** Biome aligns Markdown tables; compare them without the padding. */
const unpadded = (markdown: string) =>
  markdown
    .split('\n')
    .map((line) => (line.startsWith('|') ? line.replace(/\s*\|\s*/g, '|').replace(/-{3,}/g, '---') : line))
    .join('\n');

function section(readme: string): string {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error(`README lacks the ${START} … ${END} markers`);
  return readme.slice(start + START.length, end).trim();
}

describe('README provider × parameter table', () => {
  const table = renderParameterTable();
  if (process.env.UPDATE_DOCS === '1') {
    const readme = readFileSync(readmeFile, 'utf8');
    const start = readme.indexOf(START);
    const end = readme.indexOf(END);
    writeFileSync(readmeFile, `${readme.slice(0, start + START.length)}\n\n${table}\n\n${readme.slice(end)}`);
  }

  it('matches the providers’ declarations', () => {
    expect(unpadded(section(readFileSync(readmeFile, 'utf8'))), 'regenerate with UPDATE_DOCS=1').toBe(
      unpadded(table),
    );
  });

  it('every provider declares every parameter', () => {
    for (const provider of PROVIDERS)
      expect(Object.keys(provider.parameters).sort()).toEqual([...CHAT_PARAMETERS].sort());
  });
});
