/**
 * The client's wire types are generated from the router's OpenAPI document with
 * openapi-typescript (types only: the client keeps no runtime dependency). This test fails while
 * the committed file differs from what the document generates; regenerate with
 * `npm run generate:types -w packages/client`.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { routerOpenApiDocument } from '@ocsai/router';
import openapiTS, { astToString, type OpenAPI3 } from 'openapi-typescript';
import { describe, expect, it } from 'vitest';

const generatedFile = fileURLToPath(new URL('../src/generated/router-api.ts', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const biome = fileURLToPath(new URL('../../../node_modules/@biomejs/biome/bin/biome', import.meta.url));

const HEADER = `/**
 * Generated from the router's OpenAPI document (GET /openapi.json) by openapi-typescript.
 * Do not edit: run \`npm run generate:types -w packages/client\`.
 */
`;

async function generate(): Promise<string> {
  const ast = await openapiTS(routerOpenApiDocument() as unknown as OpenAPI3);
  const source = HEADER + astToString(ast);
  return execFileSync(process.execPath, [biome, 'format', `--stdin-file-path=${generatedFile}`], {
    input: source,
    encoding: 'utf8',
    cwd: repoRoot,
  });
}

describe('generated router API types', () => {
  it('src/generated/router-api.ts is what the router document generates', async () => {
    const expected = await generate();
    if (process.env.UPDATE_TYPES) writeFileSync(generatedFile, expected);
    let committed = '';
    try {
      committed = readFileSync(generatedFile, 'utf8');
    } catch {}
    expect(committed, 'stale: run `npm run generate:types -w packages/client`').toBe(expected);
  });
});
